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
# rare, so it is found with two aggregates kept only where a count exceeds one, probed by
# left joins (cheaper than NOT IN, which must track NULLs).
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
KEYS_SQL = """
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

#: Bare join of the same keys, the benchmark's peer (bench/match_deterministic.py).
BARE_SQL = """
SELECT l.id AS left_id, r.id AS right_id FROM {left} l JOIN {right} r ON l.email = r.email
UNION ALL
SELECT l.id, r.id FROM {left} l JOIN {right} r ON l.phone = r.phone
"""


def sql(left: str, right: str, *, checks: bool = True) -> str:
    """Return the deterministic stage's SQL over two registered tables.

    `checks=False` when one side has neither names nor birth dates (nothing can contradict).
    """
    if not checks:
        return KEYS_SQL.format(left=left, right=right)
    return SQL.format(left=left, right=right, fast=_FAST, name_ok=_NAME_OK, birth_ok=_BIRTH_OK)
