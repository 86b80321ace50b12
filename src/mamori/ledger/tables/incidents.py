"""Incidents: the reserved ids and the append-only event log each incident is folded from."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, PrimaryKeyConstraint, String, Table, Text

from mamori.ledger.tables.base import Position, metadata

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(40), primary_key=True),  # INC-YYYY-NNNN
    Column("year", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    Column("reserved_at", DateTime(timezone=True), nullable=False),
)

# Append-only (the incident record is evidence for the PPC): no update or delete path, and on
# PostgreSQL the trigger of migration 0001 refuses UPDATE and DELETE.
incident_events = Table(
    "incident_events",
    metadata,
    Column("incident_id", String(40), nullable=False),
    Column("seq", Integer, nullable=False),  # 1.. within the incident
    Column("kind", String(60), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("payload", Text, nullable=False),  # canonical JSON, as in the audit entry
    Column("audit_seq", Position, nullable=False),  # the audit entry that vouches for it
    PrimaryKeyConstraint("incident_id", "seq", name="pk_incident_events"),
)
