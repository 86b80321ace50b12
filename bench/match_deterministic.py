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
       CAST(NULL AS VARCHAR) AS birth_date, CAST(NULL AS UBIGINT) AS name_h,
       CAST(NULL AS UBIGINT) AS sorted_h, CAST(NULL AS INTEGER) AS birth_n
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
    # On keys only the pipeline runs the keys variant (nothing can contradict); the variant with
    # the name/birth-date checks is timed too, as a figure for files that carry them.
    keys_sql = deterministic.sql("k_left", "k_right", checks=False)
    checks_sql = deterministic.sql("k_left", "k_right")
    times: dict[str, list[float]] = {"bare": [], "keys": [], "checks": []}
    rows: dict[str, int] = {}
    for _ in range(args.repeats):  # interleaved: the machine is shared and noisy
        for name, sql in (("bare", bare_sql), ("keys", keys_sql), ("checks", checks_sql)):
            seconds, rows[name] = timed(con, sql)
            times[name].append(seconds)
    b, k, c = (statistics.median(times[n]) for n in ("bare", "keys", "checks"))
    print(f"{args.left:,} x {args.left // 2:,}; bare rows {rows['bare']:,}, verdict rows {rows['keys']:,}")
    print(f"bare DuckDB hash join:             {b:.2f} s (median of {args.repeats})")
    print(f"mamori deterministic (keys):       {k:.2f} s  ratio {k / b:.2f} x (target <= 1.3)")
    print(f"mamori deterministic (name/date):  {c:.2f} s  ratio {c / b:.2f} x")


if __name__ == "__main__":
    main()
