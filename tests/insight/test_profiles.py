"""Features and lifestyle scores: only under profiling consent, dropped on withdrawal, explainable."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import duckdb
import pytest
from tests.insight.conftest import ClinicWorld

from mamori.domain.calendar import JST
from mamori.domain.consent import ConsentAction, ConsentEvent
from mamori.lake.insight.profiles import DuckDBProfiles, ParquetScores, load_catalogue
from mamori.lake.insight.world import InsightWorld
from mamori.services.consent import record_choice
from mamori.services.profiles import refresh_profiles, scores_for
from mamori.services.snapshot import take_snapshot


def bit_holders(path: object, bit: int) -> set[str]:
    rows = duckdb.sql(f"SELECT subject_id FROM read_parquet('{path}') WHERE (granted_mask >> {bit}) & 1 = 1")
    return {r[0] for r in rows.fetchall()}


def refresh(clinic: ClinicWorld, snapshot: object) -> ParquetScores:
    world = InsightWorld.in_folder(clinic.folder, snapshot)  # type: ignore[arg-type]
    info = refresh_profiles(clinic.platform.ledger, DuckDBProfiles(world), clinic.folder / "profiles", "test")
    assert info.scored <= info.featured
    return ParquetScores(info.scores)


def test_catalogue_has_thirty_published_scores_in_two_languages() -> None:
    catalogue = load_catalogue()
    assert len(catalogue.scores) >= 30
    for score in catalogue.scores.values():
        assert score.ja and score.en and score.description_ja and score.description_en and score.weights


def test_APPI_18_1_scores_only_for_profiling_consent_and_explained(clinic: ClinicWorld) -> None:
    bits = clinic.platform.ledger.purpose_bits()
    profiled = bit_holders(clinic.snapshot, bits["profiling"])
    reader = refresh(clinic, clinic.snapshot)
    scored = {
        r[0] for r in duckdb.sql(f"SELECT DISTINCT subject_id FROM read_parquet('{reader.path}')").fetchall()
    }
    assert scored and scored <= profiled
    someone = sorted(scored)[0]
    catalogue = load_catalogue()
    held = scores_for(reader, catalogue, someone)
    assert len(held) == len(catalogue.scores)
    for item in held:
        definition = catalogue.scores[item.score_id]
        full = dict(
            reader.rows_for(someone)[[r[0] for r in reader.rows_for(someone)].index(item.score_id)][2]
        )
        expected = 100 / (1 + math.exp(-(definition.bias + sum(full.values()))))
        assert item.score == pytest.approx(expected, abs=0.06)
        assert 1 <= len(item.top) <= 3
        assert abs(item.top[0].contribution) == pytest.approx(max(abs(c) for c in full.values()), abs=1e-3)
    outsider = sorted(bit_holders(clinic.snapshot, 0) - profiled)[0]
    assert scores_for(reader, catalogue, outsider) == []


def test_APPI_35_1_withdrawal_drops_scores_at_next_refresh(clinic: ClinicWorld) -> None:
    ledger = clinic.platform.ledger
    reader = refresh(clinic, clinic.snapshot)
    catalogue = load_catalogue()
    who = sorted(
        {r[0] for r in duckdb.sql(f"SELECT subject_id FROM read_parquet('{reader.path}')").fetchall()}
    )[0]
    assert scores_for(reader, catalogue, who)
    record_choice(
        ledger,
        ConsentEvent(
            who,
            "profiling",
            ConsentAction.WITHDRAW,
            datetime(2026, 4, 3, 9, tzinfo=JST),
            "v2",
        ),
        "member",
    )
    later = clinic.folder / "consent-later.parquet"
    take_snapshot(
        ledger,
        clinic.platform.snapshots,
        datetime(2026, 4, 4, tzinfo=UTC),
        later,
        clinic.platform.settings.policy,
    )
    reader = refresh(clinic, later)
    assert scores_for(reader, catalogue, who) == []
    assert any(e.kind == "profiles-refreshed" for e in ledger.audit_entries())


def test_segment_dimension_reads_the_features(clinic: ClinicWorld) -> None:
    from tests.insight.test_requests import run, spec

    refresh(clinic, clinic.snapshot)
    (clinic.folder / "profiles" / "features.parquet").rename(clinic.folder / "features.parquet")
    release = run(clinic, spec(group_by=["segment"], metrics=["persons"]))
    assert {r["segment"] for r in release.outcome.rows} <= {"loyal", "active", "cooling", "lapsed"}
