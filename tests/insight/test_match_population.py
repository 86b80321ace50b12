"""Insight over the overlap with a client's customers, from a match run (MAMORI-1 still applies)."""

from __future__ import annotations

import duckdb
import pytest
from tests.insight.conftest import ClinicWorld
from tests.insight.test_requests import granted, spec

from mamori.domain.insight.spec import parse_spec
from mamori.errors import InputError
from mamori.lake.insight.engine import DuckDBInsightEngine
from mamori.lake.insight.populations import RunPopulations
from mamori.lake.insight.world import InsightWorld
from mamori.services.insight import run_insight


def test_MAMORI_1_match_population_counts_only_linked_consenting_members(clinic: ClinicWorld) -> None:
    lake = clinic.folder
    members = [
        r[0]
        for r in duckdb.sql(f"SELECT member_id FROM read_parquet('{lake / 'members.parquet'}')").fetchall()
    ]
    linked = members[: len(members) // 2]
    (lake / "match").mkdir(exist_ok=True)
    rows = "\n".join(f"{m},C{i},0.99,email" for i, m in enumerate(linked))
    (lake / "match" / "links-acme.csv").write_text(
        "left_id,right_id,probability,evidence\n" + rows + "\n", encoding="utf-8"
    )
    engine = DuckDBInsightEngine(InsightWorld.in_folder(clinic.folder, clinic.snapshot))
    document = spec(population={"match": "acme"}, group_by=["gender"], metrics=["persons"], min_persons=1)
    release = run_insight(
        parse_spec(document, file="spec.yaml", floor=1),
        clinic.platform.ledger,
        clinic.store,
        engine,
        RunPopulations(lake),
        "analyst",
    )
    counted = sum(r["persons"] for r in release.outcome.rows)
    bit = clinic.platform.ledger.purpose_bits()["analysis"]
    assert counted == len(set(linked) & granted(clinic, bit))
    assert 0 < counted < len(granted(clinic, bit))


def test_unknown_match_run_is_a_clear_error(clinic: ClinicWorld) -> None:
    engine = DuckDBInsightEngine(InsightWorld.in_folder(clinic.folder, clinic.snapshot))
    document = spec(population={"match": "nope"})
    with pytest.raises(InputError) as error:
        run_insight(
            parse_spec(document, file="spec.yaml", floor=50),
            clinic.platform.ledger,
            clinic.store,
            engine,
            RunPopulations(clinic.folder),
            "analyst",
        )
    assert error.value.field == "population"
