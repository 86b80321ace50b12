"""Deterministic stage alone on pre-normalized keys vs a bare DuckDB hash join of the same keys.

Builds LEFT (n) and RIGHT (n/2) frames of normalized keys (e-mail and E.164 phone; some null,
phones shared by two records of a household), registers them once in DuckDB the way the pipeline
does (`deterministic.register`: the frame plus its row number), then times, on the same
connection, with results fetched as polars frames (what the pipeline consumes):

  bare    the two equi-joins (email, phone) and their union, returning the id pairs: the floor
          any linker pays;
  keys    `deterministic.judge` as the pipeline runs it when a side has neither names nor birth
          dates (two `mamori hash` files): candidate pairs, each once, the fan-out (household)
          verdict, ids gathered — everything the stage hands on;
  checks  the same with the name / birth-date contradiction check (integer fingerprints through
          the joins, the slow path for the pairs they do not settle); the name and date columns
          are null here, so this times the machinery, not string comparisons.

Wall time and process CPU time (both threads) are medians of interleaved repeats; the machine is
shared, and CPU time is less sensitive to other people's load.

    python bench/match_deterministic.py [--left 10000000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import duckdb
import polars as pl

from mamori.lake.match import deterministic
from mamori.lake.match.engines import DuckDBEngine

_MAKE = """
SELECT {prefix} || i AS id,
       CASE WHEN i % 10 = 3 THEN NULL ELSE 'user' || ((i * {mult}) % {space}) || '@example.com' END AS email,
       CASE WHEN i % 7 = 1 THEN NULL ELSE '+8190' || lpad(CAST(((i * {mult}) % {space}) // 2 AS VARCHAR), 8, '0') END
           AS phone,
       CAST(NULL AS VARCHAR) AS name_key, CAST(NULL AS VARCHAR) AS reading_family,
       CAST(NULL AS VARCHAR) AS reading_given, CAST(NULL AS VARCHAR) AS name_sorted,
       CAST(NULL AS VARCHAR) AS birth_date, CAST(NULL AS BIGINT) AS name_h,
       CAST(NULL AS BIGINT) AS sorted_h, CAST(NULL AS INTEGER) AS birth_n
FROM range({rows}) t(i)
"""


def build(left: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Make the two key frames: RIGHT's keys overlap about half of LEFT's."""
    con = duckdb.connect()
    frames = []
    for prefix, rows, mult, space in (("'L'", left, 1, left), ("'R'", left // 2, 3, left * 2)):
        sql = _MAKE.format(prefix=prefix, rows=rows, mult=mult, space=space)
        frames.append(pl.from_arrow(con.sql(sql).to_arrow_table()))
    con.close()
    return frames[0], frames[1]  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--left", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    left, right = build(args.left)
    engine = DuckDBEngine()
    deterministic.register(engine, left, right)
    bare_sql = deterministic.BARE_SQL.format(left=deterministic.LEFT, right=deterministic.RIGHT)
    runs: dict[str, Callable[[], pl.DataFrame]] = {
        "bare": lambda: engine.query(bare_sql),
        "keys": lambda: deterministic.judge(engine, left, right, checks=False),
        "checks": lambda: deterministic.judge(engine, left, right, checks=True),
    }
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    rows: dict[str, int] = {}
    for _ in range(args.repeats):  # interleaved: the machine is shared and noisy
        for name, run in runs.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            rows[name] = run().height
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    med = {name: (statistics.median(wall[name]), statistics.median(cpu[name])) for name in runs}
    print(f"{args.left:,} x {args.left // 2:,}; bare rows {rows['bare']:,}, verdict rows {rows['keys']:,}")
    bw, bc = med["bare"]
    print(f"bare DuckDB hash join:            wall {bw:.2f} s  cpu {bc:.2f} s (medians of {args.repeats})")
    for name, label in (("keys", "keys"), ("checks", "name/date")):
        w, c = med[name]
        print(
            f"mamori deterministic ({label}):{' ' * (10 - len(label))}wall {w:.2f} s  cpu {c:.2f} s"
            f"  ratio wall {w / bw:.2f} x  cpu {c / bc:.2f} x (target <= 1.3)"
        )


if __name__ == "__main__":
    main()
