"""The insight use case on in-memory ports: checks happen before any data is read."""

from __future__ import annotations

import pyarrow as pa
import pytest

from mamori.domain.insight.spec import InsightSpec, parse_spec
from mamori.errors import RefusedError
from mamori.lake.synth.purposes import PURPOSES
from mamori.services.consent import register_purpose
from mamori.services.insight import AllMembers, InsightOutcome, SnapshotRef, run_insight
from mamori.testing.insight import MemoryInsightStore
from mamori.testing.ledger import InMemoryLedger


class CountingEngine:
    """Answers with one released cell and counts how often the data plane was touched."""

    def __init__(self, bits: dict[str, int], epsilon: float) -> None:
        self.calls = 0
        self.bits = bits
        self.epsilon = epsilon

    def run(self, spec: InsightSpec, bit: int, population: pa.Table | None) -> InsightOutcome:
        self.calls += 1
        snapshot = SnapshotRef("snap.parquet", 7, "2026-11-01T00:00:00+09:00", self.bits, "0" * 64)
        row = {"gender": "F", "persons": 120, "suppressed": False}
        return InsightOutcome(
            [row], ["gender", "persons", "suppressed"], [], 0, snapshot, self.epsilon, "d" * 64
        )


def setup(budget: float) -> tuple[InMemoryLedger, MemoryInsightStore]:
    ledger = InMemoryLedger()
    for purpose in PURPOSES:
        register_purpose(ledger, purpose, "officer")
    store = MemoryInsightStore()
    store.register_recipient("acme", "", budget, "officer")
    return ledger, store


def spec(epsilon: float | None) -> InsightSpec:
    doc = {"recipient": "acme", "purpose": "analysis", "group_by": ["gender"], "metrics": ["persons"],
           "dp": None if epsilon is None else {"epsilon": epsilon}}  # fmt: skip
    return parse_spec(doc, file="spec.yaml", floor=50)


def test_MAMORI_DP_1_over_budget_refused_before_the_data_is_read() -> None:
    ledger, store = setup(budget=1.0)
    engine = CountingEngine(ledger.purpose_bits(), 0.8)
    run_insight(spec(0.8), ledger, store, engine, AllMembers(), "analyst")
    with pytest.raises(RefusedError, match=r"remaining ε=0\.2"):
        run_insight(spec(0.8), ledger, store, engine, AllMembers(), "analyst")
    assert engine.calls == 1
    assert [r.epsilon for r in store.released] == [0.8]


def test_MAMORI_1_snapshot_with_other_purpose_bits_is_refused() -> None:
    ledger, store = setup(budget=1.0)
    bits = dict(ledger.purpose_bits())
    bits["analysis"] += 1  # a snapshot taken against another registry
    with pytest.raises(RefusedError, match="snapshot"):
        run_insight(spec(None), ledger, store, CountingEngine(bits, 0.0), AllMembers(), "analyst")
    assert store.released == []
