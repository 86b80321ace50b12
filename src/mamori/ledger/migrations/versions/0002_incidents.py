"""Incidents: reserved ids and the append-only incident event log.

Revision ID: 0002_incidents
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mamori.ledger.migrations.append_only import allow_changes, refuse_changes

revision = "0002_incidents"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("reserved_at", sa.DateTime(timezone=True), nullable=False),
    )
    position = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "incident_events",
        sa.Column("incident_id", sa.String(40), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("audit_seq", position, nullable=False),
        sa.PrimaryKeyConstraint("incident_id", "seq", name="pk_incident_events"),
    )
    refuse_changes("incident_events")  # the incident record is evidence, never edited


def downgrade() -> None:
    allow_changes("incident_events")
    op.drop_table("incident_events")
    op.drop_table("incidents")
