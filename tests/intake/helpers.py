"""Ingest a small file through the real pipeline (DuckDB, Parquet) with an in-memory catalogue."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from mamori.lake.intake import open_intake
from mamori.services.intake import IngestOutcome, ingest
from mamori.testing.catalog import InMemoryDatasetCatalog

NOW = datetime(2026, 4, 2, 3, 0, tzinfo=UTC)
HEADER = "顧客ID,氏名,フリガナ,生年月日,性別,電話番号,メールアドレス,郵便番号,住所\n"


def ingest_bytes(
    tmp_path: Path, data: bytes, name: str = "in.csv", kind: str = "customers", **options: object
) -> tuple[IngestOutcome, InMemoryDatasetCatalog]:
    """Write `data` to a file, ingest it, and check the accounting identity."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / name
    path.write_bytes(data)
    catalog = InMemoryDatasetCatalog()
    intake = open_intake(path, kind=kind, lake_dir=tmp_path / "lake", now=NOW, **options)  # type: ignore[arg-type]
    outcome = ingest(intake, catalog, source_name="partner", now=NOW)
    p = outcome.published
    assert p.rows_in == p.rows_accepted + p.rows_quarantined
    assert read_data(outcome).height == p.rows_accepted
    quarantine = read_quarantine(outcome)
    assert quarantine["row"].n_unique() == p.rows_quarantined
    return outcome, catalog


def read_data(outcome: IngestOutcome) -> pl.DataFrame:
    """Read the published dataset."""
    return pl.read_parquet(Path(outcome.record.path) / "data" / "*.parquet")


def read_quarantine(outcome: IngestOutcome) -> pl.DataFrame:
    """Read the quarantine table (file, row, field, reason)."""
    return pl.read_parquet(Path(outcome.record.path) / "quarantine.parquet")


def reasons_by_row(outcome: IngestOutcome) -> dict[int, set[str]]:
    """Return {row: {reason, ...}} of the quarantine."""
    found: dict[int, set[str]] = {}
    for row, reason in read_quarantine(outcome).select("row", "reason").iter_rows():
        found.setdefault(row, set()).add(reason)
    return found
