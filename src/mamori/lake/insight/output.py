"""Write an insight result (CSV or Parquet, one row per cell) and its chart (SVG).

The chart is a hand-written SVG bar chart: one static figure does not justify matplotlib
(and its fonts) as a dependency, and SVG text renders Japanese in any browser.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from mamori.errors import InputError

_MAX_BARS = 120


def result_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> pa.Table:
    """Return the rows as an Arrow table with the columns in order."""
    arrays = {c: [r.get(c) for r in rows] for c in columns}
    return pa.table(arrays) if rows else pa.table({c: pa.array([], pa.string()) for c in columns})


def write_result(table: pa.Table, path: Path) -> None:
    """Write a result as CSV or Parquet (by the file's suffix), atomically."""
    if path.suffix not in (".csv", ".parquet"):
        raise InputError("出力は .csv か .parquet です", "the result is .csv or .parquet", file=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    if path.suffix == ".csv":
        pacsv.write_csv(table, temporary)
    else:
        pq.write_table(table, temporary)
    os.replace(temporary, path)


def write_chart(
    rows: Sequence[dict[str, Any]], dims: Sequence[str], metric: str, path: Path, title: str
) -> None:
    """Draw the main metric per cell as horizontal bars; suppressed cells are hatched and labelled."""
    if path.suffix != ".svg":
        raise InputError("グラフは .svg です", "the chart is written as .svg", file=str(path))
    shown = list(rows)[:_MAX_BARS]
    values = [float(r[metric]) for r in shown if not r["suppressed"] and r.get(metric) is not None]
    top = max(values, default=1.0) or 1.0
    label_w, bar_w, row_h, head = 260, 420, 18, 48
    height = head + row_h * len(shown) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 120}" height="{height}" '
        'font-family="sans-serif" font-size="11">',
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#999" stroke-width="2"/>'
        "</pattern></defs>",
        f'<text x="8" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
        f'<text x="8" y="36" fill="#555">{escape(metric)} — 斜線は秘匿セル / hatched = suppressed '
        "(MAMORI-AGG-1)</text>",
    ]
    for i, row in enumerate(shown):
        y = head + i * row_h
        label = " / ".join(str(row[d]) for d in dims) or "total"
        parts.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>')
        if row["suppressed"] or row.get(metric) is None:
            parts.append(
                f'<rect x="{label_w}" y="{y + 2}" width="60" height="{row_h - 4}" fill="url(#hatch)" '
                'stroke="#999"/>'
            )
            parts.append(f'<text x="{label_w + 66}" y="{y + 13}" fill="#777">秘匿 / suppressed</text>')
            continue
        width = max(float(row[metric]) / top * bar_w, 1.0)
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{width:.1f}" height="{row_h - 4}" fill="#3b7dd8"/>'
        )
        parts.append(f'<text x="{label_w + width + 4:.1f}" y="{y + 13}">{row[metric]}</text>')
    if len(rows) > len(shown):
        parts.append(
            f'<text x="8" y="{height - 8}" fill="#555">…{len(rows) - len(shown)} more cells in the result file</text>'
        )
    parts.append("</svg>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")
