"""Write a provision's export with DuckDB: exactly the allowed subjects, a lineage id, safe cells.

CSV exports neutralize spreadsheet formulas (cells starting with = + - @ tab CR get a
leading apostrophe, mamori.domain.provision.export) in SQL, column by column.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np

from mamori.domain.config import PolicyConfig
from mamori.errors import InputError
from mamori.lake.anonymize.source import open_source, q, safe_sql
from mamori.services.provide import SnapshotRef
from mamori.services.snapshot import SnapshotEngine, SnapshotSource, take_snapshot

LINEAGE_COLUMN = "mamori_lineage_id"


class DuckDBExporter:
    """Exports rows of a CSV/Parquet table for the allowed subjects only."""

    def __init__(self, source: Path, subject_column: str, items: Sequence[str], out: Path) -> None:
        self.source = source
        self.subject_column = subject_column
        self.items = list(items)
        self.out = out.resolve()  # the ledger keeps the path: relative to what would be ambiguous later

    def export(self, subjects: Sequence[str], lineage_id: str) -> tuple[str, int]:
        """Write the export; return its path and row count."""
        con = duckdb.connect()
        src = open_source(self.source, con)
        for name in (self.subject_column, *self.items):
            if name not in src.types:
                raise InputError(
                    f"列 {name} が入力にありません",
                    f"column {name} is not in the input",
                    field=name,
                    file=str(self.source),
                )
        allowed = {"subject_id": np.array(list(subjects), dtype=object)}  # noqa: F841 - scanned by DuckDB
        csv = self.out.suffix.lower() != ".parquet"
        select = []
        for name in self.items:
            expr = f"CAST(raw.{q(name)} AS VARCHAR)" if csv else f"raw.{q(name)}"
            select.append(f"{safe_sql(expr) if csv else expr} AS {q(name)}")
        select.append(f"'{lineage_id}' AS {LINEAGE_COLUMN}")
        self.out.parent.mkdir(parents=True, exist_ok=True)
        target = str(self.out).replace("'", "''")
        fmt = "CSV, HEADER" if csv else "PARQUET"
        con.sql(
            f"COPY (SELECT {', '.join(select)} FROM raw "
            f"SEMI JOIN allowed ON CAST(raw.{q(self.subject_column)} AS VARCHAR) = allowed.subject_id) "
            f"TO '{target}' (FORMAT {fmt})"
        )
        rows = int(con.sql(f"SELECT count(*) FROM '{target}'").fetchall()[0][0])
        self.out.with_name(self.out.name + ".manifest.json").write_text(
            json.dumps(
                # The source names where the rows came from (the console's lineage page links it).
                {
                    "lineage_id": lineage_id,
                    "rows": rows,
                    "items": self.items,
                    "source": str(self.source.resolve()),
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
        return str(self.out), rows

    def withdraw(self, path: str) -> None:
        """Remove an export whose records could not be written."""
        for file in (Path(path), Path(path + ".manifest.json")):
            file.unlink(missing_ok=True)


def snapshot_taker(
    source: SnapshotSource, engine: SnapshotEngine, at: datetime, target: Path, config: PolicyConfig
) -> Callable[[], SnapshotRef]:
    """Return what takes the provision's consent snapshot and names it by file and content hash."""

    def take() -> SnapshotRef:
        info = take_snapshot(source, engine, at, target, config)
        digest = hashlib.sha256(info.path.read_bytes()).hexdigest()  # fixes the file the record names
        return SnapshotRef(str(info.path), digest, info.position)

    return take
