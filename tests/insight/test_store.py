"""The ledger's insight store on SQLite and PostgreSQL: budgets add up, releases are append-only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from mamori.bootstrap import Platform
from mamori.errors import RefusedError
from mamori.ledger.insight_store import SqlInsightStore
from mamori.services.insight import ReleaseRecord, SnapshotRef


def record(epsilon: float) -> ReleaseRecord:
    snapshot = SnapshotRef("s.parquet", 3, "2026-11-01T00:00:00+09:00", {"analysis": 1}, "a" * 64)
    return ReleaseRecord(
        "acme", "analysis", {"group_by": ["gender"]}, snapshot, 2, [["F"]], epsilon, "b" * 64
    )


def test_MAMORI_DP_1_budget_on_both_databases(
    database_url: str, make_platform: Callable[..., Platform]
) -> None:
    platform = make_platform(database_url)
    store = SqlInsightStore(platform.ledger)
    store.register_recipient("acme", "Acme", 1.0, "officer")
    assert store.record_release(record(0.6), "analyst") == 1
    assert store.record_release(record(0.0), "analyst") == 2  # no DP, no charge
    with pytest.raises(RefusedError) as refused:
        store.record_release(record(0.5), "analyst")
    assert refused.value.rules == ("MAMORI-DP-1",)
    account = store.account("acme")
    assert account is not None and account.budget.remaining == pytest.approx(0.4)
    assert [r["seq"] for r in store.releases("acme")] == [1, 2]
    assert platform.ledger.verify_audit() is None
    if platform.ledger.engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError), platform.ledger.engine.begin() as c:
            c.execute(text("UPDATE insight_releases SET epsilon = 0"))
