"""The deterministic and probabilistic stages give the same links on DuckDB and on Spark (local mode)."""

from __future__ import annotations

import logging
from pathlib import Path

import polars as pl
import pytest

from mamori.lake.match import deterministic, records
from mamori.lake.match.engines import DuckDBEngine, SparkEngine
from mamori.lake.match.pipeline import run

pytestmark = pytest.mark.slow
World = tuple[Path, Path, set[tuple[str, str]]]


@pytest.fixture(scope="module")
def spark() -> SparkEngine:
    pytest.importorskip("pyspark", reason="pip install mamori[spark]")
    logging.getLogger("py4j").setLevel(logging.ERROR)
    return SparkEngine()  # the shared session; tests/conftest.py stops it at the end of the run


def test_deterministic_stage_is_the_same_sql_and_result_on_both_engines(
    small_world: World, spark: SparkEngine
) -> None:
    left, right = records.load(small_world[0]), records.load(small_world[1])
    keys_only = [pl.col(c).cast(pl.String) for c in ("id", "email", "phone")]
    for checks, (l_frame, r_frame) in ((True, (left, right)), (False, (left, right.select(keys_only)))):
        answers, candidates = [], []
        for engine in (DuckDBEngine(), spark):
            deterministic.register(engine, l_frame, r_frame)
            raw = engine.query(deterministic.sql(checks=checks))  # the same SQL text on both engines
            candidates.append(raw.select(pl.all().cast(pl.String)).sort(["lr", "rr"]))
            found = deterministic.judge(engine, l_frame, r_frame, checks=checks)
            answers.append(found.select(pl.all().cast(pl.String)).sort(["left_id", "right_id", "status"]))
        assert answers[0].height > 100
        assert candidates[0].equals(candidates[1])
        assert answers[0].equals(answers[1])


def test_keys_variant_gives_the_same_verdicts_on_data_without_names_or_dates(small_world: World) -> None:
    left, right = records.load(small_world[0]), records.load(small_world[1])
    blank = [
        pl.lit(None, dtype=right[c].dtype).alias(c)
        for c in ("name_key", "birth_date", "name_h", "sorted_h", "birth_n")
    ]
    right = right.with_columns(blank)
    engine = DuckDBEngine()
    deterministic.register(engine, left, right)
    full = deterministic.judge(engine, left, right).sort(["left_id", "right_id"])
    keys = deterministic.judge(engine, left, right, checks=False).sort(["left_id", "right_id"])
    assert full.select("left_id", "right_id", "status").equals(keys.select("left_id", "right_id", "status"))


def test_probabilistic_links_agree_when_spark_scores_with_the_duckdb_model(
    small_world: World, spark: SparkEngine
) -> None:
    left, right = records.load(small_world[0]), records.load(small_world[1])
    on_duckdb = run(left, right, DuckDBEngine())
    on_spark = run(left, right, spark, model=on_duckdb.model)
    assert on_duckdb.stages == {**on_spark.stages, "training_skipped": on_duckdb.stages["training_skipped"]}
    a, b = on_duckdb.links, on_spark.links
    assert a.select("left_id", "right_id", "evidence").equals(b.select("left_id", "right_id", "evidence"))
    assert (a["probability"] - b["probability"]).abs().max() < 1e-9  # type: ignore[operator]
