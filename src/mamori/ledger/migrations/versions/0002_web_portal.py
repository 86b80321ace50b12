"""Portal: member accounts, sign-in codes, sessions, outbox, data-subject requests, partner keys.

Revision ID: 0002_web
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_web"
down_revision = "0001"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "member_accounts",
        sa.Column("email", sa.String(254), primary_key=True),
        sa.Column("subject_id", sa.String(100), nullable=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
    )
    op.create_index("ix_member_accounts_subject_id", "member_accounts", ["subject_id"])
    # "Guardians manage a minor's consents": finding a guardian's wards must not scan every subject.
    op.create_index("ix_subjects_guardian_id", "subjects", ["guardian_id"])
    op.create_table(
        "sign_in_codes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("expires_at", _TZ, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("used", sa.Integer, nullable=False),
    )
    op.create_index("ix_sign_in_codes_email", "sign_in_codes", ["email"])
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("expires_at", _TZ, nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("to_addr", sa.String(254), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
    )
    op.create_table(
        "data_requests",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("subject_id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("updated_at", _TZ, nullable=False),
    )
    op.create_index("ix_data_requests_subject_id", "data_requests", ["subject_id"])
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("recipient", sa.String(100), nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.UniqueConstraint("key_hash", name="uq_api_keys_key_hash"),
    )
    op.create_table(
        "partner_requests",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("recipient", sa.String(100), nullable=False),
        sa.Column("purpose_id", sa.String(100), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
    )
    op.create_index("ix_partner_requests_recipient", "partner_requests", ["recipient"])


def downgrade() -> None:
    op.drop_index("ix_partner_requests_recipient", table_name="partner_requests")
    op.drop_table("partner_requests")
    op.drop_table("api_keys")
    op.drop_index("ix_data_requests_subject_id", table_name="data_requests")
    op.drop_table("data_requests")
    op.drop_table("outbox")
    op.drop_table("web_sessions")
    op.drop_index("ix_sign_in_codes_email", table_name="sign_in_codes")
    op.drop_table("sign_in_codes")
    op.drop_index("ix_member_accounts_subject_id", table_name="member_accounts")
    op.drop_index("ix_subjects_guardian_id", table_name="subjects")
    op.drop_table("member_accounts")
