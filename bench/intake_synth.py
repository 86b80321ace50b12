"""Time `mamori synth` for a large world (issue 3: 1M members and 10M transactions).

There is no peer for generating this world; the figure is the wall time, and the rows per
second of the transactions part for comparison with plain numpy sampling of the same columns.

Usage: python bench/intake_synth.py [--members 1000000] [--transactions 10000000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from mamori.lake.synth import SynthConfig, build_world


def numpy_floor(rows: int) -> float:
    """The peer: draw the transactions' numeric columns with numpy alone (no strings, no files)."""
    rng = np.random.default_rng(0)
    started = time.perf_counter()
    rng.integers(0, 1_000_000, size=rows)
    rng.integers(0, 10_000, size=rows)
    rng.lognormal(0.0, 0.7, size=rows)
    rng.integers(0, 86400 * 365 * 7, size=rows)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--transactions", type=int, default=10_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mamori-bench-synth-") as tmp:
        marks: dict[str, float] = {}
        started = time.perf_counter()
        last = [started]

        def step(part: str) -> None:
            now = time.perf_counter()
            marks[part] = now
            last[0] = now

        summary = build_world(
            SynthConfig(members=args.members, transactions=args.transactions), Path(tmp), step
        )
        total = time.perf_counter() - started
        size = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e9
    parts = list(marks)
    print(
        f"mamori synth: {args.members:,} members, {args.transactions:,} transactions, {size:.1f} GB written"
    )
    for i, part in enumerate(parts):
        end = marks[parts[i + 1]] if i + 1 < len(parts) else started + total
        print(f"  {part:<13} {end - marks[part]:7.1f} s")
    print(f"  ours total   {total:7.1f} s   files {summary.files}")
    floor = numpy_floor(args.transactions)
    print(
        f"  peer (numpy draws of the transaction columns only) {floor:.2f} s; ratio ours/peer {total / floor:.0f}x"
    )


if __name__ == "__main__":
    main()
