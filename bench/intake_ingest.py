"""Ingest throughput against a bare DuckDB read_csv -> Parquet of the same file, same run.

Figures (issue 3):
1. a transactions CSV (synthetic, 10 per member): `mamori ingest` (scan, validate, normalize,
   quarantine, atomic publish, catalogue) vs `COPY (SELECT * FROM read_csv(f)) TO 'x.parquet'`.
   Target ratio (baseline seconds / ours) >= 0.5.
2. a customer file with full contact normalization (names + kana readings, phones, emails,
   postal codes, addresses, Japanese-era dates; the synthetic client noise) vs the same
   baseline on that file. Target ratio >= 0.25.

Usage: python bench/intake_ingest.py [--transactions 10000000] [--customers 1000000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from mamori.lake.intake import open_intake
from mamori.lake.synth.clients import CLIENTS, customer_frame, to_client_headers
from mamori.lake.synth.commerce import shops_frame, transactions_frame
from mamori.lake.synth.people import people_frame
from mamori.lake.synth.world import START
from mamori.services.intake import ingest
from mamori.testing.catalog import InMemoryDatasetCatalog

NOW = datetime(2026, 4, 2, tzinfo=UTC)


def make_transactions(rows: int, folder: Path) -> Path:
    rng = np.random.default_rng(7)
    members = people_frame(rng, max(rows // 10, 1000), NOW.date(), "M")
    shops = shops_frame(rng, max(rows // 1000, 20))
    sales = transactions_frame(rng, rows, members, shops, START, NOW.date())
    path = folder / "transactions.csv"
    sales.with_columns(pl.col("purchased_at").dt.strftime("%Y-%m-%dT%H:%M:%S+09:00")).write_csv(path)
    return path


def make_customers(rows: int, folder: Path) -> Path:
    rng = np.random.default_rng(8)
    # Every person known to the client once (plus 3% registered twice): about `rows` records.
    people = people_frame(rng, int(rows / 1.5), NOW.date(), "M")
    outsiders = people_frame(rng, int(rows / 1.5), NOW.date(), "P")
    spec = CLIENTS[0].__class__(**{**CLIENTS[0].__dict__, "member_share": 1.0})
    records, _ = customer_frame(rng, spec, people, outsiders)
    path = folder / "customers.csv"
    path.write_bytes(to_client_headers(records, spec).write_csv().encode("utf-8-sig"))
    return path


def baseline(path: Path, out: Path) -> float:
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    started = time.perf_counter()
    con.execute(f"COPY (SELECT * FROM read_csv('{path}')) TO '{out}' (FORMAT parquet)")
    seconds = time.perf_counter() - started
    con.close()
    out.unlink()
    return seconds


def ours(path: Path, kind: str, lake: Path) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    intake = open_intake(path, kind=kind, lake_dir=lake, now=NOW)
    outcome = ingest(intake, InMemoryDatasetCatalog(), source_name="bench", now=NOW)
    seconds = time.perf_counter() - started
    p = outcome.published
    assert p.rows_in == p.rows_accepted + p.rows_quarantined
    shutil.rmtree(lake)
    return seconds, {"rows_in": p.rows_in, "accepted": p.rows_accepted, "quarantined": p.rows_quarantined}


def measure(name: str, path: Path, kind: str, rounds: int, folder: Path, target: float) -> None:
    base_times, our_times = [], []
    counts: dict[str, int] = {}
    for _ in range(rounds):
        base_times.append(baseline(path, folder / "baseline.parquet"))
        seconds, counts = ours(path, kind, folder / "lake")
        our_times.append(seconds)
    b, o = statistics.median(base_times), statistics.median(our_times)
    mb = path.stat().st_size / 1e6
    print(f"{name}: {counts['rows_in']:,} rows, {mb:,.0f} MB, {counts['quarantined']:,} quarantined")
    print(
        f"  ours (mamori ingest)           median {o:7.2f} s  ({counts['rows_in'] / o:,.0f} rows/s)  runs {[round(t, 2) for t in our_times]}"
    )
    print(
        f"  peer (DuckDB read_csv->Parquet) median {b:7.2f} s  ({counts['rows_in'] / b:,.0f} rows/s)  runs {[round(t, 2) for t in base_times]}"
    )
    print(f"  ratio peer/ours = {b / o:.2f} (target >= {target})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=10_000_000)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mamori-bench-intake-") as tmp:
        folder = Path(tmp)
        if args.transactions:
            measure(
                "transactions",
                make_transactions(args.transactions, folder),
                "transactions",
                args.rounds,
                folder,
                0.5,
            )
        if args.customers:
            measure(
                "customers", make_customers(args.customers, folder), "customers", args.rounds, folder, 0.25
            )


if __name__ == "__main__":
    main()
