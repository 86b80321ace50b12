"""Insight recipients with their privacy budget, the ε charges, and the record of every release."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Integer, String, Table, Text

from mamori.ledger.tables.base import Position, metadata

insight_recipients = Table(
    "insight_recipients",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", Text, nullable=False, default=""),
    Column("budget_epsilon", Float, nullable=False),  # MAMORI-DP-1: the total ε this client may spend
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Append-only: a release, once made, is a fact; the audit chain covers each row's digest.
insight_releases = Table(
    "insight_releases",
    metadata,
    Column("seq", Position, primary_key=True, autoincrement=False),
    Column("recipient_id", String(100), nullable=False, index=True),
    Column("purpose_id", String(100), nullable=False),
    Column("spec", Text, nullable=False),  # JSON of the validated spec
    Column("snapshot_position", Integer, nullable=False),
    Column("snapshot_taken_at", String(40), nullable=False),
    Column("snapshot_digest", String(64), nullable=False),
    Column("cells", Integer, nullable=False),
    Column("suppressed", Text, nullable=False),  # JSON list of suppressed cell keys
    Column("epsilon", Float, nullable=False),  # 0 when no DP noise was added
    Column("result_digest", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
