"""Engines and migrations: every command migrates the ledger on first use (no init step)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from mamori.errors import ConfigError

MIGRATIONS = Path(__file__).with_name("migrations")
WRITER = "mamori_writer"  # execution option: this connection's transaction writes
NO_WAIT = "mamori_no_wait"  # execution option: fail at BEGIN rather than wait for another writer
BUSY_MS = 30_000  # how long a SQLite writer waits for another one


@contextmanager
def writing(engine: Engine, wait: bool = True) -> Iterator[Connection]:
    """Open a write transaction (on SQLite it takes the write lock at BEGIN: BEGIN IMMEDIATE).

    With wait=False a SQLite BEGIN that finds another writer raises OperationalError at once
    instead of sleeping in the busy handler (the event loop's group commit tries this first).
    """
    with engine.connect() as connection:
        connection.execution_options(**{WRITER: True, NO_WAIT: not wait})
        with connection.begin():
            yield connection


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and writer-serializing transactions."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_MS / 1000})
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
    """Start SQLite write transactions (`writing`) with BEGIN IMMEDIATE, reads with BEGIN.

    Ledger positions are assigned by the application (max + 1) so that audit entries can name
    the range they cover; taking the write lock at BEGIN makes that read-then-write atomic.
    Reads begin deferred: in WAL mode they see a snapshot without taking the write lock, so a
    page's lookups never queue behind (or sleep in the busy handler beside) a writer.
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
        options = connection.get_execution_options()
        if not options.get(WRITER, False):
            connection.exec_driver_sql("BEGIN")
        elif not options.get(NO_WAIT, False):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("PRAGMA busy_timeout = 0")
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            finally:
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_MS}")


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
    with writing(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the ledger down to a revision ("base" removes everything)."""
    config = alembic_config(engine)
    with writing(engine) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
