"""Incident events in the ledger: appended and audit-chained in one transaction.

Each event row carries the sequence number of the audit entry that holds the same canonical
payload, so `verify_incident_events` can prove every row is vouched for by the chain.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Connection, create_engine, func, insert, inspect, select

from mamori.domain.audit import AuditEntry, ChainBreak, Tampering, canonical
from mamori.domain.incidents.events import IncidentEvent
from mamori.ledger.anchor import FileAnchor
from mamori.ledger.sql_ledger import SqlLedger
from mamori.ledger.tables.audit import audit_log
from mamori.ledger.tables.incidents import incident_events, incidents
from mamori.ledger.verify import verify_ledger
from mamori.services.incidents.codec import from_payload, to_payload
from mamori.services.incidents.ports import ConcurrentChangeError

AUDIT_KEY = "incident"  # payload key that marks an audit entry as an incident event


class SqlIncidentStore:
    """The incident store over the SQL ledger."""

    def __init__(self, ledger: SqlLedger) -> None:
        self.ledger = ledger

    def next_id(self, year: int) -> str:
        """Reserve the next id of the year (under the ledger's writer lock)."""
        with self.ledger.transaction("mamori") as tx:
            c = tx.connection
            number = (
                int(
                    c.execute(
                        select(func.coalesce(func.max(incidents.c.number), 0)).where(incidents.c.year == year)
                    ).scalar_one()
                )
                + 1
            )
            incident_id = f"INC-{year}-{number:04d}"
            c.execute(
                insert(incidents).values(
                    id=incident_id, year=year, number=number, reserved_at=self.ledger.clock.now()
                )
            )
        return incident_id

    def append(self, incident_id: str, events: Sequence[IncidentEvent], expected_version: int) -> None:
        """Append after checking the log has exactly `expected_version` events; audit each one."""
        actor = events[0].actor if events else "mamori"
        with self.ledger.transaction(actor) as tx:
            c = tx.connection
            current = int(
                c.execute(
                    select(func.coalesce(func.max(incident_events.c.seq), 0)).where(
                        incident_events.c.incident_id == incident_id
                    )
                ).scalar_one()
            )
            if current != expected_version:
                raise ConcurrentChangeError(incident_id)
            for offset, event in enumerate(events, start=1):
                payload = to_payload(event)
                seq = current + offset
                entry = tx.audit(
                    event.name, event.actor, {AUDIT_KEY: incident_id, "seq": seq, "event": payload}
                )
                c.execute(
                    insert(incident_events).values(
                        incident_id=incident_id,
                        seq=seq,
                        kind=event.name,
                        at=event.at,
                        actor=event.actor,
                        payload=canonical(payload),
                        audit_seq=entry.seq,
                    )
                )

    def events(self, incident_id: str) -> list[IncidentEvent]:
        """Return an incident's events in order."""
        query = (
            select(incident_events.c.kind, incident_events.c.payload)
            .where(incident_events.c.incident_id == incident_id)
            .order_by(incident_events.c.seq)
        )
        with self.ledger.engine.connect() as c:
            return [from_payload(row.kind, json.loads(row.payload)) for row in c.execute(query)]

    def incident_ids(self) -> list[str]:
        """Return every incident that has events, in order of reservation."""
        query = (
            select(incidents.c.id)
            .where(incidents.c.id.in_(select(incident_events.c.incident_id)))
            .order_by(incidents.c.year, incidents.c.number)
        )
        with self.ledger.engine.connect() as c:
            return [row.id for row in c.execute(query)]


def verify_incident_events(connection: Connection) -> ChainBreak | None:
    """Check every incident event row against the audit entry that vouches for it, and the reverse."""
    entries = {
        int(r.seq): AuditEntry(int(r.seq), r.kind, r.actor, r.at, r.payload, r.prev_hash, r.hash)
        for r in connection.execute(select(audit_log).where(audit_log.c.kind.like("incident-%")))
    }
    vouched: set[int] = set()
    for row in connection.execute(
        select(incident_events).order_by(incident_events.c.incident_id, incident_events.c.seq)
    ):
        entry = entries.get(int(row.audit_seq))
        where = f"{row.incident_id} #{row.seq}"
        if entry is None:
            return ChainBreak(
                int(row.audit_seq), Tampering.DELETED, f"incident event {where} has no audit entry"
            )
        body = json.loads(entry.payload)
        if (
            body.get(AUDIT_KEY) != row.incident_id
            or body.get("seq") != row.seq
            or entry.kind != row.kind
            or canonical(body.get("event", {})) != row.payload
        ):
            return ChainBreak(
                entry.seq, Tampering.CHANGED, f"incident event {where} differs from its audit entry"
            )
        vouched.add(entry.seq)
    for seq, entry in sorted(entries.items()):
        if AUDIT_KEY in json.loads(entry.payload) and seq not in vouched:
            return ChainBreak(
                seq, Tampering.DELETED, "an audited incident event is missing from the incident log"
            )
    return None


def verify_ledger_file(path: Path, anchor_path: Path | None = None) -> str | None:
    """Verify the audit chain (with its anchor, when given) and the incident log of a ledger file.

    Used on a restored backup: returns a description of the first break, or None when intact.
    """
    anchor = FileAnchor(anchor_path).read() if anchor_path is not None else None
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            names = set(inspect(connection).get_table_names())
            broken = verify_ledger(connection, anchor) if "audit_log" in names else None
            if broken is None and "incident_events" in names:
                broken = verify_incident_events(connection)
    finally:
        engine.dispose()
    if broken is None:
        return None
    return f"entry {broken.seq} {broken.tampering.value}: {broken.detail}"
