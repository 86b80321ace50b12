"""Write a result frame as CSV (UTF-8, no BOM) or Parquet, chosen by the file's suffix."""

from __future__ import annotations

from pathlib import Path

import polars as pl


def write_frame(frame: pl.DataFrame, path: Path) -> None:
    """Write Parquet for `.parquet`, else CSV in UTF-8 without a byte-order mark."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path, include_bom=False)
