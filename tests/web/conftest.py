"""Fixtures of the web tests: a seeded world per test and signed-in clients."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.world import EMAILS, World, make_world, sign_in


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """A seeded world and its app."""
    built = make_world(tmp_path / "home")
    yield built
    built.ctx.platform.ledger.engine.dispose()


@pytest.fixture
def anon(world: World) -> TestClient:
    """A client that has not signed in."""
    return TestClient(world.app)


@pytest.fixture
def alice(world: World) -> TestClient:
    """Alice, signed in (guardian of the minor M-KID)."""
    client = TestClient(world.app)
    sign_in(world, client, EMAILS["M-ALICE"])
    return client


@pytest.fixture
def bob(world: World) -> TestClient:
    """Bob, signed in."""
    client = TestClient(world.app)
    sign_in(world, client, EMAILS["M-BOB"])
    return client


@pytest.fixture
def officer(world: World) -> TestClient:
    """The privacy officer, signed in."""
    client = TestClient(world.app)
    sign_in(world, client, EMAILS["officer"])
    return client
