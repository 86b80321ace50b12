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

SQL = """
WITH cand AS (
    SELECT l.id AS left_id, r.id AS right_id, TRUE AS by_email,
           coalesce(l.phone = r.phone, FALSE) AS by_phone,
           l.name_key AS nl, r.name_key AS nr, l.reading_family AS fl, r.reading_family AS fr,
           l.reading_given AS gl, r.reading_given AS gr, l.name_sorted AS sl, r.name_sorted AS sr,
           l.birth_date AS bl, r.birth_date AS br
    FROM {left} l JOIN {right} r ON l.email = r.email
    UNION ALL
    -- pairs already found by e-mail are not repeated, so no GROUP BY is needed
    SELECT l.id, r.id, FALSE, TRUE,
           l.name_key, r.name_key, l.reading_family, r.reading_family,
           l.reading_given, r.reading_given, l.name_sorted, r.name_sorted,
           l.birth_date, r.birth_date
    FROM {left} l JOIN {right} r ON l.phone = r.phone
    WHERE l.email IS NULL OR r.email IS NULL OR l.email <> r.email
),
judged AS (
    SELECT left_id, right_id, by_email, by_phone,
        CASE WHEN nl IS NULL OR nr IS NULL THEN NULL
             WHEN nl = nr OR sl = sr OR (fl = gr AND gl = fr) OR levenshtein(nl, nr) <= 2 THEN 1
             ELSE 0 END AS name_ok,
        CASE WHEN bl IS NULL OR br IS NULL THEN NULL
             WHEN bl = br OR levenshtein(bl, br) <= 1
                  OR (substr(bl, 1, 4) = substr(br, 1, 4) AND substr(bl, 6, 2) = substr(br, 9, 2)
                      AND substr(bl, 9, 2) = substr(br, 6, 2)) THEN 1
             ELSE 0 END AS birth_ok
    FROM cand
),
flagged AS (
    SELECT *, coalesce(name_ok, 1) = 0 OR coalesce(birth_ok, 1) = 0 AS contradicted FROM judged
),
fanout AS (
    SELECT *,
           count(*) FILTER (WHERE NOT contradicted) OVER (PARTITION BY left_id) AS per_left,
           count(*) FILTER (WHERE NOT contradicted) OVER (PARTITION BY right_id) AS per_right
    FROM flagged
)
SELECT left_id, right_id, CAST(by_email AS INTEGER) AS by_email, CAST(by_phone AS INTEGER) AS by_phone,
       name_ok, birth_ok,
       CASE WHEN contradicted THEN 'contradicted'
            WHEN per_left = 1 AND per_right = 1 THEN 'accepted'
            WHEN name_ok = 1 AND birth_ok = 1 THEN 'accepted'
            ELSE 'ambiguous' END AS status
FROM fanout
"""

#: Bare join of the same keys, the benchmark's peer (bench/match_deterministic.py).
BARE_SQL = """
SELECT l.id AS left_id, r.id AS right_id FROM {left} l JOIN {right} r ON l.email = r.email
UNION ALL
SELECT l.id, r.id FROM {left} l JOIN {right} r ON l.phone = r.phone
"""


def sql(left: str, right: str) -> str:
    """Return the deterministic stage's SQL over two registered tables."""
    return SQL.format(left=left, right=right)
