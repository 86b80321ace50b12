"""Fixtures for matching tests: the small synthetic world written as CSV files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.match import world


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    """Write rows under the standard header (UTF-8)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(world.HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="session")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[tuple[str, str]]]:
    """Member and client CSV files of the synthetic world, and the true pairs."""
    base = tmp_path_factory.mktemp("world")
    members, clients, truth = world.files()
    return write_csv(base / "members.csv", members), write_csv(base / "clients.csv", clients), truth
