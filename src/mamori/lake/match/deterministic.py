"""Deterministic links on normalized email and phone — unless name or birth date contradict them.

A household landline, a family e-mail or a company phone is shared by several people, so an
identifier match alone is not a link: when both records carry a name (reading) that differs beyond
a typo or a family/given swap, or a birth date that differs beyond a transposition, the pair goes
to the probabilistic stage instead. An identifier that joins one record to several non-contradicted
records on the other side is ambiguous and goes there too.

Why it is shaped this way (speed: the issue asks for at most 1.3× a bare hash join of the keys):

1. one engine pass — the two equi-joins, carrying only integers: each side's row number (`rid`,
   added when the frame is registered) and the fast name / birth-date verdicts computed from
   integer fingerprints. No string id, name or date travels through the joins and no candidate
   table is materialized inside the engine;
2. only for the few pairs whose fingerprints differ (typos, swaps, transpositions, households), a
   second pass over just those pairs, their strings gathered by row number, decides with
   Levenshtein distances;
3. the fan-out verdict (how many non-contradicted partners each record has) is a count per row
   number — `numpy.bincount`, linear and allocation-light — instead of two GROUP BYs and two joins.

The SQL uses only functions DuckDB and Spark SQL both have (levenshtein, substr, coalesce), so the
same text runs on both engines (parity-tested); steps 2–3 run on the fetched result the same way
for both.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from mamori.lake.match.engines import Engine

LEFT, RIGHT = "mamori_left", "mamori_right"
#: The columns the slow path compares, gathered for the unsettled pairs only.
_SLOW_COLUMNS = ("name_key", "name_sorted", "reading_family", "reading_given", "birth_date")

# Inside the joins: integers only (hash of the reading, of the order-free name, the birth date as
# a number); NULL when a side lacks the field (nothing to contradict), 0 when the fingerprints
# differ (the slow path decides), 1 when they are equal.
_FAST = """CASE WHEN l.name_h IS NULL OR r.name_h IS NULL THEN NULL
                WHEN l.name_h = r.name_h OR l.sorted_h = r.sorted_h THEN 1 ELSE 0 END AS name_ok,
           CASE WHEN l.birth_n IS NULL OR r.birth_n IS NULL THEN NULL
                WHEN l.birth_n = r.birth_n THEN 1 ELSE 0 END AS birth_ok"""
_NO_CHECKS = "CAST(NULL AS INTEGER) AS name_ok, CAST(NULL AS INTEGER) AS birth_ok"

# Pairs found by e-mail are not repeated by the phone join, so every pair appears once and no
# GROUP BY is needed.
SQL = """
SELECT l.rid AS lr, r.rid AS rr, 1 AS by_email,
       CASE WHEN l.phone = r.phone THEN 1 ELSE 0 END AS by_phone, {checks}
FROM {left} l JOIN {right} r ON l.email = r.email
UNION ALL
SELECT l.rid, r.rid, 0, 1, {checks}
FROM {left} l JOIN {right} r ON l.phone = r.phone
WHERE l.email IS NULL OR r.email IS NULL OR l.email <> r.email
"""

# The slow path over the unsettled pairs (`k` is the pair's position; l_/r_ the gathered strings).
SLOW_SQL = """
SELECT k,
       CASE WHEN l_name_key = r_name_key OR l_name_sorted = r_name_sorted
                 OR (l_reading_family = r_reading_given AND l_reading_given = r_reading_family)
                 OR levenshtein(l_name_key, r_name_key) <= 2 THEN 1 ELSE 0 END AS name_ok,
       CASE WHEN l_birth_date = r_birth_date OR levenshtein(l_birth_date, r_birth_date) <= 1
                 OR (substr(l_birth_date, 1, 4) = substr(r_birth_date, 1, 4)
                     AND substr(l_birth_date, 6, 2) = substr(r_birth_date, 9, 2)
                     AND substr(l_birth_date, 9, 2) = substr(r_birth_date, 6, 2)) THEN 1 ELSE 0 END
           AS birth_ok
FROM {pairs}
"""

#: Bare join of the same keys, the benchmark's peer (bench/match_deterministic.py).
BARE_SQL = """
SELECT l.id AS left_id, r.id AS right_id FROM {left} l JOIN {right} r ON l.email = r.email
UNION ALL
SELECT l.id, r.id FROM {left} l JOIN {right} r ON l.phone = r.phone
"""


def sql(left: str = LEFT, right: str = RIGHT, *, checks: bool = True) -> str:
    """Return the candidate pass's SQL over two registered tables (with `rid` row numbers).

    `checks=False` when one side has neither names nor birth dates (nothing can contradict).
    """
    return SQL.format(left=left, right=right, checks=_FAST if checks else _NO_CHECKS)


def register(engine: Engine, left: pl.DataFrame, right: pl.DataFrame) -> None:
    """Register both sides under LEFT / RIGHT with their row numbers as `rid`."""
    engine.register(LEFT, left.with_row_index("rid"))
    engine.register(RIGHT, right.with_row_index("rid"))


def judge(engine: Engine, left: pl.DataFrame, right: pl.DataFrame, *, checks: bool = True) -> pl.DataFrame:
    """Run the stage on the frames `register` put in the engine; one row per candidate pair.

    Columns: left_id, right_id, by_email, by_phone, name_ok, birth_ok (1 agree, 0 contradict,
    null unknown) and status (accepted / ambiguous / contradicted).
    """
    pairs = engine.query(sql(checks=checks)).with_columns(
        pl.col("lr", "rr").cast(pl.Int64),
        pl.col("by_email", "by_phone", "name_ok", "birth_ok").cast(pl.Int32),
    )  # Spark hands integers back as strings (engines.SparkEngine.register), DuckDB as Int32/64
    if checks:
        pairs = _settle(engine, pairs, left, right)
    lr, rr = pairs["lr"].to_numpy(), pairs["rr"].to_numpy()
    contra = ((pairs["name_ok"] == 0) | (pairs["birth_ok"] == 0)).fill_null(False).to_numpy()
    # Fan-out: how many non-contradicted partners each record has (every pair appears once).
    per_left = np.bincount(lr[~contra], minlength=left.height)
    per_right = np.bincount(rr[~contra], minlength=right.height)
    alone = pl.Series((per_left[lr] == 1) & (per_right[rr] == 1))
    both_agree = (pairs["name_ok"] == 1) & (pairs["birth_ok"] == 1)
    status = (
        pl.when(pl.Series(contra))
        .then(pl.lit("contradicted"))
        .when(both_agree.fill_null(False) | alone)
        .then(pl.lit("accepted"))
        .otherwise(pl.lit("ambiguous"))
    )
    return pairs.select(
        left["id"].cast(pl.String).gather(pairs["lr"]).alias("left_id"),
        right["id"].cast(pl.String).gather(pairs["rr"]).alias("right_id"),
        "by_email",
        "by_phone",
        "name_ok",
        "birth_ok",
        status.alias("status"),
    )


def _settle(engine: Engine, pairs: pl.DataFrame, left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """Decide, with the strings, the pairs whose fingerprints differ (name_ok or birth_ok = 0)."""
    unsettled = pairs.with_row_index("k").filter((pl.col("name_ok") == 0) | (pl.col("birth_ok") == 0))
    if unsettled.is_empty():
        return pairs
    gathered = unsettled.select(
        pl.col("k").cast(pl.Int64),
        *(left[c].gather(unsettled["lr"]).alias(f"l_{c}") for c in _SLOW_COLUMNS),
        *(right[c].gather(unsettled["rr"]).alias(f"r_{c}") for c in _SLOW_COLUMNS),
    )
    engine.register("mamori_unsettled", gathered)
    slow = engine.query(SLOW_SQL.format(pairs="mamori_unsettled")).select(
        pl.col("k").cast(pl.Int64), pl.col("name_ok", "birth_ok").cast(pl.Int32)
    )
    fixed = unsettled.select(pl.col("k").cast(pl.Int64), "name_ok", "birth_ok").join(
        slow, on="k", suffix="_slow"
    )
    # Only the check that failed on fingerprints takes the slow verdict; the other keeps its own.
    fixed = fixed.select(
        "k",
        pl.when(pl.col("name_ok") == 0).then(pl.col("name_ok_slow")).otherwise(pl.col("name_ok")).alias("n"),
        pl.when(pl.col("birth_ok") == 0)
        .then(pl.col("birth_ok_slow"))
        .otherwise(pl.col("birth_ok"))
        .alias("b"),
    )
    index = fixed["k"].to_numpy()
    name_ok = pairs["name_ok"].clone().scatter(index, fixed["n"])
    birth_ok = pairs["birth_ok"].clone().scatter(index, fixed["b"])
    return pairs.with_columns(name_ok, birth_ok)
