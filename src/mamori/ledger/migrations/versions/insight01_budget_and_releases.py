"""Insight recipients, privacy budgets and releases.

Revision ID: insight01
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mamori.ledger.migrations.append_only import allow_changes, refuse_changes

revision = "insight01"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "insight_recipients",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("budget_epsilon", sa.Float, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    position = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "insight_releases",
        sa.Column("seq", position, primary_key=True, autoincrement=False),
        sa.Column("recipient_id", sa.String(100), nullable=False),
        sa.Column("purpose_id", sa.String(100), nullable=False),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("snapshot_position", sa.Integer, nullable=False),
        sa.Column("snapshot_taken_at", sa.String(40), nullable=False),
        sa.Column("snapshot_digest", sa.String(64), nullable=False),
        sa.Column("cells", sa.Integer, nullable=False),
        sa.Column("suppressed", sa.Text, nullable=False),
        sa.Column("epsilon", sa.Float, nullable=False),
        sa.Column("result_digest", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_insight_releases_recipient_id", "insight_releases", ["recipient_id"])
    refuse_changes("insight_releases")


def downgrade() -> None:
    allow_changes("insight_releases")
    op.drop_index("ix_insight_releases_recipient_id", table_name="insight_releases")
    op.drop_table("insight_releases")
    op.drop_table("insight_recipients")
