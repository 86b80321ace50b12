"""The one local SparkSession of a mamori process, configured for every engine that uses it.

Intake, matching and insight all run on Spark for scale-out; a JVM can hold only one session,
so whichever starts first must already carry what the others need (Splink's similarity
functions, UTC session time, microsecond Parquet timestamps, this Python for the workers).
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

from mamori.errors import ConfigError


@cache
def spark_session() -> Any:
    """Return the process's local SparkSession, starting it once (start-up takes seconds)."""
    try:
        from pyspark.sql import SparkSession
    except ModuleNotFoundError as exc:
        raise ConfigError(
            "Spark には追加パッケージが必要です：pip install 'mamori[spark]'",
            "Spark needs an extra: pip install 'mamori[spark]'",
        ) from exc
    # Executors are separate Python processes: they must find this mamori and this Python.
    src = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(os.environ.get("MAMORI_SPARK_MASTER", "local[2]"))
        .appName("mamori")
        .config("spark.driver.memory", os.environ.get("MAMORI_SPARK_MEMORY", "2g"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "50000")
        .config("spark.executorEnv.PYTHONPATH", path)
        .config("spark.pyspark.python", sys.executable)
        .config("spark.pyspark.driver.python", sys.executable)
    )
    try:  # Splink's Jaro-Winkler and friends, for the matching engine
        from splink.backends.spark import similarity_jar_location

        builder = builder.config("spark.jars", similarity_jar_location())
    except ModuleNotFoundError:
        pass
    return builder.getOrCreate()
