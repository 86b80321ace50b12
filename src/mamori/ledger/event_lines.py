"""The canonical text of consent events: what the audit chain hashes and what COPY loads.

One line per event, tab-separated, in PostgreSQL COPY text format (ids may not contain tabs,
newlines or backslashes, so no escaping is ever needed). A batch's digest is the SHA-256 of its
lines, so the audit entry that covers a batch proves every event in it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from mamori.domain.consent import ConsentEvent
from mamori.services.event_table import COLUMNS, EVENT_SCHEMA, FORBIDDEN

__all__ = ["COLUMNS", "EVENT_SCHEMA", "FORBIDDEN", "arrow_lines", "event_line", "lines_digest"]

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f+00:00"


def utc_text(at: datetime) -> str:
    """Format an instant the one way the ledger hashes it."""
    return at.astimezone(UTC).strftime(_TIME_FORMAT)


def event_line(seq: int, event: ConsentEvent) -> str:
    """Return one event's canonical line (the single-event path of the portal)."""
    fields = (
        str(seq),
        event.subject,
        event.purpose,
        event.action.value,
        utc_text(event.at),
        event.terms,
        event.by.value,
        event.channel,
        event.text_hash,
    )
    return "\t".join(fields) + "\n"


def lines_digest(lines: Iterable[str]) -> str:
    """Hash canonical lines in order."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()


def arrow_lines(table: pa.Table) -> bytes:
    """Render an Arrow table of events (EVENT_SCHEMA) as canonical lines, vectorized in DuckDB."""
    con = duckdb.connect()
    try:
        con.register("events", table)
        con.execute("SET TimeZone = 'UTC'")
        rendered = con.execute(
            f"""
            SELECT string_agg(
                concat_ws(chr(9), seq::VARCHAR, subject_id, purpose_id, action,
                          strftime("at", '{_TIME_FORMAT}'), terms_version, actor, coalesce(channel, ''),
                          coalesce(text_hash, ''))
                || chr(10), '' ORDER BY seq)
            FROM events
            """
        ).fetchone()
    finally:
        con.close()
    text = rendered[0] if rendered and rendered[0] is not None else ""
    return str(text).encode("utf-8")


def bytes_digest(data: bytes) -> str:
    """Hash a block of canonical lines."""
    return hashlib.sha256(data).hexdigest()
