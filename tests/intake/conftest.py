"""Fixtures of the intake tests: one small synthetic world per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from mamori.lake.synth import SynthConfig, WorldSummary, build_world


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, WorldSummary]:
    """Build a 1k-member world once for the whole session."""
    folder = tmp_path_factory.mktemp("world")
    return folder, build_world(SynthConfig(members=1000, seed=3), folder)
