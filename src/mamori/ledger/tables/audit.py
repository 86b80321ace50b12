"""The hash-chained audit log (format in mamori.domain.audit)."""

from __future__ import annotations

from sqlalchemy import Column, String, Table, Text

from mamori.ledger.tables.base import Position, metadata

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Position, primary_key=True, autoincrement=False),
    Column("kind", String(60), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("at", String(40), nullable=False),  # ISO 8601 UTC, exactly as hashed
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
