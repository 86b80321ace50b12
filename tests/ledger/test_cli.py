"""The ledger commands as a user runs them: demo world, snapshot, decide, audit verify."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from tests.paths import SRC


def mamori(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PYTHONPATH": str(SRC.parent),
        "MAMORI_HOME": str(home),
        "MAMORI_LANG": "en",
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        [sys.executable, "-m", "mamori", *args], env=env, capture_output=True, text=True, check=False
    )


def test_demo_then_snapshot_decide_and_tamper_evident_audit(tmp_path: Path) -> None:
    home = tmp_path / "home"
    demo = mamori(home, "demo", "--members", "300", "--no-serve")
    assert demo.returncode == 0, demo.stderr
    assert "Decisions explained" in demo.stdout

    snap = mamori(home, "snapshot", "--json", "--out", str(tmp_path / "s.parquet"))
    info = json.loads(snap.stdout)
    table = pq.read_table(tmp_path / "s.parquet")
    assert info["subjects"] == table.num_rows == 300
    assert info["granted"]["service"] > 0

    member = table.column("subject_id")[0].as_py()
    decided = mamori(home, "decide", "--subject", member, "--purpose", "service", "--json")
    assert json.loads(decided.stdout)["decision"] in ("allow", "deny")

    assert mamori(home, "audit", "verify").returncode == 0
    with sqlite3.connect(home / "ledger.sqlite3") as db:
        db.execute("UPDATE consent_events SET channel = 'forged' WHERE seq = 3")
    broken = mamori(home, "audit", "verify", "--json")
    assert broken.returncode == 1
    assert json.loads(broken.stdout)["break"]["tampering"] == "changed"


def test_demo_refuses_a_home_it_did_not_make(tmp_path: Path) -> None:
    home = tmp_path / "precious"
    home.mkdir()
    (home / "ledger.sqlite3").write_text("real data", encoding="utf-8")
    result = mamori(home, "demo", "--members", "50", "--no-serve")
    assert result.returncode == 1
    assert "empty folder" in result.stderr
    assert (home / "ledger.sqlite3").read_text(encoding="utf-8") == "real data"
