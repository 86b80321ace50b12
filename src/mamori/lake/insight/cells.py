"""Insight cells on DuckDB: consent-filtered aggregation, thresholds with complementary suppression, DP.

Only subjects whose snapshot bit for the request's purpose is set take part (MAMORI-1; the
snapshot's fold already turned objections and withdrawals into a cleared bit). Thresholds
and suppression (MAMORI-AGG-1) are decided by mamori.domain.insight.suppression. With DP, the
counts and sums are noised first and every later step only reads noisy values, so the
suppression pattern is post-processing and costs no extra ε.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from mamori.domain.insight.budget import split_epsilon
from mamori.domain.insight.spec import EVENT_DIMENSIONS, SCORE_BAND, SCORE_MEAN, InsightSpec
from mamori.domain.insight.suppression import Key, Suppression, margin_subsets, margins_of, suppress
from mamori.errors import InputError
from mamori.lake.insight.noise import laplace

SPEND_CLAMP_YEN = 200_000.0
"""DP only: a person's spend in one cell counts up to this much (bounds the sensitivity)."""

AGE_BANDS = ("0-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70+")
SCORE_BANDS = ("0-19", "20-39", "40-59", "60-79", "80-100")


@dataclass(frozen=True, slots=True)
class Cells:
    """Aggregated cells before release: persons, spend and score sums per key."""

    dims: tuple[str, ...]
    persons: dict[Key, float]
    spend: dict[Key, float]
    score_sums: dict[str, dict[Key, float]]
    margin_persons: dict[tuple[tuple[int, ...], Key], float] | None
    suppression: Suppression
    epsilon: float


def column_name(dimension_or_metric: str) -> str:
    """Return the output column of a dimension or metric (score_band:x -> score_band_x)."""
    return dimension_or_metric.replace(":", "_")


def _dimension_sql(dim: str, as_of: date, score_alias: dict[str, str]) -> str:
    if dim == "age_band":
        age = f"date_sub('year', m.birth_date::DATE, DATE '{as_of.isoformat()}')"
        return (
            f"CASE WHEN {age} IS NULL THEN NULL WHEN {age} < 20 THEN '0-19' WHEN {age} >= 70 THEN '70+' "
            f"ELSE CAST({age} // 10 * 10 AS VARCHAR) || '-' || CAST({age} // 10 * 10 + 9 AS VARCHAR) END"
        )
    if dim in ("gender", "prefecture"):
        return f"CAST(m.{dim} AS VARCHAR)"
    if dim == "segment":
        return "f.segment"
    if dim.startswith(f"{SCORE_BAND}:"):
        s = score_alias[dim.split(":", 1)[1]]
        return (
            f"['0-19','20-39','40-59','60-79','80-100'][least(CAST(floor({s}.score / 20) AS INTEGER), 4) + 1]"
        )
    raise InputError(f"未知の次元です：{dim}", f"unknown dimension: {dim}", field="group_by")


def per_person_sql(spec: InsightSpec, bit: int, as_of: date, population: bool, has_features: bool) -> str:
    """Return the SQL of one row per (person, cell): the person's dims, spend and scores."""
    scores = {sid: f"s{i}" for i, sid in enumerate(spec.score_ids)}
    person_dims = [d for d in spec.group_by if d not in EVENT_DIMENSIONS]
    event_dims = [d for d in spec.group_by if d in EVENT_DIMENSIONS]
    if "segment" in spec.group_by and not has_features:
        raise InputError(
            "segment には特徴量（mamori insight refresh）が必要です",
            "segment needs the features (run `mamori insight refresh`)",
            field="group_by",
        )
    selects = [f"{_dimension_sql(d, as_of, scores)} AS {column_name(d)}" for d in person_dims]
    selects += [f"{alias}.score AS sc_{alias}" for alias in scores.values()]
    joins = [f"SEMI JOIN (SELECT subject_id FROM snapshot WHERE (granted_mask >> {bit}) & 1 = 1) c "
             "ON c.subject_id = m.member_id"]  # fmt: skip
    if population:
        joins.append("SEMI JOIN population p ON p.subject_id = m.member_id")
    if "segment" in spec.group_by:
        joins.append("JOIN features f ON f.subject_id = m.member_id")
    for sid, alias in scores.items():
        literal = sid.replace("'", "''")
        joins.append(
            f"JOIN (SELECT subject_id, score FROM scores WHERE score_id = '{literal}') {alias} "
            f"ON {alias}.subject_id = m.member_id"
        )
    people = f"SELECT m.member_id AS pid{''.join(', ' + s for s in selects)} FROM members m {' '.join(joins)}"
    keep = ["pid", *(column_name(d) for d in person_dims), *(f"sc_{a}" for a in scores.values())]
    if event_dims:
        # Aggregate purchases per (member, purchase dims) first: a narrow GROUP BY, then the join.
        events = ", ".join(column_name(d) for d in event_dims)
        inner = ", ".join(f"{d} AS {column_name(d)}" for d in event_dims)
        return (
            f"SELECT {', '.join('p.' + k for k in keep)}, {', '.join('e.' + column_name(d) for d in event_dims)}, "
            f"e.spend FROM ({people}) p JOIN (SELECT member_id, {inner}, sum(amount_yen) AS spend "
            f"FROM transactions GROUP BY member_id, {events}) e ON e.member_id = p.pid"
        )
    return (
        f"SELECT {', '.join('p.' + k for k in keep)}, coalesce(t.spend, 0) AS spend FROM ({people}) p "
        "LEFT JOIN (SELECT member_id, sum(amount_yen) AS spend FROM transactions GROUP BY member_id) t "
        "ON t.member_id = p.pid"
    )


def aggregate(
    con: duckdb.DuckDBPyConnection, spec: InsightSpec, bit: int, as_of: date, *, population: bool,
    has_features: bool,
) -> Cells:  # fmt: skip
    """Compute, noise (when asked) and suppress the cells of a request."""
    dims = tuple(column_name(d) for d in spec.group_by)
    score_cols = [f"sc_s{i}" for i in range(len(spec.score_ids))]
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE per AS {per_person_sql(spec, bit, as_of, population, has_features)}"
    )
    clamp = f"least(spend, {SPEND_CLAMP_YEN})" if spec.dp else "spend"
    group = ", ".join(dims) if dims else "()"
    rows = con.execute(
        f"SELECT {''.join(d + ', ' for d in dims)}count(*), sum({clamp})"
        f"{''.join(f', sum({c})' for c in score_cols)} FROM per "
        f"{'WHERE ' + ' AND '.join(d + ' IS NOT NULL' for d in dims) if dims else ''} GROUP BY {group}"
    ).fetchall()
    k = len(dims)
    persons = {tuple(r[:k]): float(r[k]) for r in rows}
    spend = {tuple(r[:k]): float(r[k + 1] or 0.0) for r in rows}
    score_sums = {sid: {tuple(r[:k]): float(r[k + 2 + i] or 0.0) for r in rows}
                  for i, sid in enumerate(spec.score_ids)}  # fmt: skip
    epsilon = 0.0
    margin_persons = None
    if spec.dp is not None:
        epsilon = spec.dp.epsilon
        persons, spend, score_sums = _noised(con, spec, dims, persons, spend, score_sums)
    elif spec.per_event:
        margin_persons = _margin_persons(con, spec, dims, persons)
    kept = dict(persons.items())
    result = suppress(kept, k, spec.min_persons, margin_persons) if k else _total_only(kept, spec)
    return Cells(dims, persons, spend, score_sums, margin_persons, result, epsilon)


def _total_only(persons: dict[Key, float], spec: InsightSpec) -> Suppression:
    small = frozenset(key for key, v in persons.items() if v < spec.min_persons)
    return Suppression(small, frozenset())


def _margin_persons(
    con: duckdb.DuckDBPyConnection, spec: InsightSpec, dims: tuple[str, ...], persons: dict[Key, float]
) -> dict[tuple[tuple[int, ...], Key], float]:
    """Distinct persons of every margin: a person buying in two categories counts once."""
    event_index = {i for i, d in enumerate(spec.group_by) if d in EVENT_DIMENSIONS}
    person_index = [i for i in range(len(dims)) if i not in event_index]
    found: dict[tuple[tuple[int, ...], Key], float] = {}
    for margin, keys in margins_of(persons, len(dims)).items():
        if event_index <= set(margin[0]):
            found[margin] = sum(persons[key] for key in keys)  # person dims partition the persons
    subsets = [s for s in margin_subsets(len(dims)) if not event_index <= set(s)]
    names = [dims[i] for i in person_index]
    # One row per person with their person dimensions (a person is in one row, whatever they bought).
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE buyers AS SELECT DISTINCT pid{''.join(', ' + n for n in names)} FROM per"
    )
    for subset in subsets:
        cols = [dims[i] for i in subset]
        group = ", ".join(cols) if cols else "()"
        where = " AND ".join(c + " IS NOT NULL" for c in cols)
        sql = (
            f"SELECT {''.join(c + ', ' for c in cols)}count(*) FROM buyers "
            f"{'WHERE ' + where if where else ''} GROUP BY {group}"
        )
        for r in con.execute(sql).fetchall():
            found[(subset, tuple(r[:-1]))] = float(r[-1])
    return found


def _domains(con: duckdb.DuckDBPyConnection, spec: InsightSpec) -> list[list[Hashable]]:
    """Every value a dimension can take, from public code lists or the whole (unfiltered) data."""
    values: list[list[Hashable]] = []
    for dim in spec.group_by:
        if dim == "age_band":
            values.append(list(AGE_BANDS))
        elif dim.startswith(f"{SCORE_BAND}:"):
            values.append(list(SCORE_BANDS))
        else:
            table, column = {
                "gender": ("members", "gender"),
                "prefecture": ("members", "prefecture"),
                "segment": ("features", "segment"),
                "category": ("transactions", "category"),
            }[dim]
            rows = con.execute(
                f"SELECT DISTINCT CAST({column} AS VARCHAR) FROM {table} WHERE {column} IS NOT NULL ORDER BY 1"
            ).fetchall()
            values.append([r[0] for r in rows])
    return values


def _noised(
    con: duckdb.DuckDBPyConnection,
    spec: InsightSpec,
    dims: tuple[str, ...],
    persons: dict[Key, float],
    spend: dict[Key, float],
    score_sums: dict[str, dict[Key, float]],
) -> tuple[dict[Key, float], dict[Key, float], dict[str, dict[Key, float]]]:
    """Noise every cell of the full grid (empty cells too, so that presence leaks nothing)."""
    assert spec.dp is not None
    grid: list[Key] = [tuple(v) for v in itertools.product(*_domains(con, spec))]
    # One person touches at most one cell per combination of purchase-dimension values.
    reach = 1
    if spec.per_event:
        events = ", ".join(column_name(d) for d in spec.group_by if d in EVENT_DIMENSIONS)
        found = con.execute(f"SELECT count(*) FROM (SELECT DISTINCT {events} FROM transactions)").fetchone()
        reach = max(int(found[0]) if found else 1, 1)
    measures = 2 + len(spec.score_ids)
    eps = split_epsilon(spec.dp.epsilon, measures)
    noisy_persons = laplace([persons.get(key, 0.0) for key in grid], float(reach), eps)
    noisy_spend = laplace([spend.get(key, 0.0) for key in grid], reach * SPEND_CLAMP_YEN, eps)
    noisy_scores = {
        sid: dict(zip(grid, laplace([sums.get(key, 0.0) for key in grid], reach * 100.0, eps), strict=True))
        for sid, sums in score_sums.items()
    }
    return (
        dict(zip(grid, noisy_persons, strict=True)),
        dict(zip(grid, noisy_spend, strict=True)),
        noisy_scores,
    )


def release_rows(spec: InsightSpec, cells: Cells) -> list[dict[str, Any]]:
    """Turn cells into result rows: metrics only for released cells, `suppressed` for all."""
    hidden = cells.suppression.suppressed
    rows: list[dict[str, Any]] = []
    prefix_totals: dict[Key, float] = {}
    for key, value in cells.spend.items():
        if key not in hidden:
            prefix_totals[key[:-1]] = prefix_totals.get(key[:-1], 0.0) + max(value, 0.0)
    for key in sorted(cells.persons, key=lambda k: tuple(str(v) for v in k)):
        row: dict[str, Any] = dict(zip(cells.dims, key, strict=True))
        shown = key not in hidden
        count = max(cells.persons[key], 0.0)
        for metric in spec.metrics:
            name = column_name(metric)
            if not shown:
                row[name] = None
            elif metric == "persons":
                row[name] = round(count)
            elif metric == "spend_total":
                row[name] = round(max(cells.spend[key], 0.0))
            elif metric == "spend_share":
                total = prefix_totals.get(key[:-1], 0.0)
                row[name] = round(max(cells.spend[key], 0.0) / total, 6) if total > 0 else None
            elif metric.startswith(f"{SCORE_MEAN}:"):
                sums = cells.score_sums[metric.split(":", 1)[1]]
                row[name] = round(min(max(sums[key] / count, 0.0), 100.0), 2) if count > 0 else None
        row["suppressed"] = not shown
        rows.append(row)
    return rows


def key_text(key: Sequence[Hashable]) -> list[str]:
    """Return a cell key as strings (for the release record)."""
    return [str(v) for v in key]
