"""The DuckDB engine: stream the reader's Arrow batches through the pipeline into Parquet."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from mamori.lake.intake.read import RawFile
from mamori.lake.intake.source import Progress, RunResult
from mamori.lake.intake.transform import INDEX, ISSUE_SCHEMA, Pipeline, formula_cells, run_batch


class DuckDbRunner:
    """Run the intake pipeline in-process: DuckDB parses, polars normalizes, Arrow writes."""

    name = "duckdb"

    def run(self, raw: RawFile, pipeline: Pipeline, folder: Path, progress: Progress) -> RunResult:
        """Write accepted rows to folder/data/part-0.parquet; return issues and failed raw rows."""
        (folder / "data").mkdir()
        target = folder / "data" / "part-0.parquet"
        accepted_rows, formulas = 0, 0
        issues: list[pl.DataFrame] = []
        bad: list[pl.DataFrame] = []
        empty = pl.DataFrame(schema=pipeline.output_schema()).to_arrow()
        # Writing releases the GIL: one thread writes batch n while batch n+1 is transformed.
        with (
            pq.ParquetWriter(target, empty.schema, compression="snappy") as writer,
            ThreadPoolExecutor(max_workers=1) as pool,
        ):
            pending: Future[None] | None = None
            for batch in raw.batches():
                accepted, found = run_batch(batch, pipeline)
                table = accepted.to_arrow().cast(empty.schema)
                if pending is not None:
                    pending.result()
                pending = pool.submit(writer.write_table, table)
                accepted_rows += accepted.height
                formulas += formula_cells(batch, pipeline)
                if found.height:
                    issues.append(found)
                    bad.append(batch.filter(batch[INDEX].is_in(found[INDEX].unique().implode())))
                progress(batch.height)
            if pending is not None:
                pending.result()
        all_issues = pl.concat(issues) if issues else pl.DataFrame(schema=ISSUE_SCHEMA)
        raw_schema = dict.fromkeys(raw.headers, pl.String) | {INDEX: pl.Int64}
        bad_rows = pl.concat(bad, how="diagonal") if bad else pl.DataFrame(schema=raw_schema)
        return RunResult(
            accepted_rows,
            all_issues,
            bad_rows.select([c for c in bad_rows.columns if not c.startswith("__json")]),
            formulas,
        )
