"""Consent events on PostgreSQL: one partition per bulk import ("lot"), the live events in lot 0.

Why: an index that grows row by row during a COPY costs the server more than the COPY itself
(about 1.1 s per million events for the hash index on subject). A bulk import instead fills a
table of its own, indexes it once when full (a sorted b-tree build, 0.45 s per million), and
attaches it as a partition. Subject ids compare bytewise (collation "C", the order Python sorts
them in), which is what makes that build fast. Reads of one member go through each partition's
subject index; events written one by one keep going to the live partition and its hash index.
SQLite keeps its single table.

Revision ID: foundation02
Revises: 0001
"""

from __future__ import annotations

from alembic import op

from mamori.ledger.migrations.append_only import allow_changes, refuse_changes

revision = "foundation02"
down_revision = "0001"
branch_labels = None
depends_on = None

LIVE = "consent_events_live"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    allow_changes("consent_events")
    op.execute(f"ALTER TABLE consent_events RENAME TO {LIVE}")
    op.execute(f"ALTER TABLE {LIVE} ADD COLUMN lot bigint NOT NULL DEFAULT 0")
    op.execute(f'ALTER TABLE {LIVE} ALTER COLUMN subject_id TYPE varchar(100) COLLATE "C"')
    op.execute(f"CREATE TABLE consent_events (LIKE {LIVE} INCLUDING DEFAULTS) PARTITION BY LIST (lot)")
    op.execute(f"ALTER TABLE consent_events ATTACH PARTITION {LIVE} FOR VALUES IN (0)")
    refuse_changes("consent_events", LIVE)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE TABLE consent_events_flat (LIKE consent_events)")  # NOT NULLs come along
    op.execute("INSERT INTO consent_events_flat SELECT * FROM consent_events ORDER BY seq")
    op.execute("DROP TABLE consent_events CASCADE")  # the partitions with it
    op.execute("ALTER TABLE consent_events_flat RENAME TO consent_events")
    op.execute("ALTER TABLE consent_events DROP COLUMN lot")
    op.execute(
        'ALTER TABLE consent_events ALTER COLUMN subject_id TYPE varchar(100) COLLATE pg_catalog."default"'
    )
    op.execute("CREATE INDEX ix_consent_events_seq ON consent_events USING brin (seq)")
    op.execute("CREATE INDEX ix_consent_events_subject ON consent_events USING hash (subject_id)")
    refuse_changes("consent_events")
