"""Alembic migrations go up and down on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import inspect

from mamori.ledger.engine import downgrade, make_engine, upgrade


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
