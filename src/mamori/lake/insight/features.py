"""Per-subject purchase features, one SQL definition compiled for DuckDB or Spark.

Features are computed only for subjects whose snapshot grants analysis or profiling (the
uses that read purchase histories, APPI-18-1); scores read them only for profiling grants.
The few functions the engines spell differently go through `Dialect`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from mamori.domain.insight.scores import Catalogue


@dataclass(frozen=True, slots=True)
class Dialect:
    """How an engine spells the functions the feature SQL needs."""

    name: str

    def days_between(self, start: str, end: str) -> str:
        """Return whole days from start to end."""
        if self.name == "spark":
            return f"datediff(CAST({end} AS DATE), CAST({start} AS DATE))"
        return f"date_diff('day', CAST({start} AS DATE), CAST({end} AS DATE))"

    def weekend(self, ts: str) -> str:
        """Return a condition true on Saturdays and Sundays."""
        if self.name == "spark":
            return f"dayofweek({ts}) IN (1, 7)"
        return f"isodow({ts}) >= 6"

    def struct(self, fields: dict[str, str]) -> str:
        """Return a struct literal of named SQL expressions."""
        if self.name == "spark":
            return "named_struct(" + ", ".join(f"'{k}', {v}" for k, v in fields.items()) + ")"
        return "{" + ", ".join(f"'{k}': {v}" for k, v in fields.items()) + "}"

    def bit_set(self, mask: str, bits: int) -> str:
        """Return a condition true when any of `bits` is set in `mask`."""
        return f"(({mask} & {bits}) <> 0)"


DUCKDB = Dialect("duckdb")
SPARK = Dialect("spark")

SEGMENT_SQL = (
    "CASE WHEN recency_days <= 60 AND frequency >= 12 THEN 'loyal' "
    "WHEN recency_days <= 60 THEN 'active' WHEN recency_days <= 180 THEN 'cooling' ELSE 'lapsed' END"
)
"""The RFM segment used as an insight dimension (published with the catalogue)."""


def purchases_sql(dialect: Dialect, eligible_bits: int) -> str:
    """Return the SQL of the purchases of subjects whose snapshot grants one of `eligible_bits`."""
    return f"""
  SELECT t.member_id AS subject_id, t.shop_id, t.purchased_at AS ts, t.category,
         CAST(t.amount_yen AS DOUBLE) AS amount, t.channel
  FROM transactions t WHERE t.member_id IN
    (SELECT subject_id FROM snapshot WHERE {dialect.bit_set("granted_mask", eligible_bits)})
"""


def features_sql(
    catalogue: Catalogue,
    dialect: Dialect,
    as_of: date,
    eligible_bits: int,
    shops: bool,
    tx_view: bool = False,
) -> str:
    """Return the SQL of one row per eligible subject with every catalogue feature.

    With `tx_view`, the purchases (`purchases_sql`) are already a view named `tx`: Spark reads
    them once, partitioned by subject, and every per-subject GROUP BY then runs without a shuffle.
    """
    cut_recent = (as_of - timedelta(days=180)).isoformat()
    cut_prior = (as_of - timedelta(days=360)).isoformat()
    as_of_ts = f"TIMESTAMP '{as_of.isoformat()} 00:00:00'"
    shares = ",\n    ".join(
        f"sum(CASE WHEN category = '{c}' THEN amount ELSE 0 END) / sum(amount) AS share_{c}"
        for c in catalogue.categories
    )
    known = ", ".join(f"'{c}'" for c in catalogue.categories)
    # Distinct counts (active days, regions) are narrow GROUP BYs of their own: a distinct
    # aggregate next to the thirty-odd wide ones would make Spark aggregate every purchase twice
    # with all the wide buffers (and two distincts would copy each purchase once per distinct).
    regions = (
        "SELECT subject_id, count(*) AS region_count FROM (SELECT DISTINCT v.subject_id, s.prefecture "
        "FROM visits v JOIN shops s ON s.shop_id = v.shop_id WHERE s.prefecture IS NOT NULL) vp GROUP BY subject_id"
        if shops
        else "SELECT subject_id, 1 AS region_count FROM visits GROUP BY subject_id"
    )

    def share(condition: str) -> str:
        return f"avg(CASE WHEN {condition} THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END)"

    # Set-based passes over the purchases, each one GROUP BY: the category medians (17 rows), the
    # per-subject aggregates, the distinct days, and the (subject, shop) visits for partner
    # diversity and regions. Entropy is written as ln N - Σ n·ln n / N (N = Σ n), the same value as
    # -Σ p·ln p without a window over each subject's shops (a sort of every visit on Spark).
    return f"""
WITH {"" if tx_view else f"tx AS ({purchases_sql(dialect, eligible_bits)}),"}
med AS (SELECT category AS med_category, median(amount) AS med FROM tx GROUP BY category),
visits AS (SELECT subject_id, shop_id, CAST(count(*) AS DOUBLE) AS n FROM tx GROUP BY subject_id, shop_id),
diversity AS (
  SELECT subject_id, count(*) AS partner_count, ln(sum(n)) - sum(n * ln(n)) / sum(n) AS partner_entropy
  FROM visits GROUP BY subject_id
),
regions AS ({regions}),
days AS (
  SELECT subject_id, count(*) AS active_days
  FROM (SELECT DISTINCT subject_id, CAST(ts AS DATE) AS day FROM tx) d GROUP BY subject_id
),
base AS (
  SELECT tx.subject_id,
    {dialect.days_between("max(ts)", as_of_ts)} AS recency_days,
    count(*) AS frequency,
    sum(amount) AS monetary,
    avg(amount) AS avg_ticket,
    {shares},
    sum(CASE WHEN category NOT IN ({known}) THEN amount ELSE 0 END) / sum(amount) AS share_other,
    {share("hour(ts) >= 5 AND hour(ts) < 10")} AS share_morning,
    {share("hour(ts) >= 10 AND hour(ts) < 17")} AS share_daytime,
    {share("hour(ts) >= 17 AND hour(ts) < 22")} AS share_evening,
    {share("hour(ts) >= 22 OR hour(ts) < 5")} AS share_night,
    {share(dialect.weekend("ts"))} AS share_weekend,
    {share("channel = 'store'")} AS share_store,
    {share("channel = 'online'")} AS share_online,
    {share("channel = 'app'")} AS share_app,
    avg(amount / CASE WHEN med.med > 0 THEN med.med ELSE NULL END) AS price_level,
    sum(CASE WHEN ts >= TIMESTAMP '{cut_recent} 00:00:00' THEN amount ELSE 0 END) AS spend_recent,
    sum(CASE WHEN ts >= TIMESTAMP '{cut_prior} 00:00:00' AND ts < TIMESTAMP '{cut_recent} 00:00:00'
             THEN amount ELSE 0 END) AS spend_prior
  FROM tx JOIN med ON med.med_category = tx.category
  GROUP BY tx.subject_id
)
SELECT b.subject_id, b.recency_days, b.frequency, b.monetary, b.avg_ticket, y.active_days,
  exp(-greatest(b.recency_days, 0) / 90.0) AS recency_score,
  ln(1 + b.frequency) AS frequency_log,
  ln(1 + b.monetary) AS monetary_log,
  ln(1 + b.avg_ticket) AS ticket_log,
  ln(1 + y.active_days) AS active_days_log,
  {", ".join(f"b.share_{c}" for c in catalogue.categories)}, b.share_other,
  b.share_morning, b.share_daytime, b.share_evening, b.share_night, b.share_weekend,
  b.share_store, b.share_online, b.share_app, b.price_level, CAST(coalesce(r.region_count, 0) AS DOUBLE) AS region_count,
  CASE WHEN b.spend_recent + b.spend_prior > 0
       THEN (b.spend_recent - b.spend_prior) / (b.spend_recent + b.spend_prior) ELSE 0.0 END AS trend,
  d.partner_count, ln(1 + d.partner_count) AS partner_count_log, d.partner_entropy,
  {SEGMENT_SQL.replace("recency_days", "b.recency_days").replace("frequency", "b.frequency")} AS segment
FROM base b JOIN diversity d ON d.subject_id = b.subject_id JOIN days y ON y.subject_id = b.subject_id
  LEFT JOIN regions r ON r.subject_id = b.subject_id
"""


def scores_sql(catalogue: Catalogue, dialect: Dialect, profiling_bit: int) -> str:
    """Return the SQL of one row per (subject, score) for subjects granting profiling.

    One pass: each subject's row builds an array of (score id, score, contributions) structs,
    exploded once, rather than one scan of the features per score (33 stages on Spark).
    """
    items = ", ".join(
        dialect.struct(
            {
                "score_id": f"'{s.id}'",
                "score": f"CAST({s.score_sql()} AS DOUBLE)",
                "contributions": s.contributions_sql(dialect.name),
            }
        )
        for s in catalogue.scores.values()
    )
    profiled = (
        "WITH profiled AS (SELECT * FROM features WHERE subject_id IN "
        f"(SELECT subject_id FROM snapshot WHERE {dialect.bit_set('granted_mask', 1 << profiling_bit)}))\n"
    )
    if dialect.name == "spark":
        return f"{profiled}SELECT f.subject_id, inline(array({items})) FROM profiled f"
    return (
        f"{profiled}SELECT subject_id, s.score_id, s.score, s.contributions "
        f"FROM (SELECT f.subject_id, unnest([{items}]) AS s FROM profiled f) scored"
    )
