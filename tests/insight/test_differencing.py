"""The differencing attack against the real engine: DP keeps it within its guarantee; without DP it wins."""

from __future__ import annotations

import duckdb
import pytest
from tests.insight.conftest import make_clinic

from mamori.lake.insight.differencing import play
from mamori.lake.insight.engine import DuckDBInsightEngine
from mamori.lake.insight.world import InsightWorld


@pytest.fixture(scope="module")
def arena(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("arena")
    clinic = make_clinic(tmp, members=600)
    bit = clinic.platform.ledger.purpose_bits()["analysis"]
    engine = DuckDBInsightEngine(InsightWorld.in_folder(clinic.folder, clinic.snapshot))
    rows = duckdb.sql(
        f"SELECT m.member_id, m.gender, coalesce(sum(t.amount_yen), 0) AS spend "
        f"FROM read_parquet('{clinic.folder}/members.parquet') m "
        f"JOIN read_parquet('{clinic.snapshot}') s ON s.subject_id = m.member_id AND (s.granted_mask >> {bit}) & 1 = 1 "
        f"LEFT JOIN read_parquet('{clinic.folder}/transactions.parquet') t ON t.member_id = m.member_id "
        "GROUP BY ALL ORDER BY spend DESC"
    ).fetchall()
    target, gender, spend = rows[0]  # the biggest spender: the easiest victim
    others = [r[0] for r in rows[1:]]
    yield engine, bit, others, target, gender, float(spend)
    clinic.platform.ledger.engine.dispose()


def test_MAMORI_AGG_1_thresholds_alone_do_not_stop_differencing(arena: tuple) -> None:  # type: ignore[type-arg]
    report = play(*arena, epsilon=None, trials=20)
    assert report.advantage == 1.0  # exact recovery: this is why DP is offered


def test_MAMORI_DP_1_differencing_advantage_within_dp_bound(arena: tuple) -> None:  # type: ignore[type-arg]
    epsilon = 1.0
    engine, bit, others, target, gender, spend = arena
    report = play(engine, bit, others, target, gender, spend, epsilon=epsilon, trials=100, seed=7)
    # Three standard errors of margin: the test fails on a real leak, not on sampling noise.
    assert report.advantage <= report.bound + 3 * report.standard_error
