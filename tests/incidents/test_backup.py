"""Backups that survive ransomware: generations, checksums, retention, and the restore drill."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mamori.domain.calendar import JST
from mamori.domain.incidents.backups import GenerationStamp, Retention, keep
from mamori.errors import ConfigError, InputError, TamperedError
from mamori.files.backup import generations, put_live, restore, take_backup
from mamori.files.evidence import FileEvidenceStore

NOW = datetime(2026, 11, 27, 12, tzinfo=JST)


def _live(home: Path) -> tuple[Path, dict[str, Path]]:
    home.mkdir()
    ledger = home / "ledger.sqlite3"
    with sqlite3.connect(ledger) as db:
        db.execute("create table consent_events (id integer primary key, subject text, purpose text)")
        db.executemany(
            "insert into consent_events (subject, purpose) values (?, ?)",
            [(f"S{i}", "p1") for i in range(50)],
        )
    lake = home / "lake"
    (lake / "members").mkdir(parents=True)
    pq.write_table(
        pa.table({"member_id": ["S1", "S2"], "age": [31, 45]}), lake / "members" / "part-0.parquet"
    )
    return ledger, {"lake": lake}


def _count(ledger: Path) -> int:
    with sqlite3.connect(ledger) as db:
        return int(db.execute("select count(*) from consent_events").fetchone()[0])


def test_a_generation_is_numbered_checksummed_and_read_only(tmp_path: Path) -> None:
    ledger, folders = _live(tmp_path / "home")
    gen, pruned = take_backup(tmp_path / "backups", ledger=ledger, folders=folders, now=NOW)
    second, _ = take_backup(
        tmp_path / "backups", ledger=ledger, folders=folders, now=NOW + timedelta(hours=1)
    )
    assert (gen.number, second.number, pruned) == (1, 2, [])
    assert gen.files == 2 and gen.path.name == "gen-000001"
    modes = [p.stat().st_mode for p in gen.path.rglob("*") if p.is_file()]
    assert modes and all(not m & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) for m in modes)
    assert not gen.path.stat().st_mode & stat.S_IWUSR
    assert [g.number for g in generations(tmp_path / "backups")] == [1, 2]


def test_the_backup_location_must_be_separate(tmp_path: Path) -> None:
    ledger, folders = _live(tmp_path / "home")
    with pytest.raises(ConfigError):
        take_backup(tmp_path / "home" / "backups", ledger=ledger, folders=folders, now=NOW)


def test_the_snapshot_is_consistent_while_a_writer_holds_a_transaction(tmp_path: Path) -> None:
    ledger, folders = _live(tmp_path / "home")
    writer = sqlite3.connect(ledger)
    writer.execute("insert into consent_events (subject, purpose) values ('S999', 'p1')")  # not committed
    gen, _ = take_backup(tmp_path / "backups", ledger=ledger, folders=folders, now=NOW)
    writer.rollback()
    writer.close()
    report = restore(tmp_path / "backups", gen.number, tmp_path / "scratch")
    assert report.ok and _count(tmp_path / "scratch" / "ledger.sqlite3") == 50


def test_restore_verify_finds_a_tampered_or_added_file(tmp_path: Path) -> None:
    ledger, folders = _live(tmp_path / "home")
    gen, _ = take_backup(tmp_path / "backups", ledger=ledger, folders=folders, now=NOW)
    parquet = gen.path / "lake" / "members" / "part-0.parquet"
    os.chmod(gen.path / "lake" / "members", stat.S_IRWXU)
    os.chmod(parquet, stat.S_IRUSR | stat.S_IWUSR)
    parquet.write_bytes(b"encrypted by ransomware")
    (gen.path / "lake" / "members" / "README-DECRYPT.txt").write_text("pay us")
    report = restore(tmp_path / "backups", gen.number, tmp_path / "scratch")
    assert not report.ok
    assert "lake/members/part-0.parquet: checksum mismatch" in report.problems
    assert "lake/members/README-DECRYPT.txt: not in the manifest" in report.problems


def test_restore_runs_the_audit_chain_check_on_the_restored_ledger(tmp_path: Path) -> None:
    ledger, folders = _live(tmp_path / "home")
    take_backup(tmp_path / "backups", ledger=ledger, folders=folders, now=NOW)
    seen: list[Path] = []

    def broken(path: Path) -> str | None:
        seen.append(path)
        return "seq 3 changed"

    report = restore(tmp_path / "backups", None, tmp_path / "scratch", chain_check=broken)
    assert report.chain_checked and seen == [tmp_path / "scratch" / "ledger.sqlite3"]
    assert report.problems == ["audit chain: seq 3 changed"]


def test_restore_refuses_a_non_empty_target_and_unknown_generations(tmp_path: Path) -> None:
    ledger, folders = _live(tmp_path / "home")
    take_backup(tmp_path / "backups", ledger=ledger, folders=folders, now=NOW)
    with pytest.raises(InputError):
        restore(tmp_path / "backups", 9, tmp_path / "scratch")
    with pytest.raises(InputError):
        restore(tmp_path / "backups", 1, tmp_path / "home")


def test_restore_drill_ransomware_encrypts_live_data_and_a_generation_brings_it_back(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ledger, folders = _live(home)
    take_backup(tmp_path / "backups", ledger=ledger, folders=folders, now=NOW)
    # The attack: the ledger is overwritten with noise and the lake file is replaced.
    ledger.write_bytes(os.urandom(8192))
    (folders["lake"] / "members" / "part-0.parquet").write_bytes(b"\x00locked")
    with pytest.raises(sqlite3.DatabaseError):
        _count(ledger)
    report = restore(tmp_path / "backups", None, tmp_path / "scratch")
    assert report.ok, report.problems
    put_live(tmp_path / "scratch", ledger=ledger, folders=folders, aside=tmp_path / "damaged")
    assert _count(ledger) == 50
    assert pq.read_table(folders["lake"] / "members" / "part-0.parquet").num_rows == 2
    assert (tmp_path / "damaged" / "ledger.sqlite3").read_bytes() != ledger.read_bytes()  # kept for forensics
    # The restored files are writable again: the application can carry on.
    with sqlite3.connect(ledger) as db:
        db.execute("insert into consent_events (subject, purpose) values ('S50', 'p1')")
    assert _count(ledger) == 51


def test_retention_keeps_the_last_generations_plus_daily_and_weekly_ones() -> None:
    start = datetime(2026, 9, 1, 3, tzinfo=JST)
    stamps = [GenerationStamp(n + 1, start + timedelta(hours=12 * n)) for n in range(120)]  # twice a day
    kept = keep(stamps, Retention(last=3, daily=5, weekly=4))
    assert {118, 119, 120} <= kept
    days = {stamps[n - 1].taken_at.date() for n in kept}
    assert len(days) >= 5
    assert 1 not in kept and len(kept) <= 3 + 5 + 4
    assert keep(stamps[:1], Retention(last=0, daily=0, weekly=0)) == {1}


def test_pruning_removes_read_only_generations(tmp_path: Path) -> None:
    ledger, folders = _live(tmp_path / "home")
    policy = Retention(last=2, daily=0, weekly=0)
    for hour in range(4):
        _, pruned = take_backup(
            tmp_path / "backups",
            ledger=ledger,
            folders=folders,
            now=NOW + timedelta(hours=hour),
            retention=policy,
        )
    assert pruned == [2]
    assert [g.number for g in generations(tmp_path / "backups")] == [3, 4]


def test_evidence_files_are_content_addressed_and_checked_on_read(tmp_path: Path) -> None:
    store = FileEvidenceStore(tmp_path / "evidence")
    stored = store.put(b"firewall.log contents")
    assert store.put(b"firewall.log contents") == stored
    assert store.get(stored.sha256) == b"firewall.log contents"
    path = tmp_path / "evidence" / stored.sha256[:2] / stored.sha256
    assert not path.stat().st_mode & stat.S_IWUSR
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    path.write_bytes(b"edited")
    with pytest.raises(TamperedError):
        store.get(stored.sha256)
