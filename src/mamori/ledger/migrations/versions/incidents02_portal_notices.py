"""Incidents: notices delivered to affected persons through the member portal.

Revision ID: incidents02
Revises: 0002_incidents
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mamori.ledger.migrations.append_only import allow_changes, refuse_changes

revision = "incidents02"
down_revision = "0002_incidents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portal_notices",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("incident_id", sa.String(40), nullable=False),
        sa.Column("subject_id", sa.String(100), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_portal_notices_subject_id", "portal_notices", ["subject_id"])
    refuse_changes("portal_notices")  # a delivery record (APPI-26-2) is never edited


def downgrade() -> None:
    allow_changes("portal_notices")
    op.drop_index("ix_portal_notices_subject_id", table_name="portal_notices")
    op.drop_table("portal_notices")
