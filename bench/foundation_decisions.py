"""Policy decisions in bulk on DuckDB vs a bare join, and single decisions in-process.

Figures (issue 2):
1. decisions for N (subject, purpose) pairs against a snapshot of N subjects, vectorized on
   DuckDB (mamori.lake.decisions) vs a bare DuckDB join of the same pairs against the same
   bitmask table, same run. Target ratio <= 1.5.
2. single decisions in-process (mamori.domain.policy.decide, the portal's path): decisions per
   second on one core. Aim >= 50,000/s.

Usage: python bench/foundation_decisions.py [--subjects 1000000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from mamori.domain.calendar import JST
from mamori.domain.consent import ConsentAction, ConsentBook, ConsentEvent
from mamori.domain.items import STANDARD_ITEMS
from mamori.domain.policy import PolicyWorld, decide
from mamori.domain.recipients import Recipient
from mamori.domain.requests import Action, PolicyRequest, ProvisionKind
from mamori.domain.subjects import Subject
from mamori.domain.terms import TermsHistory
from mamori.lake.decisions import BatchRequest, decide_pairs
from mamori.lake.snapshot import SNAPSHOT_SCHEMA
from mamori.lake.synth.purposes import PURPOSES, TERMS

BITS = {p.id: i for i, p in enumerate(PURPOSES)}
PURPOSE_MAP = {p.id: p for p in PURPOSES}
NOW = __import__("datetime").datetime(2026, 11, 1, 10, tzinfo=JST)
TEMPLATE = PolicyRequest(
    "bench",
    NOW,
    "*",
    Action.PROVIDE,
    "*",
    ("purchase_history",),
    ProvisionKind.PERSONAL_DATA,
    Recipient("adco", "ad_business"),
)


def make_inputs(n: int, folder: Path) -> tuple[Path, pa.Table]:
    rng = np.random.default_rng(1)
    ids = np.char.add("M", np.arange(n).astype(str))
    snapshot = pa.table(
        {
            "subject_id": ids,
            "granted_mask": rng.integers(0, 32, n, dtype=np.int64),
            "objected_mask": np.zeros(n, dtype=np.int64),
        },
        schema=SNAPSHOT_SCHEMA,
    )
    path = folder / "snapshot.parquet"
    pq.write_table(snapshot, path)
    purposes = np.array(list(BITS))
    pairs = pa.table(
        {"subject_id": ids[rng.permutation(n)], "purpose_id": purposes[rng.integers(0, len(BITS), n)]}
    )
    return path, pairs


_BARE = """
SELECT p.subject_id, p.purpose_id, (s.granted_mask >> b.bit) & 1 = 1 AS granted
FROM pairs p JOIN bits b ON b.purpose_id = p.purpose_id
JOIN read_parquet('{snapshot}') s ON s.subject_id = p.subject_id
"""


def bare(snapshot: Path, pairs: pa.Table) -> float:
    con = duckdb.connect()
    con.register("pairs", pairs)
    con.register("bits", pa.table({"purpose_id": list(BITS), "bit": list(BITS.values())}))
    start = time.perf_counter()
    result = con.sql(_BARE.format(snapshot=snapshot)).to_arrow_table()
    elapsed = time.perf_counter() - start
    assert result.num_rows == pairs.num_rows
    con.close()
    return elapsed


def ours(snapshot: Path, pairs: pa.Table) -> float:
    con = duckdb.connect()
    start = time.perf_counter()
    result = decide_pairs(snapshot, pairs, PURPOSE_MAP, STANDARD_ITEMS, BITS, BatchRequest(TEMPLATE), con)
    elapsed = time.perf_counter() - start
    assert result.num_rows == pairs.num_rows
    con.close()
    return elapsed


def single_decisions(count: int) -> float:
    subject = Subject("hanako", date(1985, 2, 10))
    events = [
        ConsentEvent("hanako", p, ConsentAction.GRANT, NOW.replace(year=2022, month=5), "v2") for p in BITS
    ] + [ConsentEvent("hanako", "provide_partners", ConsentAction.WITHDRAW, NOW.replace(year=2023), "v2")]
    world = PolicyWorld(
        PURPOSE_MAP, STANDARD_ITEMS, ConsentBook(events, {"hanako": subject}, TermsHistory(TERMS))
    )
    requests = [replace(TEMPLATE, subject="hanako", purpose=p) for p in BITS]
    start = time.perf_counter()
    for i in range(count):
        decide(world, requests[i % len(requests)])
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        snapshot, pairs = make_inputs(args.subjects, Path(tmp))
        bare(snapshot, pairs), ours(snapshot, pairs)  # warm-up
        ratios, bares, ourss = [], [], []
        for _ in range(args.rounds):
            b, o = bare(snapshot, pairs), ours(snapshot, pairs)
            bares.append(b)
            ourss.append(o)
            ratios.append(o / b)
    print(f"pairs: {args.subjects:,} against a snapshot of {args.subjects:,} subjects")
    print(f"bare DuckDB join (peer):        median {statistics.median(bares):.3f} s")
    print(f"mamori vectorized decisions:    median {statistics.median(ourss):.3f} s")
    print(f"ratio mamori / bare (median of pairs): {statistics.median(ratios):.2f}  (target <= 1.5)")
    rate = statistics.median(single_decisions(100_000) for _ in range(3))
    print(f"single in-process decisions: {rate:,.0f} /s on one core  (aim >= 50,000/s)")


if __name__ == "__main__":
    main()
