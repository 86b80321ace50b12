"""Provisions and their statutory records (APPI-29/30/31), append-only, searchable.

A provision is keyed by its lineage id (stamped on the export); ``provision_subjects`` lists
exactly who was in it, so that "who received my data" (APPI-33-5) and "who was in that
export" (incidents) are one indexed lookup. On PostgreSQL a trigger refuses UPDATE/DELETE.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Index, Integer, String, Table, Text

from mamori.ledger.tables.base import metadata

provisions = Table(
    "provisions",
    metadata,
    Column("lineage_id", String(64), primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("purpose_id", String(100), nullable=False),
    Column("recipient_id", String(100), nullable=False),
    Column("recipient_name", String(200), nullable=False),
    Column("recipient_address", Text, nullable=False),
    Column("recipient_representative", String(200), nullable=False),
    Column("recipient_country", String(8), nullable=False),
    Column("recipient_category", String(100), nullable=False),
    Column("relation", String(20), nullable=False),
    Column("items", Text, nullable=False),  # JSON list
    Column("provided_at", DateTime(timezone=True), nullable=False),
    Column("consent_position", Integer, nullable=False),  # ledger position the decisions read
    Column("subjects_allowed", Integer, nullable=False),
    Column("subjects_denied", Integer, nullable=False),
    Column("export_path", Text, nullable=False),
    Column("decision_rules", Text, nullable=False),  # JSON {rule: count}
    Index("ix_provisions_recipient", "recipient_id"),
    Index("ix_provisions_provided_at", "provided_at"),
)

provision_subjects = Table(
    "provision_subjects",
    metadata,
    Column("lineage_id", String(64), nullable=False),
    Column("subject_id", String(100), nullable=False),
    Index("ix_provision_subjects_subject", "subject_id"),
    Index("ix_provision_subjects_lineage", "lineage_id"),
)

provision_records = Table(
    "provision_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("lineage_id", String(64), nullable=False),
    Column("kind", String(30), nullable=False),  # provider | recipient | personal_related | foreign_info
    Column("rule", String(20), nullable=False),
    Column("items", Text, nullable=False),  # JSON {item: value}
    Column("keep_until", Date, nullable=True),  # None: legal hold
    Column("made_at", DateTime(timezone=True), nullable=False),
    Index("ix_provision_records_lineage", "lineage_id"),
)
