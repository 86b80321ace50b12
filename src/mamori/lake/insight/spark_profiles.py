"""Features and lifestyle scores on Apache Spark (local mode or a cluster): parity with DuckDB.

The same SQL as `features.py` writes, compiled for the Spark dialect; a parity test holds the
two engines to the same numbers. pyspark is an optional extra, imported only here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mamori.lake.insight.features import SPARK, features_sql, purchases_sql, scores_sql
from mamori.lake.insight.profiles import load_catalogue, snapshot_day
from mamori.lake.insight.world import InsightWorld
from mamori.lake.spark import spark_session
from mamori.services.profiles import ProfileInfo


def local_session(cores: int = 2, memory: str = "2g") -> Any:
    """Return the process's shared local Spark session (see mamori.lake.spark)."""
    del cores, memory  # the shared session is sized by MAMORI_SPARK_MASTER / MAMORI_SPARK_MEMORY
    return spark_session()


def _read(spark: Any, path: Path) -> Any:
    if path.suffix == ".parquet":
        return spark.read.parquet(str(path))
    return spark.read.option("header", True).option("inferSchema", True).csv(str(path))


class SparkProfiles:
    """Computes features and scores for a world on Spark."""

    def __init__(self, world: InsightWorld, spark: Any) -> None:
        self.world = world
        self.spark = spark
        self.catalogue = load_catalogue()

    def refresh(self, profiling_bit: int, analysis_bit: int, out_dir: Path) -> ProfileInfo:
        """Write features and scores as Parquet folders (Spark's layout) under `out_dir`."""
        taken_at, position = snapshot_day(self.world)
        spark = self.spark
        _read(spark, self.world.snapshot).createOrReplaceTempView("snapshot")
        _read(spark, self.world.members).createOrReplaceTempView("members")
        raw = _read(spark, self.world.transactions)
        raw.createOrReplaceTempView("raw_transactions")
        # As on DuckDB: purchases carry JST wall-clock times; the offset of a CSV's "+09:00" is dropped.
        # A Parquet timestamp already holds the wall clock (session time zone UTC): cast it as is.
        naive = raw.schema["purchased_at"].dataType.typeName() in ("timestamp", "timestamp_ntz")
        wall_clock = (
            "purchased_at" if naive else "substring(replace(CAST(purchased_at AS STRING), 'T', ' '), 1, 19)"
        )
        spark.sql(
            "SELECT transaction_id, member_id, shop_id, category, channel, CAST(amount_yen AS DOUBLE) AS amount_yen, "
            f"CAST({wall_clock} AS TIMESTAMP) AS purchased_at FROM raw_transactions"
        ).createOrReplaceTempView("transactions")
        shops = self.world.shops is not None
        if self.world.shops is not None:
            _read(spark, self.world.shops).createOrReplaceTempView("shops")
        eligible = (1 << profiling_bit) | (1 << analysis_bit)
        # One read of the purchases, shuffled once by subject as narrow raw rows and kept (memory,
        # then disk): the per-subject aggregates then need no exchange of their wide partial buffers.
        from pyspark import StorageLevel

        partitions = max(
            int(spark.conf.get("spark.sql.shuffle.partitions")), spark.sparkContext.defaultParallelism
        )
        tx = spark.sql(purchases_sql(SPARK, eligible)).repartition(partitions, "subject_id")
        tx.persist(StorageLevel.MEMORY_AND_DISK).createOrReplaceTempView("tx")
        sql = features_sql(self.catalogue, SPARK, taken_at.date(), eligible, shops, tx_view=True)
        features = spark.sql(sql).cache()
        features.createOrReplaceTempView("features")
        scores = spark.sql(scores_sql(self.catalogue, SPARK, profiling_bit))
        out_dir.mkdir(parents=True, exist_ok=True)
        features_path, scores_path = out_dir / "features.spark", out_dir / "scores.spark"
        features.write.mode("overwrite").parquet(str(features_path))
        scores.write.mode("overwrite").parquet(str(scores_path))
        featured = features.count()
        scored = spark.read.parquet(str(scores_path)).select("subject_id").distinct().count()
        features.unpersist()
        tx.unpersist()
        return ProfileInfo(features_path, scores_path, int(featured), int(scored), position)
