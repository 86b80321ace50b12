"""`take_backup` (consistent SQLite snapshot + lake copy + SHA-256 manifest + read-only) vs a plain copy.

Figure (issue 8): one backup generation of a ledger and lake, against the peer an operator would
script without mamori — `sqlite3.Connection.backup` of the ledger plus `shutil.copytree` of the
lake, no checksums, no read-only, no retention — in the same run. The ratio is the price of the
manifest and the safeguards.

Usage: python bench/incidents_backup.py [--rows 500000] [--lake-mb 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from mamori.files.backup import make_writable, take_backup


def make_live(home: Path, rows: int, lake_mb: int) -> tuple[Path, Path]:
    home.mkdir()
    ledger = home / "ledger.sqlite3"
    with sqlite3.connect(ledger) as db:
        db.execute(
            "create table consent_events (seq integer primary key, subject text, purpose text, at text)"
        )
        db.executemany(
            "insert into consent_events values (?, ?, ?, ?)",
            ((i, f"S{i:08d}", f"p{i % 7}", "2026-11-27T00:00:00+09:00") for i in range(rows)),
        )
    lake = home / "lake"
    for part in range(lake_mb // 10):
        folder = lake / f"dataset-{part % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"part-{part}.parquet").write_bytes(os.urandom(10 << 20))
    return ledger, lake


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--lake-mb", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ledger, lake = make_live(root / "home", args.rows, args.lake_mb)
        size = ledger.stat().st_size + sum(p.stat().st_size for p in lake.rglob("*") if p.is_file())
        ours, peer = [], []
        for n in range(args.rounds):
            start = time.perf_counter()
            gen, _ = take_backup(root / "vault", ledger=ledger, folders={"lake": lake}, now=datetime.now(UTC))
            ours.append(time.perf_counter() - start)
            make_writable(gen.path)
            shutil.rmtree(gen.path)
            target = root / f"plain-{n}"
            start = time.perf_counter()
            target.mkdir()
            src, dst = sqlite3.connect(ledger), sqlite3.connect(target / "ledger.sqlite3")
            src.backup(dst)
            src.close()
            dst.close()
            shutil.copytree(lake, target / "lake")
            peer.append(time.perf_counter() - start)
            shutil.rmtree(target)
    o, p = statistics.median(ours), statistics.median(peer)
    print(f"data: {size / 1e6:.0f} MB (ledger {args.rows:,} rows + lake {args.lake_mb} MB)")
    print(f"ours  take_backup:          {o:.3f} s (median of {args.rounds})")
    print(f"peer  backup API + copytree: {p:.3f} s (median of {args.rounds})")
    print(f"ratio ours/peer:            {o / p:.2f}")


if __name__ == "__main__":
    main()
