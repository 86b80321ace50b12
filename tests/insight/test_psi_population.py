"""Insight over the overlap found by PSI: `mamori psi ... --run-id`, then `{psi: RUN_ID}` (MAMORI-1 still applies)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from tests.insight.conftest import ClinicWorld, make_clinic
from tests.insight.test_requests import granted, spec
from tests.paths import SRC

from mamori.domain.insight.spec import parse_spec
from mamori.errors import InputError, RefusedError
from mamori.lake.insight.engine import DuckDBInsightEngine
from mamori.lake.insight.populations import RunPopulations
from mamori.lake.insight.world import InsightWorld
from mamori.lake.psi.elements import identifiers
from mamori.lake.psi.protocol import Outcome
from mamori.lake.psi.runs import PsiRuns
from mamori.services.insight import run_insight

# The synthetic client writes Japanese headers; both sides normalize identifiers as intake does.
CLIENT_MAPPING = "id: 顧客ID\nemail: メールアドレス\nphone: 電話番号\n"


def mamori(home: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MAMORI_HOME": str(home), "PYTHONPATH": str(SRC.parent), "MAMORI_LANG": lang}
    env["MAMORI_DATABASE_URL"] = f"sqlite:///{home.parent / 'l.sqlite3'}"
    return subprocess.run(
        [sys.executable, "-m", "mamori", *args], capture_output=True, text=True, env=env, cwd=home.parent
    )


def psi_exchange(clinic: ClinicWorld, tmp: Path, *record: str, mode: str = "members") -> dict[str, object]:
    """Run the four file steps: the platform's members vs the synthetic client ryutsu's customers."""
    home = clinic.platform.settings.home
    (tmp / "client.yaml").write_text(CLIENT_MAPPING, encoding="utf-8")
    members, customers = tmp / "synth" / "members.csv", tmp / "synth" / "customers_ryutsu.csv"
    steps = [
        ("offer", str(members), "--context", "e1", "--mode", mode, "--state", "p.state", "--out", "o.psi"),
        ("answer", str(customers), "o.psi", "--context", "e1", "--state", "c.state", "--out", "a.psi",
         "--allow-members", "--mapping", "client.yaml"),
        ("finish", "a.psi", "--state", "p.state", "--out", "r.psi", *record, "--json"),
        ("count", "r.psi", "--state", "c.state", "--json"),
    ]  # fmt: skip
    results = [mamori(home, "psi", *step) for step in steps]
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    platform, client = json.loads(results[2].stdout), json.loads(results[3].stdout)
    assert platform["intersection_size"] == client["intersection_size"] > 0
    return dict(platform)


def run(clinic: ClinicWorld, population: dict[str, str], recipient: str = "acme") -> int:
    engine = DuckDBInsightEngine(InsightWorld.in_folder(clinic.folder, clinic.snapshot))
    document = spec(population=population, group_by=["gender"], metrics=["persons"], min_persons=1)
    document["recipient"] = recipient
    release = run_insight(
        parse_spec(document, file="spec.yaml", floor=1),
        clinic.platform.ledger,
        clinic.store,
        engine,
        RunPopulations(clinic.platform.settings.lake_dir),
        "analyst",
    )
    return sum(int(r["persons"]) for r in release.outcome.rows)


def test_MAMORI_1_psi_population_counts_the_consenting_overlap(tmp_path: Path) -> None:
    clinic = make_clinic(tmp_path, members=1000)
    try:
        found = psi_exchange(clinic, tmp_path, "--run-id", "ryutsu-2026", "--recipient", "acme")
        assert found["run_id"] == "ryutsu-2026"
        # What the platform may know: its own members whose e-mail or phone is in the client's file.
        own = identifiers(tmp_path / "synth" / "members.csv", ("email", "phone"))
        theirs = identifiers(
            tmp_path / "synth" / "customers_ryutsu.csv", ("email", "phone"), tmp_path / "client.yaml"
        )
        expected = {sid for ident in set(own) & set(theirs) for sid in own[ident]}
        lake = clinic.platform.settings.lake_dir
        kept = set(pq.read_table(lake / "psi" / "members-ryutsu-2026.parquet")["subject_id"].to_pylist())
        assert kept == expected and found["members"] == len(expected)
        # Nothing of the client's side is kept: no customer ids, no identifiers, no blinded values.
        record = (lake / "psi" / "run-ryutsu-2026.json").read_text(encoding="utf-8")
        assert "RYU-" not in record and "example" not in record
        assert [e.kind for e in clinic.platform.ledger.audit_entries()][-1] == "psi-run-recorded"

        bit = clinic.platform.ledger.purpose_bits()["analysis"]
        consenting = expected & granted(clinic, bit)
        assert run(clinic, {"psi": "ryutsu-2026"}) == len(consenting)
        assert 0 < len(consenting) < len(expected)  # consent really filtered the overlap
    finally:
        clinic.platform.ledger.engine.dispose()


def test_psi_population_through_the_insight_cli(tmp_path: Path) -> None:
    clinic = make_clinic(tmp_path, members=600)
    clinic.platform.ledger.engine.dispose()
    psi_exchange(clinic, tmp_path, "--run-id", "r1", "--recipient", "acme")
    (tmp_path / "spec.yaml").write_text(
        "recipient: acme\npurpose: analysis\npopulation: {psi: r1}\ngroup_by: [gender]\n"
        "metrics: [persons]\nmin_persons: 50\n",
        encoding="utf-8",
    )
    args = ("insight", "run", "spec.yaml", "--out", "r.csv", "--world", str(clinic.folder))
    done = mamori(clinic.platform.settings.home, *args, "--snapshot", str(clinic.snapshot), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["cells"] >= 1
    (tmp_path / "spec.yaml").write_text(
        (tmp_path / "spec.yaml").read_text(encoding="utf-8").replace("{psi: r1}", "{psi: nope}"), "utf-8"
    )
    for lang, words in (("en", "no PSI run nope"), ("ja", "PSI の実行 nope の記録がありません")):
        bad = mamori(clinic.platform.settings.home, *args, "--snapshot", str(clinic.snapshot), lang=lang)
        assert bad.returncode == 2 and words in bad.stderr and "population" in bad.stderr, bad.stderr


def test_unknown_psi_run_is_a_clear_error_in_both_languages(clinic: ClinicWorld) -> None:
    with pytest.raises(InputError) as error:
        run(clinic, {"psi": "nope"})
    assert error.value.field == "population"
    assert "PSI の実行 nope の記録がありません" in error.value.ja and "no PSI run nope" in error.value.en


def test_APPI_18_1_psi_run_serves_only_its_recipient(clinic: ClinicWorld) -> None:
    clinic.store.register_recipient("other", "他社", 3.0, "officer")
    PsiRuns(clinic.platform.settings.lake_dir).record(
        "r2",
        Outcome(1, 10, 10, ("M00000001",)),
        recipient="acme",
        mode="members",
        context="e",
        recorded_at="t",
    )
    with pytest.raises(RefusedError) as error:
        run(clinic, {"psi": "r2"}, recipient="other")
    assert error.value.rules == ("APPI-18-1",)


def test_size_mode_run_cannot_be_a_population(tmp_path: Path) -> None:
    clinic = make_clinic(tmp_path, members=300)
    try:
        found = psi_exchange(clinic, tmp_path, "--run-id", "s1", "--recipient", "acme", mode="size")
        assert found["members"] is None
        assert not (clinic.platform.settings.lake_dir / "psi" / "members-s1.parquet").exists()
        with pytest.raises(InputError) as error:
            run(clinic, {"psi": "s1"})
        assert "size mode" in error.value.en and error.value.field == "population"
    finally:
        clinic.platform.ledger.engine.dispose()


def test_run_ids_are_records_not_paths(clinic: ClinicWorld) -> None:
    runs = PsiRuns(clinic.platform.settings.lake_dir)
    outcome = Outcome(0, 1, 1, ())
    with pytest.raises(InputError):
        runs.record("../x", outcome, recipient="acme", mode="members", context="e", recorded_at="t")
    runs.record("x", outcome, recipient="acme", mode="members", context="e", recorded_at="t")
    with pytest.raises(InputError) as error:
        runs.record("x", outcome, recipient="acme", mode="members", context="e", recorded_at="t")
    assert error.value.field == "--run-id"
    with pytest.raises(InputError) as bad_spec:
        parse_spec(spec(population={"psi": "../../etc"}), file="spec.yaml", floor=1)
    assert bad_spec.value.field == "population"
