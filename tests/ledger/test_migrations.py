"""Alembic migrations go up and down on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from mamori.ledger.engine import downgrade, make_engine, upgrade
from mamori.testing.postgres import Server


def test_migrations_up_down_up(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"purposes", "terms_versions", "subjects", "consent_events", "audit_log"} <= tables
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert "consent_events" in inspect(engine).get_table_names()
    engine.dispose()


@pytest.mark.postgres
def test_event_lots_migration_keeps_the_events(pg_server: Server) -> None:
    """foundation02 turns a filled event table into lot 0 of the partitioned one, and back."""
    url = pg_server.create_database("lots_migration")
    engine = make_engine(url)
    upgrade(engine, "0001")
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO consent_events VALUES "
                "(1, 'hanako', 'analysis', 'grant', '2024-01-01T00:00:00Z', 'v1', 'self', 'web', '')"
            )
        )
    upgrade(engine)
    with engine.connect() as c:
        assert c.execute(text("SELECT subject_id, lot FROM consent_events")).all() == [("hanako", 0)]
        assert c.execute(text("SELECT count(*) FROM consent_events_live")).scalar() == 1
    downgrade(engine, "0001")
    with engine.connect() as c:
        assert c.execute(text("SELECT seq, subject_id FROM consent_events")).all() == [(1, "hanako")]
    engine.dispose()
