"""A small clean-room world: `mamori synth` members, consents and purchases, a real ledger, Parquet in the lake."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mamori.bootstrap import Platform, build
from mamori.lake.consent_files import read_event_file
from mamori.lake.insight.world import lake_from_synth
from mamori.lake.synth import SynthConfig, build_world
from mamori.lake.synth.members import read_members
from mamori.lake.synth.purposes import PURPOSES, TERMS
from mamori.ledger.insight_store import SqlInsightStore
from mamori.services.consent import publish_terms, register_purpose, register_subjects
from mamori.services.consent_import import import_events
from mamori.services.snapshot import take_snapshot
from mamori.settings import Settings


@dataclass
class ClinicWorld:
    """The platform, its insight store, and the world folder."""

    platform: Platform
    store: SqlInsightStore
    folder: Path
    snapshot: Path


def make_clinic(tmp_path: Path, members: int = 3000) -> ClinicWorld:
    """Build a synth world, a ledger with its consent history, a snapshot, and the lake's Parquet."""
    platform = build(Settings(home=tmp_path / "home", database_url=f"sqlite:///{tmp_path / 'l.sqlite3'}"))
    ledger = platform.ledger
    for purpose in PURPOSES:
        register_purpose(ledger, purpose, "test")
    for terms in TERMS:
        publish_terms(ledger, terms, "test")
    synth = tmp_path / "synth"
    build_world(SynthConfig(members=members, seed=5), synth)
    register_subjects(ledger, read_members(synth / "members.csv"), "test")
    import_events(ledger, read_event_file(synth / "consents.csv"), "test", "test")
    folder = lake_from_synth(synth, tmp_path / "lake")
    snapshot = folder / "consent.parquet"
    take_snapshot(
        ledger, platform.snapshots, datetime(2026, 4, 2, tzinfo=UTC), snapshot, platform.settings.policy
    )
    store = SqlInsightStore(ledger)
    store.register_recipient("acme", "株式会社アクメ", 3.0, "officer")
    return ClinicWorld(platform, store, folder, snapshot)


@pytest.fixture
def clinic(tmp_path: Path) -> ClinicWorld:
    """A fresh clean-room world."""
    world = make_clinic(tmp_path)
    yield world
    world.platform.ledger.engine.dispose()
