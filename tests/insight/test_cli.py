"""`mamori insight` on the command line: spec in, result file and chart out, one JSON document."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.csv as pacsv
from tests.insight.conftest import make_clinic
from tests.paths import SRC

SPEC = """recipient: acme
purpose: analysis
population: all
group_by: [age_band, prefecture]
metrics: [persons, spend_total]
min_persons: 50
dp: null
"""


def mamori(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MAMORI_HOME": str(home), "PYTHONPATH": str(SRC.parent), "MAMORI_LANG": "en"}
    env["MAMORI_DATABASE_URL"] = f"sqlite:///{home.parent / 'l.sqlite3'}"
    return subprocess.run([sys.executable, "-m", "mamori", *args], capture_output=True, text=True, env=env)


def test_MAMORI_AGG_1_cli_writes_result_with_suppressed_flags_and_chart(tmp_path: Path) -> None:
    clinic = make_clinic(tmp_path)
    clinic.platform.ledger.engine.dispose()
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    home = tmp_path / "home"
    done = mamori(
        home, "insight", "run", str(tmp_path / "spec.yaml"), "--out", str(tmp_path / "r.csv"),
        "--chart", str(tmp_path / "c.svg"), "--world", str(clinic.folder), "--snapshot", str(clinic.snapshot),
        "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["release_id"] == 1 and summary["suppressed"] > 0
    table = pacsv.read_csv(tmp_path / "r.csv").to_pylist()
    assert len(table) == summary["cells"]
    assert {"age_band", "prefecture", "persons", "spend_total", "suppressed"} <= set(table[0])
    assert all((r["persons"] is None) == r["suppressed"] for r in table)
    assert "suppressed" in (tmp_path / "c.svg").read_text(encoding="utf-8")


def test_cli_bad_spec_names_file_and_field(tmp_path: Path) -> None:
    clinic = make_clinic(tmp_path, members=200)
    clinic.platform.ledger.engine.dispose()
    (tmp_path / "bad.yaml").write_text(SPEC.replace("[persons, spend_total]", "[persons, salary]"), "utf-8")
    done = mamori(
        tmp_path / "home", "insight", "run", str(tmp_path / "bad.yaml"), "--out", str(tmp_path / "r.csv")
    )
    assert done.returncode == 2
    assert "bad.yaml" in done.stderr and "metrics" in done.stderr
