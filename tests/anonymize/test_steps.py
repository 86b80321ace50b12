"""PPC Rule 34's five steps, column roles, tokens, top-coding, and the paperwork of Art. 43."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from mamori.domain.anonymity.models import PrivacyModel, Step, StepLog, missing_steps
from mamori.errors import RefusedError
from mamori.lake.anonymize.engine import Job, run
from tests.paths import REPO


def _run(src: Path, out: Path, **kw: object) -> dict[str, object]:
    job = Job(src, out, qi=["age", "sex", "address"], hierarchies={"address": "address"}, **kw)  # type: ignore[arg-type]
    return run(job)


def test_PPC_RULE_34_all_five_steps_logged(members_csv: Path, tmp_path: Path) -> None:
    report = _run(members_csv, tmp_path / "o.csv", sensitive=["diagnosis"], linking=["member_id"])
    steps = report["steps"]
    assert [s["step"] for s in steps] == [1, 2, 3, 4, 5]  # type: ignore[index]
    assert all(s["rule"].startswith("PPC-RULE-34(") for s in steps)  # type: ignore[union-attr]


def test_PPC_RULE_34_missing_step_means_no_output() -> None:
    logs = [StepLog(step, "x", "x") for step in Step if step is not Step.LINKING_CODES]
    assert missing_steps(logs) == [Step.LINKING_CODES]


def test_PPC_RULE_34_undeclared_columns_are_removed_with_reason(members_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.csv"
    report = _run(members_csv, out, sensitive=["diagnosis"])
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == ["age", "sex", "address", "diagnosis"]
    removed = {c["name"]: c for c in report["columns"] if c["role"] == "identifying"}  # type: ignore[union-attr,index]
    assert {"name", "email", "member_id", "postal_code", "spend"} <= set(removed)
    assert "removed" in removed["email"]["action"]["en"]
    assert report["steps"][0]["columns"]  # type: ignore[index]


def test_PPC_RULE_34_kept_column_with_contact_data_is_refused(members_csv: Path, tmp_path: Path) -> None:
    with pytest.raises(RefusedError) as caught:
        _run(members_csv, tmp_path / "o.csv", keep=["email"])
    assert caught.value.rules == ("PPC-RULE-34",)
    assert not (tmp_path / "o.csv").exists()
    report = _run(members_csv, tmp_path / "o.csv", keep=["email"], force=True)
    assert "forced" in report["steps"][1]["action"]["en"]  # type: ignore[index]


def test_PPC_RULE_34_linking_codes_become_underivable_tokens(members_csv: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.parquet", tmp_path / "b.parquet"
    _run(members_csv, first, linking=["member_id"])
    _run(members_csv, second, linking=["member_id"])
    con = duckdb.connect()
    tokens = [r[0] for r in con.execute(f"SELECT member_id FROM '{first}'").fetchall()]
    assert not any(t.startswith("M1") for t in tokens)
    assert len(set(tokens)) == len(tokens)
    again = {r[0] for r in con.execute(f"SELECT member_id FROM '{second}'").fetchall()}
    assert not again & set(tokens)  # a fresh key each run: tokens cannot be joined across releases
    assert not list(tmp_path.rglob("*mapping*"))


def test_PPC_RULE_34_ages_of_90_and_over_are_one_group(members_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.parquet"
    report = _run(members_csv, out, algorithm="flash", model=PrivacyModel(k=2))
    ages = {r[0] for r in duckdb.connect().execute(f"SELECT DISTINCT age FROM '{out}'").fetchall()}
    assert not any(a.isdigit() and int(a) >= 90 for a in ages)
    assert report["steps"][3]["affected"] > 0  # type: ignore[index]


def test_PPC_RULE_34_extreme_spend_is_top_coded(members_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.parquet"
    report = _run(members_csv, out, keep=["spend"])
    top = duckdb.connect().execute(f"SELECT max(spend) FROM '{out}'").fetchall()[0][0]
    raw = duckdb.connect().execute(f"SELECT max(spend) FROM '{members_csv}'").fetchall()[0][0]
    assert top < raw
    assert "spend" in report["steps"][3]["columns"]  # type: ignore[index]


def test_PPC_RULE_34_unreachable_model_writes_nothing(members_csv: Path, tmp_path: Path) -> None:
    with pytest.raises(RefusedError):
        _run(members_csv, tmp_path / "o.csv", model=PrivacyModel(k=100_000))
    assert not (tmp_path / "o.csv").exists()


def test_PPC_RULE_34_report_has_risk_and_utility(members_csv: Path, tmp_path: Path) -> None:
    report = _run(members_csv, tmp_path / "o.csv", model=PrivacyModel(k=5))
    risk, utility = report["risk"], report["utility"]
    assert risk["prosecutor"]["highest"] <= 1 / 5  # type: ignore[index]
    assert risk["unique_records_before"] > risk["unique_records_after"] == 0  # type: ignore[index,operator]
    assert 0 < utility["ncp"] < 1  # type: ignore[index,operator]
    assert utility["discernibility"] >= 1500 * 5  # type: ignore[index,operator]
    assert utility["non_uniform_entropy"] > 0  # type: ignore[index,operator]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "MAMORI_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", "mamori", *args], capture_output=True, text=True, env=env, check=False
    )


def test_APPI_43_3_publication_and_APPI_43_4_notice_next_to_output(members_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "release.csv"
    result = _cli(
        "anonymize", str(members_csv), "--qi", "age,sex,address", "--sensitive", "diagnosis",
        "--hierarchy", "address=address", "--k", "5", "--out", str(out), "--report", str(tmp_path / "r.json"),
        "--recipient", "Example株式会社", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    publication = (tmp_path / "release.csv.publication.ja.txt").read_text(encoding="utf-8")
    assert "第43条第3項" in publication and "diagnosis" in publication and "email" not in publication
    notice_ja = (tmp_path / "release.csv.provision-notice.ja.txt").read_text(encoding="utf-8")
    notice_en = (tmp_path / "release.csv.provision-notice.en.txt").read_text(encoding="utf-8")
    assert "匿名加工情報です" in notice_ja and "提供の方法" in notice_ja
    assert "anonymized information" in notice_en and "Method of provision" in notice_en
    manifest = json.loads((tmp_path / "release.csv.manifest.json").read_text(encoding="utf-8"))
    assert manifest["lineage_id"] == report["lineage_id"]


def test_APPI_43_5_recipients_are_bound_not_to_reidentify(members_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "release.csv"
    _cli(
        "anonymize", str(members_csv), "--qi", "age,sex", "--k", "5", "--out", str(out),
        "--report", str(tmp_path / "r.json"), "--recipient", "Example Inc.",
    )  # fmt: skip
    assert "第45条" in (tmp_path / "release.csv.provision-notice.ja.txt").read_text(encoding="utf-8")
    assert "shall not identify" in (tmp_path / "release.csv.provision-notice.en.txt").read_text(
        encoding="utf-8"
    )


def test_APPI_43_2_processing_method_kept_apart_owner_only(members_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "release.csv"
    result = _cli(
        "anonymize", str(members_csv), "--qi", "age,sex", "--k", "5", "--out", str(out),
        "--report", str(tmp_path / "r.json"), "--json",
    )  # fmt: skip
    method = Path(json.loads(result.stdout)["files"]["method"])
    assert method.parent != out.parent
    assert stat.S_IMODE(method.stat().st_mode) == 0o600
    assert stat.S_IMODE(method.parent.stat().st_mode) == 0o700
    assert "model" in json.loads(method.read_text(encoding="utf-8"))


def test_PPC_RULE_34_csv_output_is_safe_against_formula_injection(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    rows = ["age,sex,note"] + [f'{30 + i % 3},F,=HYPERLINK("x.invalid")' for i in range(12)]
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    run(Job(src, out, qi=["age", "sex"], keep=["note"], model=PrivacyModel(k=3)))
    notes = {
        r[0]
        for r in duckdb.connect().execute(f"SELECT note FROM read_csv('{out}', all_varchar=true)").fetchall()
    }
    assert notes == {'\'=HYPERLINK("x.invalid")'}
