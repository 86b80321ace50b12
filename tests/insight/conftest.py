"""A small clean-room world: a real ledger with the demo's consent history, members and purchases as Parquet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mamori.bootstrap import Platform, build
from mamori.lake.consent_files import read_event_file
from mamori.lake.synth import SynthConfig, build_world
from mamori.lake.synth.members import read_members
from mamori.lake.synth.purposes import PURPOSES, TERMS
from mamori.ledger.insight_store import SqlInsightStore
from mamori.services.consent import publish_terms, register_purpose, register_subjects
from mamori.services.consent_import import import_events
from mamori.services.snapshot import take_snapshot
from mamori.settings import Settings

PREFECTURES = ("東京都", "大阪府", "神奈川県", "愛知県", "鳥取県")
CATEGORIES = ("food", "beverage", "household", "clothing", "books", "dining")
CHANNELS = ("store", "online", "app")


@dataclass
class ClinicWorld:
    """The platform, its insight store, and the world folder."""

    platform: Platform
    store: SqlInsightStore
    folder: Path
    snapshot: Path


def write_commerce(
    folder: Path, ids: list[str], births: list[object], seed: int = 7, per_member: int = 8
) -> None:
    """Write members.parquet and transactions.parquet for the given members (synth's columns)."""
    rng = np.random.default_rng(seed)
    n = len(ids)
    pq.write_table(
        pa.table(
            {
                "member_id": ids,
                "birth_date": pa.array(births, pa.date32()),
                "gender": rng.choice(["F", "M"], n).tolist(),
                "prefecture": rng.choice(PREFECTURES, n, p=[0.4, 0.25, 0.2, 0.13, 0.02]).tolist(),
            }
        ),
        folder / "members.parquet",
    )
    total = n * per_member
    who = rng.integers(0, n, total)
    taste = rng.dirichlet(np.ones(len(CATEGORIES)) * 0.7, n)
    category = np.array([rng.choice(len(CATEGORIES), p=taste[w]) for w in who])
    start = np.datetime64("2025-01-01T00:00:00")
    at = start + rng.integers(0, 600 * 86400, total).astype("timedelta64[s]")
    pq.write_table(
        pa.table(
            {
                "transaction_id": [f"T{i:08d}" for i in range(total)],
                "member_id": [ids[w] for w in who],
                "shop_id": [f"S{int(s):04d}" for s in rng.integers(0, 40, total)],
                "purchased_at": pa.array(at.astype("datetime64[us]")),
                "category": [CATEGORIES[c] for c in category],
                "amount_yen": np.round(rng.lognormal(7.5, 0.8, total)).astype(np.int64),
                "channel": rng.choice(CHANNELS, total, p=[0.7, 0.2, 0.1]).tolist(),
            }
        ),
        folder / "transactions.parquet",
    )


def make_clinic(tmp_path: Path, members: int = 3000) -> ClinicWorld:
    """Build a ledger with consent, a snapshot, and the commerce files."""
    platform = build(Settings(home=tmp_path / "home", database_url=f"sqlite:///{tmp_path / 'l.sqlite3'}"))
    ledger = platform.ledger
    for purpose in PURPOSES:
        register_purpose(ledger, purpose, "test")
    for terms in TERMS:
        publish_terms(ledger, terms, "test")
    synth = tmp_path / "synth"
    build_world(SynthConfig(members=members, transactions=0, browsing=0, seed=5), synth)
    people = read_members(synth / "members.csv")
    register_subjects(ledger, people, "test")
    import_events(ledger, read_event_file(synth / "consents.csv"), "test", "test")
    snapshot = tmp_path / "lake" / "consent.parquet"
    take_snapshot(
        ledger, platform.snapshots, datetime(2026, 11, 2, tzinfo=UTC), snapshot, platform.settings.policy
    )
    folder = tmp_path / "lake"
    write_commerce(folder, [s.id for s in people], [s.birth_date for s in people])
    store = SqlInsightStore(ledger)
    store.register_recipient("acme", "株式会社アクメ", 3.0, "officer")
    return ClinicWorld(platform, store, folder, snapshot)


@pytest.fixture
def clinic(tmp_path: Path) -> ClinicWorld:
    """A fresh clean-room world."""
    world = make_clinic(tmp_path)
    yield world
    world.platform.ledger.engine.dispose()
