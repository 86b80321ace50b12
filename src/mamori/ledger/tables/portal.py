"""The portal's tables: member accounts, sign-in codes, sessions, outbox, requests, partner keys.

Secrets are stored as SHA-256 hashes only (codes, session tokens, API keys).
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Index, Integer, String, Table, Text

from mamori.ledger.tables.base import metadata
from mamori.ledger.tables.consent import subjects

member_accounts = Table(
    "member_accounts",
    metadata,
    Column("email", String(254), primary_key=True),  # lower-cased
    Column("subject_id", String(100), nullable=True),  # None for staff without a membership
    Column("role", String(20), nullable=False),  # member | privacy_officer | operator | auditor
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_member_accounts_subject_id", "subject_id"),
)

sign_in_codes = Table(
    "sign_in_codes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False),
    Column("client", String(64), nullable=False),  # the client address, for the rate limit
    Column("code_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("used", Integer, nullable=False, default=0),
    Index("ix_sign_in_codes_email", "email"),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("email", String(254), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("to_addr", String(254), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

data_requests = Table(
    "data_requests",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("subject_id", String(100), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("detail", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("received_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_data_requests_subject_id", "subject_id"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("recipient", String(100), nullable=False),
    Column("scopes", Text, nullable=False),  # space-separated
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

partner_requests = Table(
    "partner_requests",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("recipient", String(100), nullable=False),
    Column("purpose_id", String(100), nullable=False),
    Column("description", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_partner_requests_recipient", "recipient"),
)

# Finding a guardian's wards (APPI-CONSENT-4) must not scan every subject; the index lives in the
# portal's migration, so it is declared here beside the tables that migration creates.
Index("ix_subjects_guardian_id", subjects.c.guardian_id)
