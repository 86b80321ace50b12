"""A file being ingested: the `IntakeSource` the ingest use case drives (scan, publish, discard).

Publishing is atomic: everything is written into a staging folder inside the lake and
renamed into place in one step, so a crash or a full disk half-way leaves no partial dataset
visible (a rename within one file system is atomic on POSIX).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

import polars as pl

from mamori.domain.intake import ColumnFinding
from mamori.errors import InputError
from mamori.lake.intake.read import RawFile, open_file
from mamori.lake.intake.scan import scan_frame
from mamori.lake.intake.schema import KindSchema, plan_columns
from mamori.lake.intake.transform import INDEX, Pipeline
from mamori.services.catalog import QuarantineEntry
from mamori.services.intake import Published

SCAN_ROWS = 20_000
Progress = Callable[[int], None]


class Runner(Protocol):
    """An engine: runs the pipeline over the raw batches, writes accepted rows under `folder`."""

    name: str

    def run(self, raw: RawFile, pipeline: Pipeline, folder: Path, progress: Progress) -> RunResult:
        """Return the accepted count, the issues and the raw rows that failed."""
        ...


class RunResult:
    """What an engine run produced besides the dataset files."""

    def __init__(
        self, accepted: int, issues: pl.DataFrame, bad_rows: pl.DataFrame, formula_cells: int
    ) -> None:
        self.accepted, self.issues, self.bad_rows, self.formula_cells = (
            accepted,
            issues,
            bad_rows,
            formula_cells,
        )


class FileIntake:
    """One input file on its way into the lake."""

    def __init__(
        self,
        path: Path,
        schema: KindSchema,
        *,
        lake_dir: Path,
        runner: Runner,
        today: date,
        now: datetime,
        mapping: dict[str, str] | None = None,
        encoding: str | None = None,
        file_format: str | None = None,
        email_provider_rules: bool = False,
        progress: Progress | None = None,
    ) -> None:
        self.raw = open_file(path, declared_encoding=encoding, declared_format=file_format)
        self.kind, self.file_name, self.file_sha256 = schema.kind, path.name, self.raw.sha256
        self.engine = runner.name
        self.plan = plan_columns(self.raw.headers, schema, mapping)
        if schema.id_field not in self.plan.fields.values():
            self.raw.close()
            raise InputError(
                f"ID の列（{schema.id_field}）が見つかりません。見出し: {self.raw.headers}。--mapping で対応付けてください",
                f"no id column ({schema.id_field}) among the headers {self.raw.headers}; map one with --mapping",
                file=str(path),
                line=1,
            )
        self.declared = {
            h: schema.fields[f]
            for h, f in self.plan.fields.items()
            if schema.fields[f] in {"my_number", "card_number"}
        }
        extras = {h: h if h not in schema.fields else f"extra_{h}" for h in self.plan.unknown}
        self.pipeline = Pipeline(
            schema,
            dict(self.plan.fields),
            extras,
            today,
            now,
            email_provider_rules,
            self.raw.encoding == "cp932",
        )
        self.lake_dir, self.runner, self.today = lake_dir, runner, today
        self.progress: Progress = progress or (lambda _: None)

    def scan(self) -> list[ColumnFinding]:
        """Classify the columns on the first rows of the file."""
        sample = pl.concat(
            list(self.raw.batches(limit=SCAN_ROWS))
            or [pl.DataFrame(schema=dict.fromkeys(self.raw.headers, pl.String))],
            how="diagonal",
        )
        return scan_frame(sample, self.today, self.raw.headers)

    def publish(self, dataset_id: str) -> Published:
        """Run the engine into a staging folder, then rename it into the lake in one step."""
        staging = self.lake_dir / ".staging" / uuid.uuid4().hex
        final = self.lake_dir / dataset_id
        if final.exists():
            self.raw.close()
            raise InputError(
                f"同じファイルを同じ時刻に取り込み済みです: {dataset_id}",
                f"this file was already ingested at this instant: {dataset_id}",
                file=self.file_name,
            )
        staging.mkdir(parents=True)
        try:
            result = self.runner.run(self.raw, self.pipeline, staging, self.progress)
            published = self._quarantine(result, staging, str(final))
            (staging / "_manifest.json").write_text(
                json.dumps(self._manifest(dataset_id, published), ensure_ascii=False, indent=2),
                encoding="utf-8",
            )
            final.parent.mkdir(parents=True, exist_ok=True)
            os.rename(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            self.raw.close()
        return published

    def discard(self) -> None:
        """Release the reader without publishing."""
        self.raw.close()

    def _quarantine(self, result: RunResult, folder: Path, final: str) -> Published:
        raw = self.raw
        issues = result.issues.with_columns(raw.row_numbers(result.issues[INDEX]).alias("row"))
        rejected = pl.DataFrame(
            {"row": [r.row for r in raw.rejected], "field": [""] * len(raw.rejected), "reason": [r.reason.value for r in raw.rejected],
             "raw_line": [r.raw for r in raw.rejected], "byte_position": [r.byte_position for r in raw.rejected]},
            schema={"row": pl.Int64, "field": pl.String, "reason": pl.String, "raw_line": pl.String, "byte_position": pl.Int64},
        )  # fmt: skip
        table = pl.concat(
            [issues.select("row", "field", "reason"), rejected.select("row", "field", "reason")]
        ).sort("row", "field", "reason")
        table = table.with_columns(pl.lit(self.file_name).alias("file")).select(
            "file", "row", "field", "reason"
        )
        table.write_parquet(folder / "quarantine.parquet")
        bad_rows = result.bad_rows.with_columns(raw.row_numbers(result.bad_rows[INDEX]).alias("row")).drop(
            INDEX
        )
        bad_rows.write_parquet(folder / "quarantine_rows.parquet")
        rejected.drop("field", "reason").write_parquet(folder / "quarantine_lines.parquet")
        quarantined = int(table["row"].n_unique()) if table.height else 0
        rows_in = raw.parsed_rows + len({r.row for r in raw.rejected})
        warnings = []
        if self.plan.unknown:
            warnings.append(
                f"未知の列はそのまま保持しました / unknown columns kept as text: {', '.join(self.plan.unknown)}"
            )
        if result.formula_cells:
            warnings.append(
                f"数式として解釈されうるセル {result.formula_cells} 件をデータとして保持しました（出力時に無害化）/ "
                f"{result.formula_cells} cells start like a spreadsheet formula: kept as data, escaped on export"
            )
        reasons = dict(sorted(table.group_by("reason").len().iter_rows())) if table.height else {}
        schema = tuple((name, str(dtype)) for name, dtype in self.pipeline.output_schema().items())
        return Published(
            final, schema, rows_in, result.accepted, quarantined, _entries(table), reasons, warnings
        )

    def _manifest(self, dataset_id: str, published: Published) -> dict[str, object]:
        return {
            "dataset_id": dataset_id, "kind": self.kind, "file": self.file_name, "sha256": self.file_sha256,
            "encoding": self.raw.encoding, "format": self.raw.file_format, "engine": self.engine,
            "columns": self.plan.fields, "unknown_columns": self.plan.unknown, "schema": published.schema,
            "rows_in": published.rows_in, "rows_accepted": published.rows_accepted, "rows_quarantined": published.rows_quarantined,
            "reasons": published.reasons,
        }  # fmt: skip


def _entries(table: pl.DataFrame) -> list[QuarantineEntry]:
    return [QuarantineEntry(file, int(row), field, reason) for file, row, field, reason in table.iter_rows()]
