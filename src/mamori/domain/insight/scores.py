"""The lifestyle score catalogue as plain objects: published definitions compiled late to SQL.

A score is a formula over named features, 100 / (1 + exp(-(bias + Σ weight × feature))), so
that every score of a member can be explained term by term (weight × feature), and the
portal can show the member what drove it. The catalogue is data (scores.yaml in the lake
package); this module validates it and writes the SQL for a dialect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mamori.errors import InputError

MIN_SCORES = 30


@dataclass(frozen=True, slots=True)
class Feature:
    """A per-subject feature, named in Japanese and English."""

    id: str
    ja: str
    en: str


@dataclass(frozen=True, slots=True)
class ScoreDefinition:
    """A published score: names, description and the formula's weights."""

    id: str
    ja: str
    en: str
    description_ja: str
    description_en: str
    bias: float
    weights: tuple[tuple[str, float], ...]

    def linear_sql(self) -> str:
        """Return bias + Σ weight × feature as SQL (identical in DuckDB and Spark)."""
        terms = " + ".join(f"({w!r}) * coalesce({f}, 0)" for f, w in self.weights)
        return f"({self.bias!r} + {terms})"

    def score_sql(self) -> str:
        """Return the 0-100 score as SQL."""
        return f"(100.0 / (1.0 + exp(-{self.linear_sql()})))"

    def contributions_sql(self, dialect: str) -> str:
        """Return the list of (feature, weight × value) structs in the dialect's syntax."""
        if dialect == "duckdb":
            items = ", ".join(
                f"{{'feature': '{f}', 'contribution': ({w!r}) * coalesce({f}, 0)}}" for f, w in self.weights
            )
            return f"[{items}]"
        if dialect == "spark":
            items = ", ".join(
                f"named_struct('feature', '{f}', 'contribution', CAST(({w!r}) * coalesce({f}, 0) AS DOUBLE))"
                for f, w in self.weights
            )
            return f"array({items})"
        raise ValueError(f"no SQL dialect {dialect!r} for score contributions (duckdb, spark)")


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every feature and score mamori publishes."""

    version: str
    categories: tuple[str, ...]
    features: dict[str, Feature]
    scores: dict[str, ScoreDefinition]
    notes_ja: str
    notes_en: str


def parse_catalogue(data: Any, *, file: str) -> Catalogue:
    """Validate the catalogue document: unique ids, known features, at least 30 scores."""
    if not isinstance(data, Mapping):
        raise InputError("カタログはマッピングです", "the catalogue is a mapping", file=file)
    features = {f["id"]: Feature(f["id"], f["ja"], f["en"]) for f in data.get("features", [])}
    scores: dict[str, ScoreDefinition] = {}
    for i, s in enumerate(data.get("scores", []), start=1):
        if s.get("kind") != "formula":
            raise InputError("kind は formula です", "kind must be formula", file=file, line=i, field="kind")
        unknown = [f for f in s["weights"] if f not in features]
        if unknown:
            raise InputError(
                f"未知の特徴量です：{unknown[0]}",
                f"unknown feature: {unknown[0]}",
                file=file,
                line=i,
                field="weights",
            )
        if s["id"] in scores:
            raise InputError(
                f"重複した id：{s['id']}", f"duplicate id: {s['id']}", file=file, line=i, field="id"
            )
        scores[s["id"]] = ScoreDefinition(
            s["id"],
            s["ja"],
            s["en"],
            s["description_ja"],
            s["description_en"],
            float(s["bias"]),
            tuple((str(f), float(w)) for f, w in s["weights"].items()),
        )
    if len(scores) < MIN_SCORES:
        raise InputError(
            f"スコアは {MIN_SCORES} 個以上必要です", f"at least {MIN_SCORES} scores are needed", file=file
        )
    notes = data.get("notes", {})
    return Catalogue(
        str(data.get("version", "")),
        tuple(data.get("categories", [])),
        features,
        scores,
        str(notes.get("ja", "")),
        str(notes.get("en", "")),
    )
