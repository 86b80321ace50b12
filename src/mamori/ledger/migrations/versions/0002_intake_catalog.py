"""Dataset catalogue and ingest quarantine (intake).

Revision ID: 0002_intake
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_intake"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "datasets",
        sa.Column("dataset_id", sa.String(300), primary_key=True),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("schema", sa.Text, nullable=False),
        sa.Column("rows_in", sa.BigInteger, nullable=False),
        sa.Column("rows_accepted", sa.BigInteger, nullable=False),
        sa.Column("rows_quarantined", sa.BigInteger, nullable=False),
        sa.Column("classifications", sa.Text, nullable=False),
        sa.Column("marks", sa.Text, nullable=False),
        sa.Column("engine", sa.String(20), nullable=False),
        sa.Column("provider_name", sa.Text, nullable=True),
        sa.Column("provider_address", sa.Text, nullable=True),
        sa.Column("representative", sa.Text, nullable=True),
        sa.Column("acquisition_method", sa.Text, nullable=True),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "quarantine_entries",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
        sa.Column("dataset_id", sa.String(300), nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("row", sa.BigInteger, nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
    )
    op.create_index("ix_quarantine_entries_dataset_id", "quarantine_entries", ["dataset_id"])


def downgrade() -> None:
    op.drop_index("ix_quarantine_entries_dataset_id", table_name="quarantine_entries")
    op.drop_table("quarantine_entries")
    op.drop_table("datasets")
