"""Purposes, terms versions, subjects and the append-only consent event log."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Integer, String, Table, Text

from mamori.ledger.tables.base import Position, metadata

purposes = Table(
    "purposes",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("bit", Integer, nullable=False, unique=True),  # position in the snapshot's bitmask
    Column("kind", String(40), nullable=False),
    Column("recipients", Text, nullable=False, default="[]"),  # JSON list of categories
    Column("foreign", Boolean, nullable=False, default=False),
    Column("countries", Text, nullable=False, default="[]"),
    Column("basis", String(20), nullable=False, default="consent"),
    Column("ppc_notified", Boolean, nullable=False, default=False),
    Column("description_ja", Text, nullable=False, default=""),
    Column("description_en", Text, nullable=False, default=""),
    Column("items", Text, nullable=False, default="[]"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

terms_versions = Table(
    "terms_versions",
    metadata,
    Column("version", String(100), primary_key=True),
    Column("effective", Date, nullable=False),
    Column("purposes", Text, nullable=False),  # JSON list of purpose ids
    Column("text_hash", String(64), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

subjects = Table(
    "subjects",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("birth_date", Date, nullable=True),
    Column("guardian_id", String(100), nullable=True),
)

# Append-only (APPI-CONSENT-1 evidence): the repository has no update or delete path, and on
# PostgreSQL a trigger refuses UPDATE and DELETE. Positions come from ledger_heads under the
# writer lock; the indexes differ per dialect (see migration 0001).
consent_events = Table(
    "consent_events",
    metadata,
    Column("seq", Position, nullable=False),
    Column("subject_id", String(100), nullable=False),
    Column("purpose_id", String(100), nullable=False),
    Column("action", String(10), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("terms_version", String(100), nullable=False),
    Column("actor", String(10), nullable=False),  # self | guardian
    Column("channel", String(40), nullable=False),
    Column("text_hash", String(64), nullable=False, default=""),
)

# The last position given in each append-only log; updating it is the writers' lock too.
ledger_heads = Table(
    "ledger_heads",
    metadata,
    Column("log", String(40), primary_key=True),
    Column("position", BigInteger, nullable=False),
)
