"""Matching accuracy and speed on a `mamori synth` world: mamori vs Splink with a generic configuration.

Both run in the same process on the same files (members × the "ryutsu" client file, whose headers
are Japanese and whose noise is intake's) and are scored against the world's ground truth: a true
link is a (member, customer record) pair of the same person.

  mamori   `mamori match` end to end: read, Japanese normalization (intake's normalizers),
           deterministic stage, Splink with Japan-aware comparisons, best link per record.
  generic  Splink on the raw columns with its stock comparisons (NameComparison,
           DateOfBirthComparison, EmailComparison, exact phone/postcode/address/gender), the
           same training steps and the same threshold: what one gets without Japanese knowledge.

    mamori synth /tmp/world --members 100k --seed 11
    python bench/match_accuracy.py /tmp/world [--threshold 0.9]
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

import polars as pl
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from mamori.lake.match.engines import DuckDBEngine
from mamori.lake.match.pipeline import best_per_right, run
from mamori.lake.match.records import load

CLIENT = "ryutsu"
HEADERS = {
    "id": "顧客ID", "name": "氏名", "name_kana": "フリガナ", "birth_date": "生年月日", "gender": "性別",
    "phone": "電話番号", "email": "メールアドレス", "postal_code": "郵便番号", "address": "住所",
}  # fmt: skip


def truth(world: Path) -> set[tuple[str, str]]:
    """Return the true (member id, customer id) pairs."""
    gt = pl.read_csv(world / "ground_truth.csv", infer_schema=False)
    members = gt.filter(pl.col("source") == "members").select(pl.col("record_id").alias("l"), "person_id")
    customers = gt.filter(pl.col("source") == CLIENT).select(pl.col("record_id").alias("r"), "person_id")
    return set(members.join(customers, on="person_id").select("l", "r").iter_rows())


def score(got: set[tuple[str, str]], true: set[tuple[str, str]]) -> tuple[float, float]:
    """Return (precision, recall)."""
    hit = len(got & true)
    return hit / max(1, len(got)), hit / max(1, len(true))


def run_mamori(world: Path, threshold: float) -> tuple[set[tuple[str, str]], float]:
    """Time `mamori match`'s stages end to end, reading included."""
    start, start_cpu = time.perf_counter(), time.process_time()
    left = load(world / "members.csv")
    right = load(world / f"customers_{CLIENT}.csv", HEADERS)
    result = run(left, right, DuckDBEngine(), threshold=threshold)
    elapsed = time.perf_counter() - start
    print(f"  mamori stages: {result.stages}")
    print(f"  mamori CPU time (all threads): {time.process_time() - start_cpu:.1f} s")
    return set(result.links.select("left_id", "right_id").iter_rows()), elapsed


def run_generic(world: Path, threshold: float) -> tuple[set[tuple[str, str]], float]:
    """Time generic Splink on the raw files, reading included."""
    start, start_cpu = time.perf_counter(), time.process_time()
    members = pl.read_csv(world / "members.csv", infer_schema=False).rename({"member_id": "id"})
    customers = pl.read_csv(world / f"customers_{CLIENT}.csv", infer_schema=False, encoding="utf8-lossy")
    customers = customers.rename({c: c.lstrip("\ufeff") for c in customers.columns})
    customers = customers.rename({v: k for k, v in HEADERS.items()})
    cols = list(HEADERS)
    members, customers = members.select(cols), customers.select(cols)
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="id",
        probability_two_random_records_match=1 / max(members.height, customers.height),
        comparisons=[
            cl.NameComparison("name"),
            cl.NameComparison("name_kana"),
            cl.DateOfBirthComparison("birth_date", input_is_string=True, invalid_dates_as_null=True),
            cl.EmailComparison("email"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("postal_code"),
            cl.ExactMatch("address"),
            cl.ExactMatch("gender"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("name"),
            block_on("birth_date"),
            block_on("email"),
            block_on("phone"),
            block_on("postal_code", "name_kana"),
        ],
    )
    api = DuckDBAPI()
    tables = [
        api.register(members.to_pandas(), table_name="g_left"),
        api.register(customers.to_pandas(), table_name="g_right"),
    ]
    linker = Linker(tables, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("email"), block_on("phone")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=7)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name"))
    frame = pl.from_pandas(
        linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    )
    left_first = frame["source_dataset_l"] == "g_left"
    pairs = pl.DataFrame(
        {
            "left_id": pl.select(
                pl.when(left_first).then(frame["id_l"]).otherwise(frame["id_r"])
            ).to_series(),
            "right_id": pl.select(
                pl.when(left_first).then(frame["id_r"]).otherwise(frame["id_l"])
            ).to_series(),
            "probability": frame["match_probability"],
        }
    )
    pairs = best_per_right(pairs)  # the same one-link-per-record rule as mamori, for fairness
    elapsed = time.perf_counter() - start
    print(f"  generic CPU time (all threads): {time.process_time() - start_cpu:.1f} s")
    return set(pairs.select("left_id", "right_id").iter_rows()), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("world", type=Path)
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument(
        "--only",
        choices=("mamori", "generic"),
        help="run one side (a fresh process per side halves peak memory at 1M)",
    )
    args = parser.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)
    true = truth(args.world)
    members = pl.scan_csv(args.world / "members.csv").select(pl.len()).collect().item()
    customers = pl.scan_csv(args.world / f"customers_{CLIENT}.csv").select(pl.len()).collect().item()
    print(
        f"world {args.world}: {members:,} members x {customers:,} customer records, {len(true):,} true links"
    )
    if args.only != "generic":
        ours, ours_s = run_mamori(args.world, args.threshold)
        op, orc = score(ours, true)
        print(
            f"mamori : precision {op:.4f} recall {orc:.4f} ({len(ours):,} links) in {ours_s:.1f} s",
            flush=True,
        )
        del ours
    if args.only != "mamori":
        peer, peer_s = run_generic(args.world, args.threshold)
        pp, prc = score(peer, true)
        print(f"generic: precision {pp:.4f} recall {prc:.4f} ({len(peer):,} links) in {peer_s:.1f} s")
    if args.only is None:
        print(f"time ratio mamori / generic Splink: {ours_s / peer_s:.2f} x (target <= 1.5)")


if __name__ == "__main__":
    main()
