"""Provisions, the subjects in each, and their statutory records (append-only).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mamori.ledger.migrations.append_only import allow_changes, refuse_changes

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APPEND_ONLY_TABLES = ("provisions", "provision_subjects", "provision_records")


def upgrade() -> None:
    op.create_table(
        "provisions",
        sa.Column("lineage_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("purpose_id", sa.String(100), nullable=False),
        sa.Column("recipient_id", sa.String(100), nullable=False),
        sa.Column("recipient_name", sa.String(200), nullable=False),
        sa.Column("recipient_address", sa.Text, nullable=False),
        sa.Column("recipient_representative", sa.String(200), nullable=False),
        sa.Column("recipient_country", sa.String(8), nullable=False),
        sa.Column("recipient_category", sa.String(100), nullable=False),
        sa.Column("relation", sa.String(20), nullable=False),
        sa.Column("items", sa.Text, nullable=False),
        sa.Column("provided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent_position", sa.Integer, nullable=False),
        sa.Column("subjects_allowed", sa.Integer, nullable=False),
        sa.Column("subjects_denied", sa.Integer, nullable=False),
        sa.Column("export_path", sa.Text, nullable=False),
        sa.Column("decision_rules", sa.Text, nullable=False),
    )
    op.create_index("ix_provisions_recipient", "provisions", ["recipient_id"])
    op.create_index("ix_provisions_provided_at", "provisions", ["provided_at"])
    op.create_table(
        "provision_subjects",
        sa.Column("lineage_id", sa.String(64), nullable=False),
        sa.Column("subject_id", sa.String(100), nullable=False),
    )
    op.create_index("ix_provision_subjects_subject", "provision_subjects", ["subject_id"])
    op.create_index("ix_provision_subjects_lineage", "provision_subjects", ["lineage_id"])
    op.create_table(
        "provision_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("lineage_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("rule", sa.String(20), nullable=False),
        sa.Column("items", sa.Text, nullable=False),
        sa.Column("keep_until", sa.Date, nullable=True),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_provision_records_lineage", "provision_records", ["lineage_id"])
    refuse_changes(*APPEND_ONLY_TABLES)


def downgrade() -> None:
    allow_changes(*APPEND_ONLY_TABLES)
    op.drop_index("ix_provision_records_lineage", table_name="provision_records")
    op.drop_table("provision_records")
    op.drop_index("ix_provision_subjects_lineage", table_name="provision_subjects")
    op.drop_index("ix_provision_subjects_subject", table_name="provision_subjects")
    op.drop_table("provision_subjects")
    op.drop_index("ix_provisions_provided_at", table_name="provisions")
    op.drop_index("ix_provisions_recipient", table_name="provisions")
    op.drop_table("provisions")
