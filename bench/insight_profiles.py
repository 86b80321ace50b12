"""Features + lifestyle scores for M members x T purchases: DuckDB vs Spark local mode, same input.

Figure (issue 5): the time to compute every feature and all catalogue scores (written as
Parquet) on DuckDB (mamori's default engine) and on Spark local mode (the scale-out engine),
same files, same run; the ratio is DuckDB / Spark.

Usage: python bench/insight_profiles.py [--members 1000000] [--per-member 50] [--rounds 1]
       [--spark-memory 6g] [--spark-partitions 32]
Each engine's time is printed as soon as it is known (a long Spark run may be cut by a time limit).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from insight_world import BITS, build

from mamori.lake.insight.profiles import DuckDBProfiles
from mamori.lake.insight.spark_profiles import SparkProfiles, local_session
from mamori.lake.insight.world import InsightWorld


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--per-member", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--spark-cores", type=int, default=2)
    parser.add_argument("--spark-memory", default="6g")
    parser.add_argument("--spark-partitions", type=int, default=32)
    parser.add_argument("--data", type=Path, default=Path("/tmp/mamori-bench-insight"))
    args = parser.parse_args()
    folder = build(args.data / f"{args.members}x{args.per_member}", args.members, args.per_member)
    world = InsightWorld(
        folder / "members.parquet", folder / "transactions.parquet", folder / "snapshot.parquet",
        folder / "shops.parquet",
    )  # fmt: skip
    profiling, analysis = BITS["lifestyle_profiling"], BITS["analysis"]
    duck, spark_times = [], []
    # The shared session reads its size from the environment (mamori.lake.spark); tests keep 4
    # shuffle partitions, 50M purchases want smaller ones.
    os.environ["MAMORI_SPARK_MASTER"] = f"local[{args.spark_cores}]"
    os.environ["MAMORI_SPARK_MEMORY"] = args.spark_memory
    spark = local_session(cores=args.spark_cores, memory=args.spark_memory)
    spark.conf.set("spark.sql.shuffle.partitions", str(args.spark_partitions))
    spark.sql("SELECT 1").collect()  # session start-up is not part of the figure
    print(f"world: {args.members:,} members x {args.members * args.per_member:,} purchases", flush=True)
    try:
        with tempfile.TemporaryDirectory(dir=args.data) as out:
            for _ in range(args.rounds):
                started = time.perf_counter()
                ours = DuckDBProfiles(world).refresh(profiling, analysis, Path(out) / "duck")
                duck.append(time.perf_counter() - started)
                print(
                    f"DuckDB round: {duck[-1]:.1f} s ({ours.featured:,} featured / {ours.scored:,} scored)",
                    flush=True,
                )
                started = time.perf_counter()
                theirs = SparkProfiles(world, spark).refresh(profiling, analysis, Path(out) / "spark")
                spark_times.append(time.perf_counter() - started)
                print(
                    f"Spark round: {spark_times[-1]:.1f} s ({theirs.featured:,} / {theirs.scored:,})",
                    flush=True,
                )
    finally:
        spark.stop()
    d, s = statistics.median(duck), statistics.median(spark_times)
    print(
        f"featured {ours.featured:,} / scored {ours.scored:,} (Spark: {theirs.featured:,} / {theirs.scored:,})"
    )
    print(f"DuckDB features + scores: median {d:.1f} s {[round(x, 1) for x in duck]}")
    print(
        f"Spark local[{args.spark_cores}] features + scores: median {s:.1f} s {[round(x, 1) for x in spark_times]}"
    )
    print(f"ratio DuckDB/Spark: {d / s:.2f}")


if __name__ == "__main__":
    main()
