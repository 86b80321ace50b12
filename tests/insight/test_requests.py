"""Insight requests end to end: consent filter, thresholds, DP budget, the audit-chained release record."""

from __future__ import annotations

import duckdb
import pytest
from tests.insight.conftest import ClinicWorld

from mamori.domain.insight.spec import parse_spec
from mamori.errors import InputError, RefusedError
from mamori.lake.insight.engine import DuckDBInsightEngine
from mamori.lake.insight.world import InsightWorld
from mamori.services.insight import AllMembers, run_insight


def spec(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "recipient": "acme",
        "purpose": "analysis",
        "population": "all",
        "group_by": ["age_band", "prefecture"],
        "metrics": ["persons", "spend_total"],
        "min_persons": 50,
        "dp": None,
    }
    return {**base, **overrides}


def run(clinic: ClinicWorld, document: dict[str, object]):  # type: ignore[no-untyped-def]
    parsed = parse_spec(document, file="spec.yaml", floor=50)
    engine = DuckDBInsightEngine(InsightWorld.in_folder(clinic.folder, clinic.snapshot))
    return run_insight(parsed, clinic.platform.ledger, clinic.store, engine, AllMembers(), "analyst")


def granted(clinic: ClinicWorld, bit: int) -> set[str]:
    rows = duckdb.sql(
        f"SELECT subject_id FROM read_parquet('{clinic.snapshot}') WHERE (granted_mask >> {bit}) & 1 = 1"
    ).fetchall()
    return {r[0] for r in rows}


def test_MAMORI_1_only_subjects_granting_analysis_count(clinic: ClinicWorld) -> None:
    release = run(clinic, spec(group_by=["gender"], metrics=["persons", "spend_total"], min_persons=50))
    bit = clinic.platform.ledger.purpose_bits()["analysis"]
    consenting = granted(clinic, bit)
    assert 0 < len(consenting) < 3000
    truth = duckdb.sql(
        f"SELECT m.gender, count(*), sum(coalesce(t.s, 0)) FROM read_parquet('{clinic.folder}/members.parquet') m "
        f"LEFT JOIN (SELECT member_id, sum(amount_yen) s FROM read_parquet('{clinic.folder}/transactions.parquet') "
        "GROUP BY 1) t ON t.member_id = m.member_id WHERE m.member_id IN (SELECT unnest($ids)) GROUP BY 1",
        params={"ids": sorted(consenting)},
    ).fetchall()
    got = {r["gender"]: (r["persons"], r["spend_total"]) for r in release.outcome.rows}
    assert got == {g: (n, round(s)) for g, n, s in truth}
    assert sum(n for n, _ in got.values()) == len(consenting)


def test_MAMORI_AGG_1_small_cells_suppressed_with_complement(clinic: ClinicWorld) -> None:
    release = run(clinic, spec(group_by=["prefecture", "gender"]))
    rows = release.outcome.rows
    hidden = [r for r in rows if r["suppressed"]]
    shown = [r for r in rows if not r["suppressed"]]
    assert shown and hidden
    assert all(r["persons"] >= 50 for r in shown)
    assert all(r["persons"] is None and r["spend_total"] is None for r in hidden)
    # Every line (fixed prefecture, or fixed gender) holding a hidden cell holds two.
    for dim in ("prefecture", "gender"):
        for value in {r[dim] for r in hidden}:
            line = [r for r in rows if r[dim] == value]
            # A one-cell line's total is that cell: below the minimum, it is never released either.
            if len(line) > 1:
                assert sum(1 for r in line if r["suppressed"]) != 1


def test_MAMORI_AGG_1_category_split_margins_use_distinct_persons(clinic: ClinicWorld) -> None:
    release = run(clinic, spec(group_by=["prefecture", "category"], metrics=["persons", "spend_share"]))
    rows = release.outcome.rows
    assert {r["category"] for r in rows} >= {"food", "dining"}
    for pref in {r["prefecture"] for r in rows}:
        shares = [r["spend_share"] for r in rows if r["prefecture"] == pref and not r["suppressed"]]
        if shares:
            assert sum(shares) == pytest.approx(1.0, abs=1e-4)


def test_MAMORI_AGG_1_spec_cannot_lower_the_threshold(clinic: ClinicWorld) -> None:
    with pytest.raises(InputError, match="min_persons"):
        run(clinic, spec(min_persons=5))


def test_MAMORI_DP_1_budget_charged_and_refused_with_remaining(clinic: ClinicWorld) -> None:
    first = run(clinic, spec(group_by=["gender"], dp={"epsilon": 2.0}))
    assert first.remaining_epsilon == pytest.approx(1.0)
    assert "MAMORI-DP-1" in first.rules
    with pytest.raises(RefusedError) as refused:
        run(clinic, spec(group_by=["gender"], dp={"epsilon": 1.5}))
    assert refused.value.rules == ("MAMORI-DP-1",)
    assert "remaining ε=1" in refused.value.en and "残り ε=1" in refused.value.ja
    run(clinic, spec(group_by=["gender"], dp={"epsilon": 1.0}))  # an exact fit is allowed
    account = clinic.store.account("acme")
    assert account is not None and account.budget.remaining == pytest.approx(0.0)


def test_MAMORI_DP_1_noisy_cells_differ_from_truth_but_stay_close(clinic: ClinicWorld) -> None:
    clinic.store.register_recipient("lab", "", 100.0, "officer")
    exact = {r["gender"]: r["persons"] for r in run(clinic, spec(group_by=["gender"])).outcome.rows}
    noisy = run(clinic, spec(recipient="lab", group_by=["gender"], dp={"epsilon": 5.0})).outcome.rows
    got = {r["gender"]: r["persons"] for r in noisy}
    assert got.keys() == exact.keys()
    assert all(abs(got[g] - exact[g]) < 40 for g in exact)  # Laplace scale 2/5: far below 40


def test_MAMORI_1_profiling_purpose_refused_for_insight(clinic: ClinicWorld) -> None:
    with pytest.raises(RefusedError) as refused:
        run(clinic, spec(purpose="profiling"))
    assert "APPI-18-1" in refused.value.rules


def test_release_recorded_and_audit_chained(clinic: ClinicWorld) -> None:
    release = run(clinic, spec())
    records = clinic.store.releases("acme")
    assert [r["seq"] for r in records] == [release.release_id]
    record = records[0]
    assert record["cells"] == len(release.outcome.rows)
    assert record["snapshot_digest"] == release.outcome.snapshot.digest
    entries = [e for e in clinic.platform.ledger.audit_entries() if e.kind == "insight-released"]
    assert len(entries) == 1 and '"result_digest"' in entries[0].payload
    assert clinic.platform.ledger.verify_audit() is None


def test_unknown_recipient_is_an_input_error(clinic: ClinicWorld) -> None:
    with pytest.raises(InputError, match="recipient"):
        run(clinic, spec(recipient="nobody"))
