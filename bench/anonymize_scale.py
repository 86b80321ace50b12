"""Benchmark: anonymize N rows (default 10M), 6 quasi-identifiers, k = 10, on DuckDB.

Compares `mamori.lake.anonymize` (full-domain search — `greedy` descent by default, or
the optimal `flash` — one GROUP BY of integer codes to the frequency table, the lattice
search on it with roll-up, one pass joining small label tables to write Parquet) with ONE bare
DuckDB GROUP BY over the generalized quasi-identifiers (read from our own output, i.e. the
cheapest form of that query), in the same run. Data is synthetic (seeded DuckDB SQL): age,
sex, address (prefecture + ward), postal code, visit date, spend in yen.

    python bench/anonymize_scale.py [--rows 10000000] [--repeat 3] [--algorithm greedy|flash] [--data FILE]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

QI = ["age", "sex", "address", "postal_code", "visit_date", "spend"]
HIERARCHIES = {"address": "address", "postal_code": "postal_code", "visit_date": "date", "spend": "yen"}
K = 10


def generate(rows: int, path: Path) -> None:
    from mamori.domain.anonymity.japan import PREFECTURES

    prefs = "[" + ", ".join(f"'{p}'" for p in PREFECTURES) + "]"
    con = duckdb.connect()
    con.execute("SELECT setseed(0.42)").fetchall()
    con.sql(
        f"""
        COPY (
          SELECT 'M' || i AS member_id,
                 (18 + floor(78 * pow(random(), 1.4)))::INTEGER AS age,
                 CASE WHEN random() < 0.52 THEN 'F' ELSE 'M' END AS sex,
                 {prefs}[1 + floor(47 * pow(random(), 2.5))::INTEGER]
                   || ['中央区', '北区', '南市', '東町', '西村'][1 + floor(5 * random())::INTEGER] AS address,
                 lpad((100 + floor(900 * pow(random(), 2))::INTEGER)::VARCHAR, 3, '0') || '-'
                   || lpad(floor(50 * random())::INTEGER::VARCHAR, 4, '0') AS postal_code,
                 DATE '2023-01-01' + floor(365 * random())::INTEGER AS visit_date,
                 (floor(300 * pow(random(), 3)) * 1000)::BIGINT AS spend,
                 ['flu', 'cold', 'none'][1 + floor(3 * random())::INTEGER] AS diagnosis
          FROM range({rows}) t(i)
        ) TO '{path}' (FORMAT PARQUET)
        """
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--algorithm", default="greedy", choices=["greedy", "flash"])
    parser.add_argument("--data", type=Path, help="reuse a table generate() wrote (same rows)")
    args = parser.parse_args()

    from mamori.domain.anonymity.models import PrivacyModel
    from mamori.lake.anonymize.engine import Job, run

    work = Path(tempfile.mkdtemp(prefix="mamori-scale-"))
    data = args.data or work / "members.parquet"
    if not data.exists():
        started = time.perf_counter()
        generate(args.rows, data)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s ({data})")
    ours, peer, reports = [], [], []
    for i in range(args.repeat):
        out = work / f"out{i}.parquet"
        job = Job(
            data, out, qi=QI, sensitive=["diagnosis"], model=PrivacyModel(k=K), algorithm=args.algorithm
        )
        job.hierarchies = dict(HIERARCHIES)
        job.sensitive = []
        job.keep = ["diagnosis"]
        started = time.perf_counter()
        reports.append(run(job))
        ours.append(time.perf_counter() - started)
        cols = ", ".join(f'"{c}"' for c in QI)
        started = time.perf_counter()
        # The groups are aggregated but not shipped to Python (that would slow the peer down).
        duckdb.connect().sql(
            f"SELECT count(*), sum(n) FROM (SELECT {cols}, count(*) AS n FROM '{out}' GROUP BY ALL)"
        ).fetchall()
        peer.append(time.perf_counter() - started)
        seconds = reports[-1]["seconds"]
        print(
            f"run {i + 1}: mamori {ours[-1]:.2f} s (frame {seconds['frame']:.2f}, search {seconds['search']:.2f}, "
            f"write {seconds['write']:.2f}), bare GROUP BY {peer[-1]:.2f} s",
            flush=True,
        )
        out.unlink()
    report = reports[-1]
    mine, bare = statistics.median(ours), statistics.median(peer)
    print(
        f"algorithm {args.algorithm}; rows {args.rows:,}; QIs {', '.join(QI)}; k={K}; levels {report['lattice']['levels']}"
    )
    print(
        f"lattice {report['lattice']['nodes']} nodes, {report['lattice']['checked']} checked; "
        f"suppressed {report['rows']['suppressed']:,}; classes {report['utility']['equivalence_classes']:,}; "
        f"NCP {report['utility']['ncp']:.4f}; discernibility {report['utility']['discernibility']:.4g}"
    )
    print(f"{'':44}{'seconds (median)':>18}")
    print(f"{'mamori anonymize (read, search, write)':44}{mine:18.2f}")
    print(f"{'one bare DuckDB GROUP BY (generalized QIs)':44}{bare:18.2f}")
    print(f"{'ratio':44}{mine / bare:17.1f}x")


if __name__ == "__main__":
    main()
