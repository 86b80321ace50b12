"""Take a consent snapshot: the ledger's consent state as of an instant, for the data plane."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

import pyarrow as pa

from mamori.domain.config import PolicyConfig
from mamori.domain.terms import TermsHistory


@dataclass(frozen=True, slots=True)
class SnapshotInputs:
    """Everything the consent fold needs, read from the ledger at one position."""

    events: pa.Table  # EVENT_SCHEMA, up to `position`
    subjects: pa.Table  # SUBJECT_SCHEMA
    terms: TermsHistory
    bits: dict[str, int]
    config: PolicyConfig
    at: datetime
    position: int


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """Where a snapshot was written and what it holds."""

    path: Path
    subjects: int
    position: int
    at: datetime
    granted: dict[str, int]  # purpose -> subjects with a valid grant


class SnapshotEngine(Protocol):
    """Folds consent in bulk and writes the snapshot (the lake implements it)."""

    def build(self, inputs: SnapshotInputs, out: Path) -> SnapshotInfo:
        """Write the snapshot file and describe it."""
        ...


class SnapshotSource(Protocol):
    """What the snapshot reads from the ledger."""

    def events_table(self, upto: int | None = None) -> pa.Table:
        """Return consent events up to a position."""
        ...

    def subjects_table(self) -> pa.Table:
        """Return every subject."""
        ...

    def terms(self) -> TermsHistory:
        """Return every terms version."""
        ...

    def purpose_bits(self) -> dict[str, int]:
        """Return each purpose's bit."""
        ...

    def position(self) -> int:
        """Return the last ledger position."""
        ...


def take_snapshot(
    source: SnapshotSource, engine: SnapshotEngine, at: datetime, out: Path, config: PolicyConfig
) -> SnapshotInfo:
    """Materialize consent as of `at`, stamped with the ledger position it was read at."""
    position = source.position()
    inputs = SnapshotInputs(
        events=source.events_table(upto=position),
        subjects=source.subjects_table(),
        terms=source.terms(),
        bits=source.purpose_bits(),
        config=config,
        at=at,
        position=position,
    )
    return engine.build(inputs, out)
