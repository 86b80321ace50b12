"""Consent coverage per purpose over time, and re-consent progress after a terms change.

Each point is a real consent snapshot (the same fold the data plane uses) taken as of that
instant, so the console's chart and the snapshots can never disagree.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from mamori.domain.config import PolicyConfig
from mamori.services.snapshot import SnapshotEngine, SnapshotInputs, SnapshotSource


@dataclass(frozen=True, slots=True)
class CoveragePoint:
    """How many subjects had a valid grant per purpose at one instant."""

    at: datetime
    subjects: int
    granted: dict[str, int]


def coverage_over_time(
    source: SnapshotSource,
    engine: SnapshotEngine,
    now: datetime,
    config: PolicyConfig,
    points: int = 12,
    span: timedelta = timedelta(days=365 * 6),
) -> list[CoveragePoint]:
    """Return `points` evenly spaced coverage points ending now."""
    position = source.position()
    base = SnapshotInputs(
        events=source.events_table(upto=position),
        subjects=source.subjects_table(),
        terms=source.terms(),
        bits=source.purpose_bits(),
        config=config,
        at=now,
        position=position,
    )
    step = span / max(points - 1, 1)
    found: list[CoveragePoint] = []
    with tempfile.TemporaryDirectory(prefix="mamori-coverage-") as tmp:
        for n in range(points):
            at = now - span + step * n
            info = engine.build(replace(base, at=at), Path(tmp) / f"p{n}.parquet")
            found.append(CoveragePoint(at, info.subjects, dict(info.granted)))
    return found


@dataclass(frozen=True, slots=True)
class Reconsent:
    """How many people have answered a purpose a terms change added (APPI-CONSENT-3)."""

    purpose: str
    old: str
    new: str
    answered: int  # subjects who said yes or no under the new version (the current grant is in the snapshot)
    subjects: int


def reconsent_progress(source: SnapshotSource) -> list[Reconsent]:
    """Return, for each purpose the latest terms change added, how many have answered so far."""
    import pyarrow.compute as pc

    terms = source.terms()
    versions = terms.versions
    if len(versions) < 2:
        return []
    old, new = versions[-2], versions[-1]
    events = source.events_table()
    subjects = source.subjects_table().num_rows
    found: list[Reconsent] = []
    for purpose in sorted(terms.added_purposes(old.version, new.version)):
        mine = events.filter(
            pc.and_(pc.equal(events["purpose_id"], purpose), pc.equal(events["terms_version"], new.version))
        )
        answered = len(pc.unique(mine["subject_id"]))
        found.append(Reconsent(purpose, old.version, new.version, answered, subjects))
    return found
