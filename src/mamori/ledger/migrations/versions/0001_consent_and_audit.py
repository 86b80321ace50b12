"""Consent core and the audit chain.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_APPEND_ONLY_FN = """
CREATE OR REPLACE FUNCTION mamori_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'mamori: % on % is refused: the table is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
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
    op.create_table(
        "consent_events",
        sa.Column("seq", position, primary_key=True, autoincrement=False),
        sa.Column("subject_id", sa.String(100), nullable=False),
        sa.Column("purpose_id", sa.String(100), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("terms_version", sa.String(100), nullable=False),
        sa.Column("actor", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_consent_events_subject_purpose", "consent_events", ["subject_id", "purpose_id"])
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
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_APPEND_ONLY_FN)
        for table in APPEND_ONLY_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION mamori_refuse_change()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS mamori_refuse_change()")
    op.drop_table("audit_log")
    op.drop_index("ix_consent_events_subject_purpose", table_name="consent_events")
    op.drop_table("consent_events")
    op.drop_table("subjects")
    op.drop_table("terms_versions")
    op.drop_table("purposes")
