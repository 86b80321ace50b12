"""`mamori ingest` and `mamori scan` as an operator runs them: exit codes and one JSON document."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.intake.helpers import HEADER
from tests.paths import SRC


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mamori", *args],
        capture_output=True,
        text=True,
        env={
            "PYTHONPATH": str(SRC.parent),
            "MAMORI_LANG": "en",
            "MAMORI_HOME": str(home),
            "PATH": "/usr/bin:/bin",
        },
        check=False,
    )


def test_ingest_json_summary_accounts_for_every_row(tmp_path: Path) -> None:
    data = tmp_path / "c.csv"
    data.write_text(HEADER + "C1,山田 太郎,,,,03-1234-5678,,,\nC2,,,,,12345,,,\n", encoding="cp932")
    result = run(
        tmp_path / "home", "ingest", str(data), "--kind", "customers", "--source", "ryutsu", "--json"
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["rows_in"], summary["rows_accepted"], summary["rows_quarantined"]) == (2, 1, 1)
    assert summary["encoding"] == "cp932"
    assert summary["reasons"] == {"invalid_phone": 1}
    assert summary["confirmed"] is False
    assert "APPI-30-1" in result.stderr
    assert Path(summary["path"], "data").is_dir()


def test_ingest_with_declaration_is_confirmed(tmp_path: Path) -> None:
    data = tmp_path / "c.csv"
    data.write_text("顧客ID,電話番号\nC1,03-1234-5678\n", encoding="utf-8")
    declaration = tmp_path / "decl.yaml"
    declaration.write_text(
        "provider_name: 株式会社りゅうつう\nprovider_address: 東京都千代田区千代田1-1\n"
        "representative: 山田太郎\nacquisition_method: 入会申込書\n",
        encoding="utf-8",
    )
    args = (
        "ingest",
        str(data),
        "--kind",
        "customers",
        "--source",
        "r",
        "--declaration",
        str(declaration),
        "--json",
    )
    result = run(tmp_path / "home", *args)
    assert json.loads(result.stdout)["confirmed"] is True
    assert "APPI-30-1" not in result.stderr


def test_unreadable_file_exits_2_and_names_the_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = run(tmp_path / "home", "ingest", str(empty), "--kind", "customers", "--source", "x", "--json")
    assert result.returncode == 2
    assert "empty.csv" in result.stderr
    assert result.stdout == ""


def test_MYNUM_20_refused_file_exits_3_and_cites_the_rule(tmp_path: Path) -> None:
    data = tmp_path / "c.csv"
    data.write_text("顧客ID,番号\nC1,123456789018\nC2,621498320257\n", encoding="utf-8")
    result = run(tmp_path / "home", "ingest", str(data), "--kind", "customers", "--source", "x")
    assert result.returncode == 3
    assert "MYNUM-20" in result.stderr


def test_scan_json_format(tmp_path: Path) -> None:
    data = tmp_path / "s.csv"
    data.write_text(
        "mail,番号,card,ip\ntaro@example.com,123456789018,4111111111111111,192.0.2.1\n"
        "hanako@example.com,621498320257,5555555555554444,2001:db8::1\n",
        encoding="utf-8",
    )
    result = run(tmp_path / "home", "scan", str(data), "--json")
    assert result.returncode == 0, result.stderr
    columns = json.loads(result.stdout)["columns"]
    assert columns == [
        {"name": "mail", "kinds": ["email"], "share": 1.0},
        {"name": "番号", "kinds": ["my_number"], "share": 1.0},
        {"name": "card", "kinds": ["card_number"], "share": 1.0},
        {"name": "ip", "kinds": ["ip_address"], "share": 1.0},
    ]


def test_APPI_30_1_catalog_declare_confirms_an_ingested_dataset(tmp_path: Path) -> None:
    data = tmp_path / "c.csv"
    data.write_text("顧客ID,電話番号\nC1,03-1234-5678\nC2,123\n", encoding="utf-8")
    home = tmp_path / "home"
    dataset = json.loads(
        run(home, "ingest", str(data), "--kind", "customers", "--source", "r", "--json").stdout
    )["dataset"]
    listed = json.loads(run(home, "catalog", "list", "--json").stdout)["datasets"]
    assert [(d["dataset"], d["confirmed"]) for d in listed] == [(dataset, False)]
    quarantine = json.loads(run(home, "catalog", "quarantine", dataset, "--json").stdout)["quarantine"]
    assert quarantine == [{"file": "c.csv", "row": 2, "field": "電話番号", "reason": "invalid_phone"}]
    declaration = tmp_path / "decl.yaml"
    declaration.write_text(
        "provider_name: 株式会社りゅうつう\nprovider_address: 東京都千代田区\nrepresentative: 山田太郎\nacquisition_method: 店頭申込書\n",
        encoding="utf-8",
    )
    assert run(home, "catalog", "declare", dataset, "--declaration", str(declaration)).returncode == 0
    assert json.loads(run(home, "catalog", "list", "--json").stdout)["datasets"][0]["confirmed"] is True
