"""Notices to affected persons delivered through the member portal (APPI-26-2), one row each."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, String, Table, Text

from mamori.ledger.tables.base import metadata

# Append-only: each row is the record of one delivery; reading a notice goes to the audit chain.
portal_notices = Table(
    "portal_notices",
    metadata,
    Column("id", String(40), primary_key=True),  # PN-<random>
    Column("incident_id", String(40), nullable=False),
    Column("subject_id", String(100), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("delivered_at", DateTime(timezone=True), nullable=False),
    Index("ix_portal_notices_subject_id", "subject_id"),
)
