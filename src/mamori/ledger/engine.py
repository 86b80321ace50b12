"""Engines and migrations: every command migrates the ledger on first use (no init step)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from mamori.errors import ConfigError

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and writer-serializing transactions."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        _serialize_sqlite_writers(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":  # psycopg 3 is the supported driver
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            return create_engine(parsed, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            raise ConfigError(
                "PostgreSQL には追加パッケージが必要です：pip install 'mamori[postgres]'",
                "PostgreSQL needs an extra: pip install 'mamori[postgres]'",
            ) from exc
    raise ConfigError(
        f"未対応のデータベースです：{parsed.get_backend_name()}", f"unsupported database: {url}"
    )


def _serialize_sqlite_writers(engine: Engine) -> None:
    """Start every SQLite transaction with BEGIN IMMEDIATE.

    Ledger positions are assigned by the application (max + 1) so that audit entries can name
    the range they cover; taking the write lock at BEGIN makes that read-then-write atomic.
    This is SQLAlchemy's documented recipe for pysqlite's transaction handling.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic config that runs mamori's migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Migrate the ledger up to a revision (all heads by default).

    Each area (consent, incidents, provision, ...) adds its migrations as its own branch off
    revision 0001, so areas developed side by side never fight over one linear history.
    """
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the ledger down to a revision ("base" removes everything)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
