"""Read the synthetic world's members file into the subjects the ledger registers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from mamori.domain.subjects import Subject


def read_members(path: Path) -> list[Subject]:
    """Return each member with birth date and registered guardian."""
    frame = pl.read_csv(
        path,
        columns=["member_id", "birth_date", "guardian_id"],
        schema_overrides={"member_id": pl.Utf8, "birth_date": pl.Utf8, "guardian_id": pl.Utf8},
    )
    return [
        Subject(member, date.fromisoformat(birth) if birth else None, guardian or None)
        for member, birth, guardian in frame.iter_rows()
    ]
