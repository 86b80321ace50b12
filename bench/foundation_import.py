"""Bulk import of consent events into PostgreSQL with the audit chain, vs a bare COPY.

Figure (issue 2): `mamori consent import` of N events (read, validate, reference checks, COPY into
the indexed, append-only event table, digest, audit entries) against a bare `COPY ... FROM STDIN`
of the same CSV into an unindexed table, in the same run on the same server. Target ratio <= 2.

Usage: python bench/foundation_import.py [--events 1000000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import psycopg

from mamori.bootstrap import build
from mamori.lake.consent_stream import open_event_file
from mamori.lake.synth import SynthConfig, build_world
from mamori.lake.synth.members import read_members
from mamori.lake.synth.purposes import PURPOSES, TERMS
from mamori.services.consent import publish_terms, register_purpose, register_subjects
from mamori.services.consent_import import import_events
from mamori.settings import Settings
from mamori.testing.postgres import Server


def make_file(events: int, folder: Path) -> tuple[Path, list[object]]:
    """Synthesize a world with at least about `events` consent events (3.2 per member on average)."""
    members = max(10, int(events / 3.1))
    world = folder / "world"
    build_world(SynthConfig(members=members, transactions=0, browsing=0), world)
    return world / "consents.csv", read_members(world / "members.csv")  # type: ignore[return-value]


def bare_copy(server: Server, db: str, path: Path) -> float:
    with psycopg.connect(server.url(db).replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS raw_events")
        conn.execute(
            "CREATE TABLE raw_events (subject text, purpose text, action text, at timestamptz, "
            "terms text, by text, channel text)"
        )
        start = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy("COPY raw_events FROM STDIN (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as handle,
        ):
            while block := handle.read(8 << 20):
                copy.write(block)
        return time.perf_counter() - start


def ours(server: Server, db: str, path: Path, members: list[object], home: Path) -> float:
    platform = build(Settings(home=home, database_url=server.url(db)))
    if not platform.ledger.purposes():
        for purpose in PURPOSES:
            register_purpose(platform.ledger, purpose, "bench")
        for terms in TERMS:
            publish_terms(platform.ledger, terms, "bench")
        register_subjects(platform.ledger, members, "bench")  # type: ignore[arg-type]
    start = time.perf_counter()
    import_events(platform.ledger, open_event_file(path), str(path), "bench")
    elapsed = time.perf_counter() - start
    platform.ledger.engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    server = Server()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            path, members = make_file(args.events, folder)
            rows = open_event_file(path).estimated_rows()
            server.create_database("bench_ours")
            server.create_database("bench_bare")
            bare_times, our_times = [], []
            for round_ in range(args.rounds):
                bare_times.append(bare_copy(server, "bench_bare", path))
                # each round appends to the same ledger: positions grow, as in real life
                our_times.append(ours(server, "bench_ours", path, members, folder / "home"))
                print(
                    f"round {round_ + 1}: bare COPY {bare_times[-1]:.2f}s, mamori import {our_times[-1]:.2f}s",
                    flush=True,
                )
            bare, our = statistics.median(bare_times), statistics.median(our_times)
            print(f"events: {rows:,}")
            print(f"bare COPY into an unindexed table (peer): {bare:.2f} s  ({rows / bare:,.0f} rows/s)")
            print(f"mamori consent import with audit chain:   {our:.2f} s  ({rows / our:,.0f} rows/s)")
            print(f"ratio mamori / bare: {our / bare:.2f}  (target <= 2.0)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
