"""Impact from lineage on a 1M-member world: mamori's `compute_impact` vs DuckDB SQL.

Figure (issue 8): given the rows of two leaked exports (1M subjects, overlapping), count the
distinct persons, the union of items, the flagged items and the minors — the facts that feed
reportability. The peer is the same computation as one DuckDB query over an Arrow table, in the
same run. Target: seconds.

Usage: python bench/incidents_impact.py [--members 1000000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

import duckdb
import pyarrow as pa

from mamori.domain.incidents.impact import Exposure, compute_impact
from mamori.domain.items import DataItem

CATALOGUE = {
    "name": DataItem("name"),
    "email": DataItem("email"),
    "card_number": DataItem("card_number", financial=True),
}
TODAY = date(2026, 11, 27)


def world(members: int) -> tuple[list[tuple[str, Exposure]], pa.Table]:
    a, b = frozenset({"name", "email"}), frozenset({"name", "card_number"})
    births = [date(1950 + i % 70, 1 + i % 12, 1 + i % 28) for i in range(100)]
    pairs: list[tuple[str, Exposure]] = []
    cut = int(members * 0.6)
    for i in range(members):  # export-a: 0..60%, export-b: 50%..100% (10% in both)
        sid, born = f"S{i:08d}", births[i % 100]
        if i < cut:
            pairs.append(("export-a", Exposure(sid, a, born)))
        if i >= members // 2:
            pairs.append(("export-b", Exposure(sid, b, born)))
    table = pa.table(
        {
            "source": [s for s, _ in pairs],
            "subject_id": [e.subject_id for _, e in pairs],
            "items": [sorted(e.items) for _, e in pairs],
            "birth_date": [e.birth_date for _, e in pairs],
        }
    )
    return pairs, table


PEER_SQL = """
WITH rows AS (SELECT subject_id, unnest(items) AS item, birth_date FROM exposures),
persons AS (SELECT subject_id, max(birth_date) AS born FROM exposures GROUP BY subject_id)
SELECT (SELECT count(*) FROM persons),
       (SELECT list(DISTINCT item ORDER BY item) FROM rows),
       (SELECT count(*) FROM persons WHERE date_diff('year', born, DATE '2026-11-27')
            - CASE WHEN strftime(born, '%m%d') > '1127' THEN 1 ELSE 0 END < 18)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    pairs, table = world(args.members)
    ours, peer = [], []
    con = duckdb.connect()
    con.register("exposures", table)
    for _ in range(args.rounds):
        start = time.perf_counter()
        impact = compute_impact(pairs, CATALOGUE, TODAY)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        persons, items, minors = con.execute(PEER_SQL).fetchone()  # type: ignore[misc]
        peer.append(time.perf_counter() - start)
    if (persons, list(items), minors) != (impact.persons, list(impact.items), impact.minors):
        raise SystemExit(f"ours and the peer disagree: {(persons, items, minors)} vs {impact}")
    o, p = statistics.median(ours), statistics.median(peer)
    print(f"rows={len(pairs):,} persons={impact.persons:,} minors={impact.minors:,} items={impact.items}")
    print(f"ours  compute_impact: {o:.3f} s (median of {args.rounds})")
    print(f"peer  DuckDB SQL:     {p:.3f} s (median of {args.rounds})")
    print(f"ratio ours/peer:      {o / p:.1f}")


if __name__ == "__main__":
    main()
