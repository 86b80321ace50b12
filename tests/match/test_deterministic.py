"""The deterministic stage's verdicts equal the plain set-based SQL it replaced (the specification).

The reference below is the stage as one SQL statement — candidate CTE, GROUP BY fan-out, joins on
string ids — slower but easy to read; the fast stage (integer joins, slow path for unsettled pairs,
bincount fan-out) must give exactly its verdicts, on the world and on hand-made households.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from mamori.lake.match import deterministic, records
from mamori.lake.match.engines import DuckDBEngine
from tests.match.conftest import write_csv

World = tuple[Path, Path, set[tuple[str, str]]]

_FAST = """CASE WHEN l.name_h IS NULL OR r.name_h IS NULL THEN NULL
                WHEN l.name_h = r.name_h OR l.sorted_h = r.sorted_h THEN 1 ELSE 0 END AS name_ok,
           CASE WHEN l.birth_n IS NULL OR r.birth_n IS NULL THEN NULL
                WHEN l.birth_n = r.birth_n THEN 1 ELSE 0 END AS birth_ok"""
# Slow path, only for the few pairs the fast path did not settle (typos, swaps, transpositions).
_NAME_OK = """CASE WHEN l.name_key = r.name_key OR l.name_sorted = r.name_sorted
                  OR (l.reading_family = r.reading_given AND l.reading_given = r.reading_family)
                  OR levenshtein(l.name_key, r.name_key) <= 2 THEN 1 ELSE 0 END"""
_BIRTH_OK = """CASE WHEN l.birth_date = r.birth_date OR levenshtein(l.birth_date, r.birth_date) <= 1
                  OR (substr(l.birth_date, 1, 4) = substr(r.birth_date, 1, 4)
                      AND substr(l.birth_date, 6, 2) = substr(r.birth_date, 9, 2)
                      AND substr(l.birth_date, 9, 2) = substr(r.birth_date, 6, 2)) THEN 1 ELSE 0 END"""

# Pairs found by e-mail are not repeated by the phone join, so no GROUP BY is needed; fan-out is
# rare, so it is found with two aggregates kept only where a count exceeds one, probed by
# left joins (cheaper than NOT IN, which must track NULLs).
REFERENCE = """
WITH cand AS (
    SELECT l.id AS left_id, r.id AS right_id, 1 AS by_email,
           CASE WHEN l.phone = r.phone THEN 1 ELSE 0 END AS by_phone, {fast}
    FROM {left} l JOIN {right} r ON l.email = r.email
    UNION ALL
    SELECT l.id, r.id, 0, 1, {fast}
    FROM {left} l JOIN {right} r ON l.phone = r.phone
    WHERE l.email IS NULL OR r.email IS NULL OR l.email <> r.email
),
settled AS (
    SELECT c.left_id, c.right_id, c.by_email, c.by_phone,
           CASE WHEN c.name_ok = 0 THEN {name_ok} ELSE c.name_ok END AS name_ok,
           CASE WHEN c.birth_ok = 0 THEN {birth_ok} ELSE c.birth_ok END AS birth_ok
    FROM cand c JOIN {left} l ON l.id = c.left_id JOIN {right} r ON r.id = c.right_id
    WHERE c.name_ok = 0 OR c.birth_ok = 0
),
judged AS (
    SELECT * FROM cand WHERE coalesce(name_ok, 1) = 1 AND coalesce(birth_ok, 1) = 1
    UNION ALL
    SELECT * FROM settled
),
flagged AS (
    SELECT *, CASE WHEN coalesce(name_ok, 1) = 0 OR coalesce(birth_ok, 1) = 0 THEN 1 ELSE 0 END AS contra
    FROM judged
),
shared_left AS (
    SELECT left_id FROM flagged WHERE contra = 0 GROUP BY left_id HAVING count(*) > 1
),
shared_right AS (
    SELECT right_id FROM flagged WHERE contra = 0 GROUP BY right_id HAVING count(*) > 1
)
SELECT f.left_id, f.right_id, by_email, by_phone, name_ok, birth_ok,
       CASE WHEN contra = 1 THEN 'contradicted'
            WHEN name_ok = 1 AND birth_ok = 1 THEN 'accepted'
            WHEN sl.left_id IS NULL AND sr.right_id IS NULL THEN 'accepted'
            ELSE 'ambiguous' END AS status
FROM flagged f
LEFT JOIN shared_left sl ON sl.left_id = f.left_id
LEFT JOIN shared_right sr ON sr.right_id = f.right_id
"""

# Keys only (no side has a name or a birth date — e.g. two `mamori hash` files): nothing can
# contradict a pair, so the checks and their columns are left out; same verdicts as SQL gives
# on such data (parity-tested).
REFERENCE_KEYS = """
WITH cand AS (
    SELECT l.id AS left_id, r.id AS right_id, 1 AS by_email,
           CASE WHEN l.phone = r.phone THEN 1 ELSE 0 END AS by_phone
    FROM {left} l JOIN {right} r ON l.email = r.email
    UNION ALL
    SELECT l.id, r.id, 0, 1
    FROM {left} l JOIN {right} r ON l.phone = r.phone
    WHERE l.email IS NULL OR r.email IS NULL OR l.email <> r.email
),
shared_left AS (SELECT left_id FROM cand GROUP BY left_id HAVING count(*) > 1),
shared_right AS (SELECT right_id FROM cand GROUP BY right_id HAVING count(*) > 1)
SELECT c.left_id, c.right_id, c.by_email, c.by_phone,
       CAST(NULL AS INTEGER) AS name_ok, CAST(NULL AS INTEGER) AS birth_ok,
       CASE WHEN sl.left_id IS NULL AND sr.right_id IS NULL THEN 'accepted' ELSE 'ambiguous' END AS status
FROM cand c
LEFT JOIN shared_left sl ON sl.left_id = c.left_id
LEFT JOIN shared_right sr ON sr.right_id = c.right_id
"""


def _reference(engine: DuckDBEngine, left: pl.DataFrame, right: pl.DataFrame, checks: bool) -> pl.DataFrame:
    engine.register("ref_left", left)
    engine.register("ref_right", right)
    if checks:
        text = REFERENCE.format(
            left="ref_left", right="ref_right", fast=_FAST, name_ok=_NAME_OK, birth_ok=_BIRTH_OK
        )
    else:
        text = REFERENCE_KEYS.format(left="ref_left", right="ref_right")
    return engine.query(text)


def _both(left: pl.DataFrame, right: pl.DataFrame, checks: bool) -> tuple[pl.DataFrame, pl.DataFrame]:
    engine = DuckDBEngine()
    deterministic.register(engine, left, right)
    fast = deterministic.judge(engine, left, right, checks=checks)
    ref = _reference(engine, left, right, checks)
    columns = ["left_id", "right_id", "by_email", "by_phone", "name_ok", "birth_ok", "status"]
    return (
        fast.select(pl.col(columns).cast(pl.String)).sort(columns, nulls_last=True),
        ref.select(pl.col(columns).cast(pl.String)).sort(columns, nulls_last=True),
    )


def test_verdicts_equal_the_reference_sql_on_the_world(small_world: World) -> None:
    left, right = records.load(small_world[0]), records.load(small_world[1])
    fast, ref = _both(left, right, checks=True)
    assert fast.height > 100 and {"accepted", "contradicted"} <= set(fast["status"])
    assert fast.equals(ref)
    fast, ref = _both(left, right, checks=False)
    assert fast.equals(ref)


def test_households_typos_swaps_and_fan_out_match_the_reference(tmp_path: Path) -> None:
    rows_l = [
        ["m1", "山田 太郎", "ヤマダ タロウ", "1980-01-02", "a@x.jp", "0312345678", "", "", ""],
        ["m2", "山田 花子", "ヤマダ ハナコ", "1982-03-04", "a@x.jp", "0312345678", "", "", ""],
        ["m3", "佐藤 一郎", "サトウ イチロウ", "1990-05-06", "s@x.jp", "09011112222", "", "", ""],
        ["m4", "John Smith", "", "1975-12-01", "j@x.com", "09033334444", "", "", ""],
        ["m5", "鈴木 次郎", "スズキ ジロウ", "", "z@x.jp", "09055556666", "", "", ""],
        ["m6", "田中 三郎", "タナカ サブロウ", "1970-07-08", "t@x.jp", "", "", "", ""],
    ]
    rows_r = [
        ["c1", "山田 花子", "やまだ はなこ", "1982/04/03", "a@x.jp", "03-1234-5678", "", "", ""],
        ["c2", "一郎 佐藤", "イチロウ サトウ", "1990-05-06", "s@x.jp", "", "", "", ""],
        ["c3", "Smith John", "", "1975-12-01", "", "+81 90 3333 4444", "", "", ""],
        ["c4", "鈴木 次郎", "スズキ ジロー", "1985-01-01", "z@x.jp", "", "", "", ""],
        ["c5", "鈴木 次郎", "スズキ ジロウ", "", "", "090-5555-6666", "", "", ""],
        ["c6", "田中 健太", "タナカ ケンタ", "1970-07-08", "t@x.jp", "", "", "", ""],
    ]
    left = records.load(write_csv(tmp_path / "l.csv", rows_l))
    right = records.load(write_csv(tmp_path / "r.csv", rows_r))
    fast, ref = _both(left, right, checks=True)
    assert fast.equals(ref)
    status = {(r["left_id"], r["right_id"]): r["status"] for r in fast.to_dicts()}
    assert status[("m2", "c1")] == "accepted"  # transposed month/day: same person
    assert status[("m1", "c1")] == "contradicted"  # the household's other member
    assert status[("m3", "c2")] == "accepted"  # family/given swapped
    assert status[("m4", "c3")] == "accepted"
    assert status[("m6", "c6")] == "contradicted"  # other given name, same birth date
    # m5's e-mail and phone reach two records; no birth date to confirm either: not a link.
    assert status[("m5", "c4")] == status[("m5", "c5")] == "ambiguous"
