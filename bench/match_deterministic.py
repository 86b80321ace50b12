"""Deterministic stage alone on pre-normalized keys vs a bare DuckDB hash join of the same keys.

Builds LEFT (n) and RIGHT (n/2) tables of normalized keys in DuckDB (e-mail and E.164 phone; some
null, a few shared by a household), then times, on the same connection:

  bare    the two equi-joins (email, phone) and their union: the floor any linker pays;
  mamori  deterministic.SQL: the same joins carrying name/birth-date columns, the contradiction
          check, the fan-out rule, and the verdict per pair.

The name and birth-date columns are null here (pre-normalized keys only), as the issue states;
with them the check costs a few string comparisons per candidate pair.

    python bench/match_deterministic.py [--left 10000000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import duckdb

from mamori.lake.match import deterministic

_MAKE = """
CREATE OR REPLACE TABLE {name} AS
SELECT {prefix} || i AS id,
       CASE WHEN i % 10 = 3 THEN NULL ELSE 'user' || ((i * {mult}) % {space}) || '@example.com' END AS email,
       CASE WHEN i % 7 = 1 THEN NULL ELSE '+8190' || lpad(CAST(((i * {mult}) % {space}) // 2 AS VARCHAR), 8, '0') END
           AS phone,
       CAST(NULL AS VARCHAR) AS name_key, CAST(NULL AS VARCHAR) AS reading_family,
       CAST(NULL AS VARCHAR) AS reading_given, CAST(NULL AS VARCHAR) AS name_sorted,
       CAST(NULL AS VARCHAR) AS birth_date
FROM range({rows}) t(i)
"""


def build(con: duckdb.DuckDBPyConnection, left: int) -> None:
    """Create the two key tables: RIGHT's keys overlap about half of LEFT's."""
    right = left // 2
    con.execute(_MAKE.format(name="k_left", prefix="'L'", rows=left, mult=1, space=left))
    con.execute(_MAKE.format(name="k_right", prefix="'R'", rows=right, mult=3, space=left * 2))


def timed(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[float, int]:
    """Run a query into a table (results materialized, not streamed) and return (seconds, rows)."""
    start = time.perf_counter()
    con.execute(f"CREATE OR REPLACE TEMP TABLE out AS {sql}")
    elapsed = time.perf_counter() - start
    rows = con.execute("SELECT count(*) FROM out").fetchone()
    return elapsed, int(rows[0]) if rows else 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--left", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    con = duckdb.connect()
    build(con, args.left)
    bare_sql = deterministic.BARE_SQL.format(left="k_left", right="k_right")
    ours_sql = deterministic.sql("k_left", "k_right")
    bare, ours = [], []
    for _ in range(args.repeats):  # interleaved: the machine is shared and noisy
        seconds, bare_rows = timed(con, bare_sql)
        bare.append(seconds)
        seconds, our_rows = timed(con, ours_sql)
        ours.append(seconds)
    b, o = statistics.median(bare), statistics.median(ours)
    print(
        f"{args.left:,} x {args.left // 2:,} keys; bare join rows {bare_rows:,}, mamori verdict rows {our_rows:,}"
    )
    print(f"bare DuckDB hash join: {b:.2f} s (median of {args.repeats})")
    print(f"mamori deterministic:  {o:.2f} s (median of {args.repeats})")
    print(f"ratio mamori / bare: {o / b:.2f} x (target <= 1.3)")


if __name__ == "__main__":
    main()
