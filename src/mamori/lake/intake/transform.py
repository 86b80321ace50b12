"""The intake pipeline, defined once: a batch of raw text columns in, normalized rows and issues out.

Both engines run exactly this function on Arrow batches (DuckDB streams its CSV reader's
batches through it; Spark calls it from `mapInArrow`), so their outputs are identical by
construction and the parity test checks it.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl

from mamori.domain.intake import Reason
from mamori.lake.intake.checks import FieldCheck, check_field
from mamori.lake.intake.schema import KindSchema
from mamori.lake.normalize import kana_reading_series

INDEX = "__index"  # position of the record among the records the reader parsed
JSON_OK = "__json_ok"  # JSON Lines: whether the line parsed
_FORMULA = r"^[=+\-@]"  # spreadsheet formula prefixes (CWE-1236)


@dataclass(frozen=True)
class Pipeline:
    """Which raw column feeds which field, and the context checks need."""

    schema: KindSchema
    columns: dict[str, str]  # raw column -> field
    extras: dict[str, str]  # raw column -> output name (unknown headers, kept as text)
    today: date
    now: datetime
    email_provider_rules: bool = False
    # Only a transcoded file (CP932) can carry U+FFFD for undecodable bytes; DuckDB rejects
    # invalid UTF-8 itself, so UTF-8 input skips this (costly) scan.
    check_replacement: bool = False

    def output_schema(self) -> dict[str, pl.DataType]:
        """Return the normalized dataset's columns and types (the same for every batch)."""
        out: dict[str, pl.DataType] = {}
        for target in self.schema.fields:
            kind = self.schema.fields[target]
            out[target] = _DTYPES.get(kind, pl.String())
            if kind == "name":
                out[f"{target}_normalized"] = pl.String()
            if kind == "kana":
                out[f"{target}_written"] = pl.String()
                out["kana_inferred"] = pl.Boolean()
        for name in self.extras.values():
            out[name] = pl.String()
        return out


_DTYPES: dict[str, pl.DataType] = {
    "date": pl.Date(),
    "timestamp": pl.Datetime("us", "UTC"),
    "yen": pl.Int64(),
    "integer": pl.Int64(),
}
ISSUE_SCHEMA = {INDEX: pl.Int64(), "field": pl.String(), "reason": pl.String()}
_POOL = ThreadPoolExecutor(
    max_workers=max(2, min(4, os.cpu_count() or 2)), thread_name_prefix="mamori-intake"
)


def run_batch(batch: pl.DataFrame, pipeline: Pipeline) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Normalize and validate one batch; return (accepted rows, issues (index, field, reason))."""
    by_field = {target: raw for raw, target in pipeline.columns.items()}
    values: dict[str, pl.Series] = {}
    issues: list[pl.DataFrame] = []
    index = batch[INDEX]

    def flag(mask: pl.Series, field_name: str, reason: Reason) -> None:
        if mask.any():
            issues.append(
                pl.DataFrame(
                    {INDEX: index.filter(mask), "field": field_name, "reason": reason.value},
                    schema=ISSUE_SCHEMA,
                )
            )

    if JSON_OK in batch.columns:
        flag(~batch[JSON_OK].fill_null(False), "", Reason.MALFORMED_RECORD)
    for header in [*pipeline.columns, *pipeline.extras] if pipeline.check_replacement else []:
        undecodable = batch[header].str.contains("\ufffd", literal=True).fill_null(False)
        flag(undecodable, header, Reason.INVALID_ENCODING)
    present: list[pl.Series] = []

    def check(target: str) -> FieldCheck:
        raw_name = by_field.get(target)
        raw = (
            batch[raw_name]
            if raw_name is not None
            else pl.Series(target, [None] * batch.height, dtype=pl.String)
        )
        kind = pipeline.schema.fields[target]
        return check_field(raw, kind, pipeline.today, pipeline.now, pipeline.email_provider_rules)

    # Fields are independent and polars releases the GIL inside each operation: checking
    # them on two threads keeps both cores busy. Results are used in field order.
    results = list(_POOL.map(check, pipeline.schema.fields))
    for target, result in zip(pipeline.schema.fields, results, strict=True):
        raw_name = by_field.get(target)
        values[target] = result.value.alias(target)
        for reason, mask in result.failures:
            flag(mask, raw_name or target, reason)
        if target != pipeline.schema.id_field:
            present.append(result.present)
        for extra_name, extra in result.extras.items():
            values[f"{target}_{extra_name}"] = extra.alias(f"{target}_{extra_name}")
    for raw_name, out_name in pipeline.extras.items():
        text = batch[raw_name].str.strip_chars()
        values[out_name] = pl.select(pl.when(text != "").then(text)).to_series().alias(out_name)
        present.append(values[out_name].is_not_null())
    _infer_kana(values, pipeline)
    if present:
        anything = pl.select(pl.any_horizontal(present)).to_series()
        flag(~anything, "", Reason.NO_USABLE_FIELD)
    frame = pl.DataFrame([values[name].cast(dtype) for name, dtype in pipeline.output_schema().items()])
    found = pl.concat(issues) if issues else pl.DataFrame(schema=ISSUE_SCHEMA)
    if JSON_OK in batch.columns:
        # A line that is not JSON has no fields to judge: its one reason is malformed_record.
        broken = index.filter(~batch[JSON_OK].fill_null(False)).implode()
        found = found.filter(
            ~pl.col(INDEX).is_in(broken) | (pl.col("reason") == Reason.MALFORMED_RECORD.value)
        )
    bad = found[INDEX].unique()
    accepted = frame.filter(~index.is_in(bad.implode()))
    return accepted, found


def formula_cells(batch: pl.DataFrame, pipeline: Pipeline) -> int:
    """Count text cells that a spreadsheet would run as a formula (kept as data, escaped on export)."""
    names = [
        raw
        for raw, target in pipeline.columns.items()
        if pipeline.schema.fields[target] in {"text", "name", "address"}
    ]
    names += list(pipeline.extras)
    return sum(int(batch[n].str.contains(_FORMULA).fill_null(False).sum()) for n in names)


def _infer_kana(values: dict[str, pl.Series], pipeline: Pipeline) -> None:
    # A kana reading left empty (or not kana) is inferred from the kanji name, and flagged.
    kana_field = next((f for f, k in pipeline.schema.fields.items() if k == "kana"), None)
    name_field = next((f for f, k in pipeline.schema.fields.items() if k == "name"), None)
    if kana_field is None:
        return
    written = values[kana_field]
    inferred = pl.Series("kana_inferred", [False] * len(written), dtype=pl.Boolean)
    if name_field is not None and written.null_count():
        missing = written.is_null() & values[name_field].is_not_null()
        if missing.any():
            where = missing.arg_true()
            readings = kana_reading_series(values[name_field].gather(where))
            written = written.scatter(where, readings["reading"])
            inferred = inferred.scatter(where, readings["inferred"])
    values[kana_field] = written
    values["kana_inferred"] = inferred
