"""A consent-filtered, threshold-enforced insight request vs the same aggregation as bare DuckDB SQL.

Figure (issue 5): group by age band x prefecture x category, persons and spend, over
M members x T purchases. Ours = mamori's engine (consent snapshot filter, per-person
aggregation, distinct-person margins, complementary suppression with its linear-algebra
audit, result rows); peer = one DuckDB GROUP BY with count(DISTINCT member) and sum, no
consent filter, no suppression, same files, same run. Target ratio <= 1.15. The ledger write
of the release record (one row + one audit entry) is not timed.

Usage: python bench/insight_request.py [--members 1000000] [--per-member 50] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from insight_world import BITS, build

from mamori.domain.insight.spec import InsightSpec, Population
from mamori.lake.insight.engine import DuckDBInsightEngine
from mamori.lake.insight.world import InsightWorld

PEER_SQL = """
SELECT CASE WHEN a < 20 THEN '0-19' WHEN a >= 70 THEN '70+'
            ELSE CAST(a // 10 * 10 AS VARCHAR) || '-' || CAST(a // 10 * 10 + 9 AS VARCHAR) END AS age_band,
       prefecture, category, count(DISTINCT member_id) AS persons, sum(amount_yen) AS spend_total
FROM (SELECT date_sub('year', m.birth_date, DATE '2026-11-01') AS a, m.prefecture, t.category, t.member_id,
             t.amount_yen
      FROM read_parquet('{tx}') t JOIN read_parquet('{members}') m ON m.member_id = t.member_id)
GROUP BY ALL
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--per-member", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path("/tmp/mamori-bench-insight"))
    args = parser.parse_args()
    folder = build(args.data / f"{args.members}x{args.per_member}", args.members, args.per_member)
    world = InsightWorld(
        folder / "members.parquet", folder / "transactions.parquet", folder / "snapshot.parquet"
    )
    engine = DuckDBInsightEngine(world)
    spec = InsightSpec("bench", "analysis", Population(), ("age_band", "prefecture", "category"),
                       ("persons", "spend_total"), 50, None)  # fmt: skip
    peer_sql = PEER_SQL.format(tx=folder / "transactions.parquet", members=folder / "members.parquet")
    ours, theirs = [], []
    for _ in range(args.rounds):
        started = time.perf_counter()
        outcome = engine.run(spec, BITS["analysis"], None)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        con = duckdb.connect()
        peer_rows = con.execute(peer_sql).fetchall()
        con.close()
        theirs.append(time.perf_counter() - started)
    ours_m, theirs_m = statistics.median(ours), statistics.median(theirs)
    print(f"world: {args.members:,} members x {args.members * args.per_member:,} purchases")
    print(f"cells: ours {len(outcome.rows)} ({len(outcome.suppressed)} suppressed, {outcome.primary} primary); "
          f"peer {len(peer_rows)}")  # fmt: skip
    print(f"mamori insight request (consent + thresholds + complementary suppression): median {ours_m:.2f} s "
          f"{[round(x, 2) for x in ours]}")  # fmt: skip
    print(f"bare DuckDB GROUP BY (no consent filter, no suppression): median {theirs_m:.2f} s "
          f"{[round(x, 2) for x in theirs]}")  # fmt: skip
    print(f"ratio ours/peer: {ours_m / theirs_m:.2f} (target <= 1.15)")


if __name__ == "__main__":
    main()
