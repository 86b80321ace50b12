"""`mamori match` end to end: deterministic, probabilistic, one-to-one, clusters, report.

Rows in = rows out: every LEFT and RIGHT record ends in exactly one person (a cluster of one when
nothing links it); a field that failed normalization was already null, i.e. missing.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from mamori.lake.match import deterministic, probabilistic
from mamori.lake.match.engines import Engine

LINK_SCHEMA = {"left_id": pl.String, "right_id": pl.String, "probability": pl.Float64, "evidence": pl.String}
DEFAULT_THRESHOLD = 0.9
_BINS = (0.5, 0.8, 0.9, 0.95, 0.99, 0.999)


@dataclass
class MatchResult:
    """The accepted links and what each stage did."""

    links: pl.DataFrame
    stages: dict[str, int] = field(default_factory=dict)
    model: dict[str, Any] | None = None  # the trained Splink model (reusable on another engine)
    distribution: dict[str, int] = field(default_factory=dict)
    left_rows: int = 0
    right_rows: int = 0


def _has_checks(frame: pl.DataFrame) -> bool:
    return bool(frame["name_key"].is_not_null().any() or frame["birth_date"].is_not_null().any())


def _deterministic(
    engine: Engine, left: pl.DataFrame, right: pl.DataFrame
) -> tuple[pl.DataFrame, dict[str, int]]:
    deterministic.register(engine, left, right)
    judged = deterministic.judge(engine, left, right, checks=_has_checks(left) and _has_checks(right))
    accepted = judged.filter(pl.col("status") == "accepted")
    evidence = pl.concat_str(
        [
            pl.when(pl.col("by_email") == 1).then(pl.lit("email")),
            pl.when(pl.col("by_phone") == 1).then(pl.lit("phone")),
            pl.when(pl.col("name_ok") == 1).then(pl.lit("name")),
            pl.when(pl.col("birth_ok") == 1).then(pl.lit("birth_date")),
        ],
        separator=";",
        ignore_nulls=True,
    )
    links = accepted.select(
        pl.col("left_id").cast(pl.String),
        pl.col("right_id").cast(pl.String),
        pl.lit(1.0).alias("probability"),
        evidence.alias("evidence"),
    )
    counts = judged.group_by("status").len()
    stats = {f"deterministic_{row['status']}": int(row["len"]) for row in counts.to_dicts()}
    return links, stats


def _probabilistic(
    engine: Engine,
    left: Any,
    right: Any,
    right_open: Any,
    threshold: float,
    settings: Any,
    seed: int,
    stats: dict[str, int],
    model: dict[str, Any],
) -> pl.DataFrame:
    """Train on all of LEFT and RIGHT; score LEFT against `right_open` (RIGHT not linked yet).

    Why two linkers: the parameters (λ, u, m) are estimated from the whole files, as before;
    scoring only the RIGHT records the identifier stage left open skips the pairs whose outcome
    was already decided (their links are kept, their scores were discarded). A pair's score
    depends only on its two records and the parameters, so the scores are the same — and the
    blocking rules' candidate pairs, the part of the work that grows faster than the files, drop by
    the share of RIGHT the identifiers linked (three quarters on the synthetic worlds).
    """
    from splink import Linker

    api = engine.splink_api()
    left_table = api.register(left, table_name="mamori_sl")
    if isinstance(settings, dict) and settings.get("sql_dialect", engine.name) != engine.name:
        settings = probabilistic.for_dialect(settings, engine.name)
    if not isinstance(settings, dict):  # a dict is a model trained before: score with it as is
        trainer = Linker([left_table, api.register(right, table_name="mamori_sr")], settings, log_level=None)
        skipped = probabilistic.train(trainer, seed=seed)
        stats["training_skipped"] = len(skipped)
        settings = trainer.misc.save_model_to_json()
    # Splink orders each pair by source name; "mamori_sl" (LEFT) sorts before "mamori_ss".
    scorer = Linker([left_table, api.register(right_open, table_name="mamori_ss")], settings, log_level=None)
    model.update(scorer.misc.save_model_to_json())
    predicted = scorer.inference.predict(threshold_match_probability=min(threshold, 0.5))
    frame = pl.from_pandas(predicted.as_pandas_dataframe())  # type: ignore[no-untyped-call]
    if frame.is_empty():
        return pl.DataFrame(schema=LINK_SCHEMA)
    left_first = frame["source_dataset_l"].cast(pl.String).str.ends_with("sl")
    return frame.select(
        pl.when(left_first).then(pl.col("id_l")).otherwise(pl.col("id_r")).cast(pl.String).alias("left_id"),
        pl.when(left_first).then(pl.col("id_r")).otherwise(pl.col("id_l")).cast(pl.String).alias("right_id"),
        pl.col("match_probability").cast(pl.Float64).alias("probability"),
        probabilistic.evidence_expr(frame.columns).alias("evidence"),
    )


def best_per_right(pairs: pl.DataFrame) -> pl.DataFrame:
    """Keep, for each RIGHT record, its most probable LEFT record.

    LEFT is the platform's deduplicated members; RIGHT is a client's file, where one person may be
    registered twice — so several RIGHT records may link one LEFT record, never the reverse.
    """
    if pairs.is_empty():
        return pairs
    ranked = pairs.sort(["probability", "left_id", "right_id"], descending=[True, False, False])
    return ranked.unique("right_id", keep="first", maintain_order=True)


def run(
    left: pl.DataFrame,
    right: pl.DataFrame,
    engine: Engine,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    probabilistic_stage: bool = True,
    settings: Any | None = None,
    seed: int = 7,
    model: dict[str, Any] | None = None,
) -> MatchResult:
    """Link normalized LEFT and RIGHT frames; return accepted links and the per-stage counts.

    `model` (a trained model from an earlier result) skips training: the parity test scores on
    Spark with the parameters DuckDB estimated, so any difference is the engines', not sampling's.
    """
    trained: dict[str, Any] = {}
    det_links, stats = _deterministic(engine, left, right)
    links = det_links
    linked_right = det_links["right_id"].implode()
    # A member linked by identifier may still be the partner of the client's duplicate record, so
    # all of LEFT stays; a RIGHT record linked by identifier keeps that link and is not scored.
    right_open = right.filter(~pl.col("id").is_in(linked_right))
    if probabilistic_stage and left.height and right.height:
        rest = pl.DataFrame(schema=LINK_SCHEMA)
        if right_open.height:
            rest = _probabilistic(
                engine, _splink_input(engine, left), _splink_input(engine, right),
                _splink_input(engine, right_open), threshold,
                model or settings or probabilistic.settings(sizes=(left.height, right.height)), seed, stats,
                trained,
            )  # fmt: skip
        accepted = best_per_right(rest.filter(pl.col("probability") >= threshold))
        stats["probabilistic_scored"] = rest.height
        stats["probabilistic_accepted"] = accepted.height
        links = pl.concat([det_links, accepted.select(list(LINK_SCHEMA))])
    stats["links"] = links.height
    return MatchResult(
        links=links.sort(["left_id", "right_id"]),
        stages=stats,
        distribution=distribution(links["probability"]),
        left_rows=left.height,
        right_rows=right.height,
        model=trained or None,
    )


def _splink_input(engine: Engine, frame: pl.DataFrame) -> Any:
    cols = [c for c in frame.columns if c not in ("family", "given", "name_h", "sorted_h", "birth_n")]
    selected = frame.select(cols)
    return selected.to_pandas() if engine.name == "duckdb" else engine.register(f"s_{id(frame)}", selected)


def distribution(probabilities: pl.Series) -> dict[str, int]:
    """Count links per probability band (the report's histogram)."""
    bands: dict[str, int] = {}
    edges = (*_BINS, 1.0000001)
    for low, high in itertools.pairwise(edges):
        label = f"[{low}, {min(high, 1.0)}{']' if high > 1 else ')'}"
        bands[label] = int(((probabilities >= low) & (probabilities < high)).sum())
    return bands
