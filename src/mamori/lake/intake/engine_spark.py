"""The Spark engine: the same pipeline (transform.run_batch) on Spark executors via `mapInArrow`.

The file is parsed once by the shared reader (so ragged rows, encodings and record numbers
are judged exactly as on DuckDB) and staged as Parquet; Spark then runs the normalization
and validation on its executors and writes the dataset. Spark is optional:
`pip install mamori[spark]`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from mamori.lake.intake.read import RawFile
from mamori.lake.intake.source import Progress, RunResult
from mamori.lake.intake.transform import INDEX, ISSUE_SCHEMA, Pipeline, formula_cells, run_batch
from mamori.lake.spark import spark_session

_KIND, _FIELD, _REASON, _COUNT = "__out_kind", "__issue_field", "__issue_reason", "__count"


def _spark_type(dtype: pl.DataType) -> Any:
    from pyspark.sql import types as st

    if dtype == pl.Date:
        return st.DateType()
    if isinstance(dtype, pl.Datetime):
        return st.TimestampType()
    if dtype == pl.Int64:
        return st.LongType()
    if dtype == pl.Boolean:
        return st.BooleanType()
    return st.StringType()


class SparkRunner:
    """Run the intake pipeline on Spark (local mode in tests, a cluster in production)."""

    name = "spark"

    def run(self, raw: RawFile, pipeline: Pipeline, folder: Path, progress: Progress) -> RunResult:
        """Stage raw batches, transform them on Spark executors, write folder/data."""
        from pyspark.sql import functions as sf
        from pyspark.sql import types as st

        staged = folder / "stage-raw.parquet"  # Spark skips files whose names start with _ or .
        writer: pq.ParquetWriter | None = None
        for batch in raw.batches():
            table = batch.to_arrow()
            writer = writer or pq.ParquetWriter(staged, table.schema)
            writer.write_table(table)
            progress(batch.height)
        if writer is None:  # header-only file: nothing for Spark to do
            pl.DataFrame(schema=pipeline.output_schema()).write_parquet(_data_dir(folder) / "part-0.parquet")
            return RunResult(0, pl.DataFrame(schema=ISSUE_SCHEMA), pl.DataFrame(schema={INDEX: pl.Int64}), 0)
        writer.close()
        out = pipeline.output_schema()
        fields = [st.StructField(n, _spark_type(d)) for n, d in out.items()]
        fields += [st.StructField(_KIND, st.StringType()), st.StructField(INDEX, st.LongType()),
                   st.StructField(_FIELD, st.StringType()), st.StructField(_REASON, st.StringType()),
                   st.StructField(_COUNT, st.LongType())]  # fmt: skip
        spark = spark_session()
        result = (
            spark.read.parquet(str(staged)).mapInArrow(_transform(pipeline), st.StructType(fields)).persist()
        )
        try:
            rows = result.filter(sf.col(_KIND) == "row")
            rows.select(*out).write.parquet(str(folder / "data"))
            accepted = rows.count()
            issues_arrow = result.filter(sf.col(_KIND) == "issue").select(INDEX, _FIELD, _REASON).toArrow()
            formulas = result.filter(sf.col(_KIND) == "formula").agg(sf.sum(_COUNT)).collect()[0][0] or 0
        finally:
            result.unpersist()
        issues = pl.from_arrow(issues_arrow)
        assert isinstance(issues, pl.DataFrame)
        issues = issues.rename({_FIELD: "field", _REASON: "reason"}).cast(ISSUE_SCHEMA)  # type: ignore[arg-type]
        bad = pl.scan_parquet(staged).filter(pl.col(INDEX).is_in(issues[INDEX].unique().implode())).collect()
        staged.unlink()
        for marker in (folder / "data").glob("_SUCCESS"):
            marker.unlink()
        return RunResult(
            int(accepted),
            issues,
            bad.select([c for c in bad.columns if not c.startswith("__json")]),
            int(formulas),
        )


def _data_dir(folder: Path) -> Path:
    path = folder / "data"
    path.mkdir(exist_ok=True)
    return path


def _transform(pipeline: Pipeline) -> Any:
    """Return the mapInArrow function: the one pipeline, rows and issues in one union stream."""
    names = list(pipeline.output_schema())

    def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            accepted, issues = run_batch(frame, pipeline)
            rows = accepted.with_columns(
                pl.lit("row").alias(_KIND), pl.lit(None, pl.Int64).alias(INDEX), pl.lit(None, pl.String).alias(_FIELD),
                pl.lit(None, pl.String).alias(_REASON), pl.lit(None, pl.Int64).alias(_COUNT),
            )  # fmt: skip
            found = issues.select(
                *[pl.lit(None, dtype).alias(n) for n, dtype in pipeline.output_schema().items()],
                pl.lit("issue").alias(_KIND), pl.col(INDEX), pl.col("field").alias(_FIELD),
                pl.col("reason").alias(_REASON), pl.lit(None, pl.Int64).alias(_COUNT),
            )  # fmt: skip
            count = pl.DataFrame({n: pl.Series([None], dtype=d) for n, d in pipeline.output_schema().items()}).with_columns(
                pl.lit("formula").alias(_KIND), pl.lit(None, pl.Int64).alias(INDEX), pl.lit(None, pl.String).alias(_FIELD),
                pl.lit(None, pl.String).alias(_REASON), pl.lit(formula_cells(frame, pipeline), pl.Int64).alias(_COUNT),
            )  # fmt: skip
            for part in (rows, found, count):
                if part.height:
                    table = part.select([*names, _KIND, INDEX, _FIELD, _REASON, _COUNT]).to_arrow()
                    yield table.cast(schema).combine_chunks().to_batches()[0]

    schema = _arrow_schema(pipeline)
    return apply


def _arrow_schema(pipeline: Pipeline) -> pa.Schema:
    # The exact Arrow types Spark expects back (plain utf8, not large or view strings).
    def arrow(dtype: pl.DataType) -> pa.DataType:
        if dtype == pl.Date:
            return pa.date32()
        if isinstance(dtype, pl.Datetime):
            return pa.timestamp("us", tz="UTC")
        if dtype == pl.Int64:
            return pa.int64()
        if dtype == pl.Boolean:
            return pa.bool_()
        return pa.string()

    fields = [pa.field(n, arrow(d)) for n, d in pipeline.output_schema().items()]
    fields += [pa.field(_KIND, pa.string()), pa.field(INDEX, pa.int64()), pa.field(_FIELD, pa.string()),
               pa.field(_REASON, pa.string()), pa.field(_COUNT, pa.int64())]  # fmt: skip
    return pa.schema(fields)
