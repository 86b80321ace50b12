"""`mamori psi` over files, as two operators would run it, with identifiers normalized as intake does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.paths import REPO


def _psi(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mamori", "psi", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PYTHONPATH": str(REPO / "src"), "MAMORI_LANG": "en", "PATH": "/usr/bin"},
        check=False,
    )


def test_file_exchange_finds_the_overlap_across_spellings(tmp_path: Path) -> None:
    (tmp_path / "members.csv").write_text(
        "id,email,phone\nm1,taro@example.com,03-1234-5678\nm2,hanako@example.com,\nm3,,090-1111-2222\n",
        encoding="utf-8",
    )
    # The client writes the same identifiers its own way: upper case, full-width digits, +81.
    (tmp_path / "customers.csv").write_text(
        "id,email,phone\nc1,TARO@Example.com,\nc2,,０９０－１１１１－２２２２\nc3,other@example.jp,+81 3 9999 0000\n",
        encoding="utf-8",
    )
    steps = [
        ("offer", "members.csv", "--context", "e1", "--mode", "members", "--state", "p.state", "--out", "o.psi"),
        ("answer", "customers.csv", "o.psi", "--context", "e1", "--state", "c.state", "--out", "a.psi", "--allow-members"),
        ("finish", "a.psi", "--state", "p.state", "--out", "r.psi", "--members-out", "members_in.csv", "--json"),
        ("count", "r.psi", "--state", "c.state", "--json"),
    ]  # fmt: skip
    results = [_psi(*step, cwd=tmp_path) for step in steps]
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    platform, client = json.loads(results[2].stdout), json.loads(results[3].stdout)
    assert platform["intersection_size"] == client["intersection_size"] == 2
    assert (tmp_path / "members_in.csv").read_text(encoding="utf-8").split() == ["id", "m1", "m3"]
    assert not (tmp_path / "p.state").exists() and not (tmp_path / "c.state").exists()  # keys destroyed
    for wire_file in ("o.psi", "a.psi", "r.psi"):
        data = (tmp_path / wire_file).read_bytes()
        assert b"example" not in data and b"m1" not in data and b"1234" not in data


def test_members_mode_is_refused_without_the_clients_permission(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text("id,email\nm1,a@example.com\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text("id,email\nc1,a@example.com\n", encoding="utf-8")
    assert (
        _psi(
            "offer",
            "m.csv",
            "--context",
            "e",
            "--mode",
            "members",
            "--state",
            "p",
            "--out",
            "o",
            cwd=tmp_path,
        ).returncode
        == 0
    )
    refused = _psi("answer", "c.csv", "o", "--context", "e", "--state", "c", "--out", "a", cwd=tmp_path)
    assert refused.returncode == 3, refused.stderr
    assert not (tmp_path / "a").exists()
