"""The two engines the match stages run on: DuckDB embedded (default) and Spark local/cluster.

Each engine does three things: register a frame as a table, run SQL into a frame, and give Splink
its database API. The stages' SQL and Splink settings are the same for both (parity-tested).
"""

from __future__ import annotations

from typing import Any, Protocol

import polars as pl


class Engine(Protocol):
    """What a match stage needs from an engine."""

    name: str

    def register(self, table: str, frame: pl.DataFrame) -> Any:
        """Register a frame under a table name; return the engine's handle for Splink."""

    def query(self, sql: str) -> pl.DataFrame:
        """Run SQL and return the result."""

    def splink_api(self) -> Any:
        """Return Splink's database API for this engine."""


class DuckDBEngine:
    """DuckDB in memory (or a file), the default."""

    name = "duckdb"

    def __init__(self, connection: Any | None = None) -> None:
        import duckdb

        self.con = connection or duckdb.connect()
        self._api: Any = None

    def register(self, table: str, frame: pl.DataFrame) -> Any:
        """Register a frame (zero-copy via Arrow) and materialize it as a table."""
        arrow = frame.to_arrow()
        self.con.register(f"{table}_arrow", arrow)
        self.con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {table}_arrow")
        self.con.unregister(f"{table}_arrow")
        return table

    def query(self, sql: str) -> pl.DataFrame:
        """Run SQL into a polars frame."""
        return pl.from_arrow(self.con.sql(sql).to_arrow_table())  # type: ignore[return-value]

    def splink_api(self) -> Any:
        """Return Splink's DuckDB API on the same connection."""
        if self._api is None:
            from splink import DuckDBAPI

            self._api = DuckDBAPI(connection=self.con)
        return self._api


class SparkEngine:
    """Apache Spark (local mode in tests); `pip install mamori[spark]`."""

    name = "spark"

    def __init__(self, session: Any | None = None) -> None:
        if session is None:
            from mamori.lake.spark import spark_session  # says which extra to install if absent

            session = spark_session()
        if not session.sparkContext.getCheckpointDir():
            import tempfile

            # Splink checkpoints intermediate tables on Spark to cut long lineages.
            session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="mamori-spark-"))
        self.spark = session
        self._api: Any = None

    def register(self, table: str, frame: pl.DataFrame) -> Any:
        """Register a frame as a temporary view."""
        # pandas turns a nullable integer column into floats with NaN, and Spark's NaN = NaN is
        # true: integers travel as strings so that null stays null (equality is the same).
        integers = [c for c, t in frame.schema.items() if t.is_integer()]
        sdf = self.spark.createDataFrame(frame.with_columns(pl.col(integers).cast(pl.String)).to_pandas())
        sdf.createOrReplaceTempView(table)
        return sdf

    def query(self, sql: str) -> pl.DataFrame:
        """Run Spark SQL into a polars frame."""
        return pl.from_pandas(self.spark.sql(sql).toPandas())

    def splink_api(self) -> Any:
        """Return Splink's Spark API on the same session."""
        if self._api is None:
            from splink import SparkAPI

            self._api = SparkAPI(spark_session=self.spark)  # type: ignore[no-untyped-call]
        return self._api
