"""Consent core and the audit chain.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mamori.ledger.migrations.append_only import (
    allow_changes,
    create_refusal_function,
    drop_refusal_function,
    refuse_changes,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY_TABLES = ("consent_events", "audit_log")


def upgrade() -> None:
    op.create_table(
        "purposes",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("bit", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("recipients", sa.Text, nullable=False),
        sa.Column("foreign", sa.Boolean, nullable=False),
        sa.Column("countries", sa.Text, nullable=False),
        sa.Column("basis", sa.String(20), nullable=False),
        sa.Column("ppc_notified", sa.Boolean, nullable=False),
        sa.Column("description_ja", sa.Text, nullable=False),
        sa.Column("description_en", sa.Text, nullable=False),
        sa.Column("items", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("bit", name="uq_purposes_bit"),
    )
    op.create_table(
        "terms_versions",
        sa.Column("version", sa.String(100), primary_key=True),
        sa.Column("effective", sa.Date, nullable=False),
        sa.Column("purposes", sa.Text, nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "subjects",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("birth_date", sa.Date, nullable=True),
        sa.Column("guardian_id", sa.String(100), nullable=True),
    )
    position = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    # Positions are given by the application under the writer lock (ledger_heads), so PostgreSQL
    # needs no unique index to keep them unique: a BRIN index serves range reads of positions and
    # a hash index serves one subject's events, which keeps bulk COPY close to a bare COPY.
    # SQLite keeps the rowid as the position (free) and a b-tree per subject.
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "consent_events",
        sa.Column("seq", position, primary_key=sqlite, autoincrement=False, nullable=False),
        sa.Column("subject_id", sa.String(100), nullable=False),
        sa.Column("purpose_id", sa.String(100), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("terms_version", sa.String(100), nullable=False),
        sa.Column("actor", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
    )
    if sqlite:
        op.create_index("ix_consent_events_subject", "consent_events", ["subject_id"])
    else:
        op.create_index("ix_consent_events_seq", "consent_events", ["seq"], postgresql_using="brin")
        op.create_index(
            "ix_consent_events_subject", "consent_events", ["subject_id"], postgresql_using="hash"
        )
    op.create_table(
        "ledger_heads",
        sa.Column("log", sa.String(40), primary_key=True),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.execute("INSERT INTO ledger_heads (log, position) VALUES ('consent_events', 0)")
    op.create_table(
        "audit_log",
        sa.Column("seq", position, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    create_refusal_function()
    refuse_changes(*APPEND_ONLY_TABLES)


def downgrade() -> None:
    allow_changes(*APPEND_ONLY_TABLES)
    drop_refusal_function()
    op.drop_table("audit_log")
    op.drop_table("ledger_heads")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_index("ix_consent_events_seq", table_name="consent_events")
    op.drop_index("ix_consent_events_subject", table_name="consent_events")
    op.drop_table("consent_events")
    op.drop_table("subjects")
    op.drop_table("terms_versions")
    op.drop_table("purposes")
