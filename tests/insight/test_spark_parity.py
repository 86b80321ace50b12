"""Spark local mode computes the same features and scores as DuckDB."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from tests.insight.conftest import make_clinic

from mamori.lake.insight.profiles import DuckDBProfiles
from mamori.lake.insight.world import InsightWorld

pytest.importorskip("pyspark")


@pytest.mark.slow
def test_features_and_scores_spark_parity(tmp_path: Path) -> None:
    from mamori.lake.insight.spark_profiles import SparkProfiles, local_session

    clinic = make_clinic(tmp_path, members=400)
    world = InsightWorld.in_folder(clinic.folder, clinic.snapshot)
    bits = clinic.platform.ledger.purpose_bits()
    profiling, analysis = bits["profiling"], bits["analysis"]
    ours = DuckDBProfiles(world).refresh(profiling, analysis, tmp_path / "duck")
    spark = local_session(cores=1, memory="1g")
    theirs = SparkProfiles(world, spark).refresh(profiling, analysis, tmp_path / "spark")
    assert (ours.featured, ours.scored) == (theirs.featured, theirs.scored)
    con = duckdb.connect()
    cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{ours.features}')").fetchall()]
    numeric = [c for c in cols if c not in ("subject_id", "segment")]
    diff = ", ".join(f"max(abs(d.{c} - s.{c}))" for c in numeric)
    worst = con.execute(
        f"SELECT {diff}, count(*), sum(CASE WHEN d.segment = s.segment THEN 1 ELSE 0 END) "
        f"FROM read_parquet('{ours.features}') d JOIN read_parquet('{theirs.features}/*.parquet') s USING (subject_id)"
    ).fetchone()
    assert worst is not None
    assert worst[-2] == ours.featured and worst[-1] == ours.featured
    for name, value in zip(numeric, worst[:-2], strict=True):
        assert (value or 0.0) < 1e-6, name
    score_diff = con.execute(
        f"SELECT max(abs(d.score - s.score)), count(*) FROM read_parquet('{ours.scores}') d "
        f"JOIN read_parquet('{theirs.scores}/*.parquet') s USING (subject_id, score_id)"
    ).fetchone()
    # Feature differences below 1e-6 (float summation order) move a 0-100 score by far less than 1e-3.
    assert score_diff is not None and score_diff[0] < 1e-3 and score_diff[1] == ours.scored * 33
    clinic.platform.ledger.engine.dispose()
