"""`mamori incident`, `mamori backup` and `mamori restore` end to end, in-process, on a real ledger."""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from tests.incidents.conftest import Cli
from tests.paths import SRC


def _open(cli: Cli, persons: str = "800", **extra: str) -> str:
    args = [
        "incident", "open", "--title", "VPN 機器経由のランサムウェア", "--cause", "ransomware", "--persons", persons,
        "--discovered-by", "情報システム部", "--summary", "ファイルサーバが暗号化された", "--suspected",
        "--items", "name,address", "--org", "example-shop", "--size", "sme", "--route", "vpn_appliance",
        "--aware-at", "2022-10-03T10:00:00",
    ]  # fmt: skip
    for key, value in extra.items():
        args += [f"--{key.replace('_', '-')}", value] if value else [f"--{key.replace('_', '-')}"]
    document = cli.json(*args)
    return str(document["id"])


def test_PPC_RULE_8_2_open_decides_and_shows_the_deadlines(cli: Cli) -> None:
    incident_id = _open(cli)
    shown = cli.json("incident", "show", incident_id)
    assert shown["assessment"] == {
        "reportable": True, "categories": [3], "preliminary_due": "2022-10-06", "final_due": "2022-12-01",
        "notify_subjects": True, "rules": ["APPI-26-1", "PPC-RULE-7-3"],
    }  # fmt: skip
    countdowns = shown["countdowns"]
    assert isinstance(countdowns, list) and {c["urgency"] for c in countdowns} == {"overdue"}
    code, out, err = cli("incident", "show", incident_id)
    assert code == 0 and "overdue" in out and "warning" in err


def test_PPC_RULE_7_4_assess_with_persons_found_later_makes_it_reportable(cli: Cli) -> None:
    code, out, _ = cli(
        "incident", "open", "--title", "USB", "--cause", "lost_device", "--persons", "900", "--discovered-by", "x",
        "--summary", "lost", "--aware-at", "2022-10-03T10:00:00", "--json",
    )  # fmt: skip
    incident_id = json.loads(out)["id"]
    assert json.loads(out)["assessment"]["reportable"] is False
    code, _, err = cli("incident", "assess", incident_id, "--persons", "1200")
    assert code == 2 and "--reason" in err
    after = cli.json("incident", "assess", incident_id, "--persons", "1200", "--reason", "追加で判明")
    assert after["assessment"]["categories"] == [4]  # type: ignore[index]
    assert after["reportable_since"] is not None


def test_advance_is_refused_with_the_missing_fields_named(cli: Cli) -> None:
    code, out, _ = cli(
        "incident", "open", "--title", "誤送信", "--cause", "misdelivery", "--persons", "20", "--discovered-by", "x",
        "--summary", "To で送信", "--json",
    )  # fmt: skip
    incident_id = json.loads(out)["id"]
    code, _, err = cli("incident", "advance", incident_id)
    assert code == 2 and "privacy officer told" in err
    cli("incident", "officer-told", incident_id, "--officer", "山田")
    assert cli.json("incident", "advance", incident_id)["step"] == "initial-response"


def test_a_walk_through_six_steps_with_evidence_and_the_printable_report(cli: Cli, tmp_path: Path) -> None:
    i = _open(cli, persons="1500", officer_told="")
    steps = [
        ("team", "--role", "責任者", "--person", "山田", "--contact", "yamada@example.com"),
        ("first-aid", "--action", "isolate_network", "--by", "佐藤", "--at", "2022-10-03T11:00:00"),
        *[("finding", "--question", q, "--answer", f"{q}: 調査済み") for q in ("when", "where", "who", "what", "why", "how")],
        ("timeline", "--text", "VPN 機器への不正ログイン", "--at", "2022-10-01T02:00:00"),
        ("secondary-damage", "--text", "現時点で確認されていない"),
    ]  # fmt: skip
    evidence = tmp_path / "vpn.log"
    evidence.write_text("2022-10-01 02:00 login admin from 203.0.113.9\n")
    assert cli.json("incident", "advance", i)["step"] == "initial-response"
    for step in steps[:2]:
        assert cli("incident", step[0], i, *step[1:])[0] == 0
    assert cli.json("incident", "advance", i)["step"] == "investigation"
    for step in steps[2:]:
        assert cli("incident", step[0], i, *step[1:])[0] == 0
    shown = cli.json("incident", "evidence", i, str(evidence), "--description", "VPN ログ")
    assert shown["evidence"][0]["size"] == evidence.stat().st_size  # type: ignore[index]
    assert cli.json("incident", "advance", i)["step"] == "notification"
    for audience in ("ppc_preliminary", "subjects"):
        assert cli("incident", "task-done", i, "--audience", audience, "--reference", "R-1")[0] == 0
    assert cli.json("incident", "advance", i)["step"] == "recovery"
    assert cli("incident", "contain", i, "--measure", "VPN 機器を交換")[0] == 0
    assert cli("incident", "help-desk", i, "--contact", "0120-000-000", "--hours", "9-17")[0] == 0
    assert cli("incident", "recovered", i, "--note", "バックアップから復旧")[0] == 0
    assert cli.json("incident", "advance", i)["step"] == "after-action"
    for field in (
        "root_cause",
        "recurrence_done",
        "recurrence_planned",
        "apology",
        "compensation",
        "lessons",
    ):
        assert cli("incident", "after-action", i, "--field", field, "--text", f"{field} を記載")[0] == 0
    code, _, err = cli("incident", "advance", i)
    assert code == 2 and "ppc_final" in err  # PPC-RULE-8-2: cannot close before the final report
    cli("incident", "task-done", i, "--audience", "ppc_final")
    assert cli.json("incident", "advance", i)["step"] == "closed"

    report = cli.json("incident", "report", i, "--kind", "final")
    assert [item["number"] for item in report["items"]] == list(range(1, 10))  # type: ignore[union-attr,index]
    pdf = tmp_path / "report.pdf"
    assert cli("incident", "report", i, "--format", "pdf", "--out", str(pdf))[0] == 0
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages).replace(" ", "")
    assert "個人データの漏えい等事案の報告（速報）" in text and "1,500人" in text
    code, html, _ = cli("incident", "notice", i, "--format", "html")
    assert code == 0 and "お知らせとお詫び" in html and "1,500" not in html


def test_stats_csv_across_organisations(cli: Cli, tmp_path: Path) -> None:
    _open(cli)
    other = tmp_path / "clients.csv"
    other.write_text(
        "organisation,org_size,cause,route,aware_on,persons,reportable\n"
        "bank-c,large,misdelivery,not_applicable,2022-11-02,20,false\n"
        "shop-d,sme,ransomware,remote_desktop,2022-12-24,3000,true\n"
        "shop-e,medium,ransomware,vpn_appliance,2022-12-24,3,true\n",
        encoding="utf-8",
    )
    code, out, err = cli("incident", "stats", "--by", "cause,size", "--from", str(other), "--csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == "cause,size,incidents,reportable,persons,organisations"
    assert "ransomware,sme,2,2,3800,2" in lines
    assert "3 rows = 2 accepted + 1 quarantined" in err and "clients.csv:4" in err and "org_size" in err
    code, out, _ = cli("incident", "records")
    assert out.splitlines()[1].startswith("example-shop,sme,ransomware,vpn_appliance,2022-10-03,800,true")


def _process(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run mamori in its own process, as an operator's drill would."""
    env = {
        "PYTHONPATH": str(SRC.parent),
        "MAMORI_HOME": str(tmp_path / "home"),
        "MAMORI_BACKUP_DIR": str(tmp_path / "backups"),
        "MAMORI_LANG": "en",
        "MAMORI_ACTOR": "drill@example.com",
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        [sys.executable, "-m", "mamori", *args], capture_output=True, text=True, env=env, check=False
    )


def test_restore_drill_with_the_real_ledger_and_audit_chain(cli: Cli, tmp_path: Path) -> None:
    incident_id = _open(cli)
    home = tmp_path / "home"
    (home / "lake").mkdir()
    (home / "lake" / "members.csv").write_text("member_id\nS1\n")
    assert cli.json("backup")["generation"] == 1
    gc.collect()  # close the pooled SQLite connections the in-process commands left behind
    # Ransomware: the ledger and the lake are encrypted in place.
    ledger = home / "ledger.sqlite3"
    ledger.write_bytes(os.urandom(ledger.stat().st_size))
    (home / "lake" / "members.csv").write_bytes(b"\x00 encrypted")
    assert (
        _process(tmp_path, "incident", "show", incident_id).returncode != 0
    )  # a fresh process sees the damage
    verified = cli.json("restore", "--verify", "--into", str(tmp_path / "s1"))
    assert verified["ok"] is True and verified["chain_checked"] is True
    live = cli.json("restore", "--live", "--into", str(tmp_path / "s2"))
    assert live["ok"] is True and Path(str(live["damaged_moved_to"])).is_dir()
    assert cli.json("incident", "show", incident_id)["id"] == incident_id
    assert (home / "lake" / "members.csv").read_text() == "member_id\nS1\n"
    assert cli.json("audit", "verify")["ok"] is True
    assert cli.json("incident", "verify")["ok"] is True


def test_restore_verify_fails_on_a_tampered_chain_in_the_backup(cli: Cli, tmp_path: Path) -> None:
    _open(cli)
    gen = Path(str(cli.json("backup")["path"]))
    copy = gen / "ledger.sqlite3"
    copy.chmod(0o600)
    gen.chmod(0o700)
    db = sqlite3.connect(copy)
    db.execute("PRAGMA journal_mode=DELETE")
    with db:
        db.execute("UPDATE audit_log SET actor = 'intruder' WHERE seq = 1")
    db.close()
    # Re-seal the manifest as an attacker with write access would, so only the chain can tell.
    import hashlib

    manifest = json.loads((gen / "manifest.json").read_text())
    for entry in manifest["files"]:
        if entry["path"] == "ledger.sqlite3":
            entry["sha256"] = hashlib.sha256(copy.read_bytes()).hexdigest()
            entry["size"] = copy.stat().st_size
    body = json.dumps(manifest).encode()
    (gen / "manifest.json").chmod(0o600)
    (gen / "manifest.json").write_bytes(body)
    (gen / "manifest.sha256").chmod(0o600)
    (gen / "manifest.sha256").write_text(hashlib.sha256(body).hexdigest())
    code, out, _ = cli("restore", "--verify", "--into", str(tmp_path / "scratch"), "--json")
    report = json.loads(out)
    assert code == 1 and report["chain_checked"] is True, report["problems"]
    assert any("audit chain" in p and "changed" in p for p in report["problems"])


def test_backup_refuses_a_location_inside_the_data(cli: Cli, tmp_path: Path) -> None:
    _open(cli)
    code, _, err = cli("backup", "--to", str(tmp_path / "home" / "bk"))
    assert code == 1 and "separate" in err


def test_PPC_RULE_8_3_the_demo_incident_walks_all_six_steps_and_prints_its_documents(cli: Cli) -> None:
    result = cli.json("incident", "demo", "--persons", "1100")
    incident = result["incident"]
    assert incident["step"] == "closed"  # type: ignore[index]
    assert incident["facts"]["persons"] == 1100  # type: ignore[index]
    assert incident["assessment"]["categories"] == [4]  # type: ignore[index]
    files = [Path(str(p)) for p in result["files"]]  # type: ignore[union-attr]
    assert len(files) == 5 and all(p.stat().st_size > 0 for p in files)
    pdf = next(p for p in files if p.name.endswith("report-final.pdf"))
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages).replace(" ", "")
    assert "確報" in text and "1,100人" in text


def test_APPI_26_1_incident_verify_finds_an_edited_incident_record(cli: Cli, tmp_path: Path) -> None:
    _open(cli)
    assert cli.json("incident", "verify")["ok"] is True
    db = sqlite3.connect(tmp_path / "home" / "ledger.sqlite3")
    with db:
        db.execute("UPDATE incident_events SET actor = 'someone-else' WHERE seq = 1")
        db.execute("UPDATE incident_events SET payload = replace(payload, '800', '80') WHERE seq = 1")
    db.close()
    code, out, _ = cli("incident", "verify", "--json")
    assert code == 1 and json.loads(out)["break"]["tampering"] == "changed"
