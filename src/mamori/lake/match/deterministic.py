"""Deterministic links on normalized email and phone — unless name or birth date contradict them.

A household landline, a family e-mail or a company phone is shared by several people, so an
identifier match alone is not a link: when both records carry a name (reading) that differs beyond
a typo or a family/given swap, or a birth date that differs beyond a transposition, the pair goes
to the probabilistic stage instead. An identifier that joins one record to several non-contradicted
records on the other side is ambiguous and goes there too.

The SQL uses only functions DuckDB and Spark SQL both have (levenshtein, substr, coalesce), so the
same text runs on both engines (parity-tested).
"""

from __future__ import annotations

# Fast path, inside the joins: integers only (hash of the reading, of the order-free name, the
# birth date as a number), so the joins carry three small columns per side, not six strings.
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
# rare, so it is found with two aggregates kept only where a count exceeds one.
SQL = """
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
SELECT left_id, right_id, by_email, by_phone, name_ok, birth_ok,
       CASE WHEN contra = 1 THEN 'contradicted'
            WHEN name_ok = 1 AND birth_ok = 1 THEN 'accepted'
            WHEN left_id NOT IN (SELECT left_id FROM shared_left)
                 AND right_id NOT IN (SELECT right_id FROM shared_right) THEN 'accepted'
            ELSE 'ambiguous' END AS status
FROM flagged
"""

#: Bare join of the same keys, the benchmark's peer (bench/match_deterministic.py).
BARE_SQL = """
SELECT l.id AS left_id, r.id AS right_id FROM {left} l JOIN {right} r ON l.email = r.email
UNION ALL
SELECT l.id, r.id FROM {left} l JOIN {right} r ON l.phone = r.phone
"""


def sql(left: str, right: str) -> str:
    """Return the deterministic stage's SQL over two registered tables."""
    return SQL.format(left=left, right=right, fast=_FAST, name_ok=_NAME_OK, birth_ok=_BIRTH_OK)
