"""Lifestyle profiles: refresh features and scores from a consent snapshot; explain a member's scores.

A refresh recomputes everything from the snapshot it is given, so a member who withdrew
profiling consent is simply absent from the next scores file (APPI-35-1 cessation of use
follows from the same mechanism); the refresh is audit-chained with the snapshot position.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from mamori.domain.insight.scores import Catalogue
from mamori.services.ports import Ledger


@dataclass(frozen=True, slots=True)
class ProfileInfo:
    """What a refresh wrote."""

    features: Path
    scores: Path
    featured: int  # subjects with features (analysis or profiling granted, with purchases)
    scored: int  # subjects with scores (profiling granted)
    snapshot_position: int


@dataclass(frozen=True, slots=True)
class Contribution:
    """One feature's part in a score: weight × value, with the feature's names."""

    feature: str
    ja: str
    en: str
    contribution: float


@dataclass(frozen=True, slots=True)
class SubjectScore:
    """A score held about a member, with the features that drove it (for the member portal)."""

    score_id: str
    ja: str
    en: str
    description_ja: str
    description_en: str
    score: float
    top: tuple[Contribution, ...]


class ProfileEngine(Protocol):
    """Computes features and scores on the data plane."""

    def refresh(self, profiling_bit: int, analysis_bit: int, out_dir: Path) -> ProfileInfo:
        """Write features and scores Parquet files for the snapshot the engine reads."""
        ...


class ScoreReader(Protocol):
    """Reads one member's scores from the last refresh."""

    def rows_for(self, subject_id: str) -> list[tuple[str, float, list[tuple[str, float]]]]:
        """Return (score id, score, [(feature, contribution)]) for a member."""
        ...


def refresh_profiles(
    ledger: Ledger, engine: ProfileEngine, out_dir: Path, actor: str, profiling: str = "profiling",
    analysis: str = "analysis",
) -> ProfileInfo:  # fmt: skip
    """Recompute features and scores; record the refresh in the audit chain."""
    bits = ledger.purpose_bits()
    info = engine.refresh(bits[profiling], bits[analysis], out_dir)
    with ledger.transaction(actor) as tx:
        tx.audit(
            "profiles-refreshed",
            actor,
            {
                "snapshot_position": info.snapshot_position,
                "featured": info.featured,
                "scored": info.scored,
                "purposes": [profiling, analysis],
            },
        )
    return info


def scores_for(
    reader: ScoreReader, catalogue: Catalogue, subject_id: str, top: int = 3
) -> list[SubjectScore]:
    """Return every score held about a member, each with its top contributing features."""
    found = []
    for score_id, value, contributions in reader.rows_for(subject_id):
        definition = catalogue.scores.get(score_id)
        if definition is None:
            continue  # a score retired from the catalogue is no longer shown or used
        ranked = sorted(contributions, key=lambda fc: -abs(fc[1]))[:top]
        found.append(
            SubjectScore(
                score_id,
                definition.ja,
                definition.en,
                definition.description_ja,
                definition.description_en,
                round(value, 1),
                tuple(
                    Contribution(f, catalogue.features[f].ja, catalogue.features[f].en, round(c, 3))
                    for f, c in ranked
                ),
            )
        )
    return sorted(found, key=lambda s: -s.score)
