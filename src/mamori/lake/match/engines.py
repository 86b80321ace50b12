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
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:  # pragma: no cover - depends on the extra
            from mamori.errors import ConfigError

            raise ConfigError(
                "Spark を使うには pip install mamori[spark] が必要です",
                "the Spark engine needs `pip install mamori[spark]`",
            ) from exc
        if session is None:
            from splink.backends.spark import similarity_jar_location

            session = (
                SparkSession.builder.master("local[2]")
                .appName("mamori-match")
                .config("spark.jars", similarity_jar_location())
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .getOrCreate()
            )
        if not session.sparkContext.getCheckpointDir():
            import tempfile

            # Splink checkpoints intermediate tables on Spark to cut long lineages.
            session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="mamori-spark-"))
        self.spark = session
        self._api: Any = None

    def register(self, table: str, frame: pl.DataFrame) -> Any:
        """Register a frame as a temporary view."""
        sdf = self.spark.createDataFrame(frame.to_pandas())
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
