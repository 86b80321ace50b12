"""Shared fixtures: the throwaway PostgreSQL server and ledgers on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mamori.bootstrap import Platform, build
from mamori.settings import Settings
from mamori.testing.postgres import Server

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """Start one PostgreSQL server for the whole run."""
    server = Server()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty ledger database: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    server: Server = request.getfixturevalue("pg_server")
    return server.create_database(f"t{next(_counter)}")


@pytest.fixture
def make_platform(tmp_path: Path) -> Iterator[Callable[..., Platform]]:
    """Wire platforms on given databases; their engines are disposed after the test."""
    built: list[Platform] = []

    def _make(url: str, home: Path | None = None) -> Platform:
        platform = build(Settings(home=home or tmp_path / "home", database_url=url))
        built.append(platform)
        return platform

    yield _make
    for platform in built:
        platform.ledger.engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _stop_spark_at_the_end() -> Iterator[None]:
    """Stop the one shared SparkSession, if any test started it (mamori.lake.spark)."""
    yield
    from mamori.lake.spark import spark_session

    if spark_session.cache_info().currsize:
        spark_session().stop()
