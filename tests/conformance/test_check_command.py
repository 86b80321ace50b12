"""`mamori check` on the shared scenarios and on broken files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.paths import SRC, shared_dir


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mamori", *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC.parent), "MAMORI_LANG": "en", "PATH": "/usr/bin:/bin"},
        check=False,
    )


def test_every_public_scenario_passes() -> None:
    result = run("check", str(shared_dir() / "conformance"))
    last = result.stdout.strip().splitlines()[-1]
    assert last.endswith(" 0 failed"), result.stdout
    assert int(last.split()[0]) >= 13
    assert result.returncode == 0


def test_json_output_is_one_document_and_needs_no_expect(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "scenario: s\npurposes: [{id: a, kind: internal_analysis}]\n"
        "terms: [{version: v1, effective: 2020-01-01, purposes: [a]}]\n"
        "subjects: [{id: x, birth_date: 1990-01-01}]\n"
        "requests: [{id: r1, at: 2022-01-01T00:00:00+09:00, subject: x, action: use, purpose: a}]\n",
        encoding="utf-8",
    )
    result = run("check", "--json", str(scenario))
    document = json.loads(result.stdout)
    assert document["results"][0]["decision"] == "deny"
    assert document["results"][0]["rules"] == ["MAMORI-1", "APPI-18-1"]


def test_a_malformed_file_names_file_line_and_field_and_others_still_answer(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "scenario: bad\npurposes:\n  - {id: a, kind: internal_analysis}\n"
        "subjects:\n  - {id: x, birth_date: 1990-13-45}\n",
        encoding="utf-8",
    )
    good = tmp_path / "good.yaml"
    good.write_text(
        (shared_dir() / "conformance" / "policy" / "my-number.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result = run("check", "--json", str(tmp_path))
    entries = json.loads(result.stdout)["results"]
    error = next(e for e in entries if "error" in e)
    assert "bad.yaml:5" in error["error"] and "subjects[x].birth_date" in error["error"]
    assert any(e.get("request") == "tax" for e in entries)
    human = run("check", str(tmp_path))
    assert human.stdout.strip().splitlines()[-1] == "1 passed, 1 failed"
    assert human.returncode == 1


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("scenario: x\nrequests: [\n  {id: r1\n", encoding="utf-8")
    result = run("check", str(bad))
    assert "broken.yaml:" in result.stdout and result.returncode == 1
