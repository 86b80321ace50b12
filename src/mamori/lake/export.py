"""Write lake data for people who open it in a spreadsheet, without formula injection.

Cells that start with =, +, -, @ (or a tab or carriage return) are taken by Excel and
LibreOffice as formulas (CWE-1236). Intake keeps such values as data; every CSV mamori
writes for people goes through here, which prefixes them with an apostrophe, the OWASP
recommendation, so they display as text and never run.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

FORMULA_START = r"^[=+\-@\t\r]"


def spreadsheet_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """Return the frame with every text cell that would start a formula prefixed by '."""
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_START))
        .then("'" + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


def write_csv_for_people(frame: pl.DataFrame, path: Path) -> None:
    """Write a CSV for spreadsheet users (UTF-8 with BOM, so Excel reads Japanese correctly)."""
    path.write_bytes(spreadsheet_safe(frame).write_csv().encode("utf-8-sig"))
