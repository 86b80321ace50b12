"""Verify the audit chain, its anchor, and the consent events each entry vouches for."""

from __future__ import annotations

import json

from sqlalchemy import Connection, func, select

from mamori.domain.audit import Anchor, AuditEntry, ChainBreak, Tampering, verify_chain
from mamori.ledger.bulk import read_events
from mamori.ledger.event_lines import arrow_lines, bytes_digest
from mamori.ledger.tables.audit import audit_log
from mamori.ledger.tables.consent import consent_events


def verify_ledger(connection: Connection, anchor: Anchor | None) -> ChainBreak | None:
    """Return the first break in the chain or in what it covers; None when everything verifies."""
    entries = [
        AuditEntry(int(r.seq), r.kind, r.actor, r.at, r.payload, r.prev_hash, r.hash)
        for r in connection.execute(select(audit_log).order_by(audit_log.c.seq))
    ]
    broken = verify_chain(entries, anchor)
    if broken is not None:
        return broken
    # Imported here: the incident store builds on SqlLedger, which uses this module.
    from mamori.ledger.incidents import verify_incident_events

    return _verify_events(connection, entries) or verify_incident_events(connection)


def _verify_events(connection: Connection, entries: list[AuditEntry]) -> ChainBreak | None:
    covered = 0
    for entry in entries:
        payload = json.loads(entry.payload)
        span = payload.get("events") if isinstance(payload, dict) else None
        if not span:
            continue
        first, last = int(span[0]), int(span[1])
        query = (
            select(*consent_events.c)
            .where(consent_events.c.seq.between(first, last))
            .order_by(consent_events.c.seq)
        )
        table = read_events(connection, query)
        if table.num_rows != last - first + 1:
            present = set(table.column("seq").to_pylist())
            missing = next(s for s in range(first, last + 1) if s not in present)
            return ChainBreak(
                entry.seq, Tampering.DELETED, f"consent event {missing} (covered by this entry) is missing"
            )
        if bytes_digest(arrow_lines(table)) != payload.get("digest"):
            return ChainBreak(
                entry.seq,
                Tampering.CHANGED,
                f"consent events {first}-{last} covered by this entry were changed",
            )
        covered += table.num_rows
    total = int(connection.execute(select(func.count()).select_from(consent_events)).scalar_one())
    if total != covered:
        return ChainBreak(
            entries[-1].seq if entries else 0,
            Tampering.INSERTED,
            f"{total - covered} consent event(s) are not covered by any audit entry",
        )
    return None
