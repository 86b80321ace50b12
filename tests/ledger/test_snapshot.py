"""The consent snapshot (DuckDB, set-based) gives the domain fold's answers, subject by subject."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pyarrow.parquet as pq

from mamori.domain.config import DEFAULT_CONFIG
from mamori.domain.consent import Actor, ConsentAction, ConsentBook, ConsentEvent
from mamori.domain.purposes import Purpose, PurposeKind
from mamori.domain.subjects import Subject
from mamori.domain.terms import TermsVersion
from mamori.lake.snapshot import read_snapshot_meta
from mamori.services.snapshot import take_snapshot
from tests.ledger.world import MakePlatform, jst

PURPOSE_IDS = ["p0", "p1", "p2", "p3"]


def random_world(seed: int) -> tuple[list[Subject], list[TermsVersion], list[ConsentEvent]]:
    rng = random.Random(seed)
    terms = [
        TermsVersion("v1", date(2020, 1, 1), frozenset({"p0", "p1"})),
        TermsVersion("v2", date(2021, 4, 1), frozenset({"p0", "p1", "p2"})),
        TermsVersion("v3", date(2022, 4, 1), frozenset(PURPOSE_IDS)),
    ]
    people = []
    for i in range(60):
        birth = date(2000, 1, 1) + timedelta(days=rng.randint(0, 365 * 14)) if i % 3 else date(1980, 2, 29)
        guardian = "s0" if rng.random() < 0.5 else None
        people.append(Subject(f"s{i}", None if i % 11 == 0 else birth, guardian))
    events = []
    start = jst("2019-12-01T00:00:00")
    for _ in range(600):
        when = start + timedelta(hours=rng.randint(0, 24 * 365 * 3))
        events.append(
            ConsentEvent(
                subject=f"s{rng.randint(0, 64)}",
                purpose=rng.choice(PURPOSE_IDS),
                action=rng.choice([ConsentAction.GRANT] * 3 + [ConsentAction.WITHDRAW, ConsentAction.OBJECT]),
                at=when,
                terms=rng.choice(["v1", "v2", "v3", "v9"]),
                by=rng.choice([Actor.SELF, Actor.GUARDIAN]),
            )
        )
    events.sort(key=lambda e: e.at)
    return people, terms, events


def test_MAMORI_1_snapshot_matches_the_domain_fold(
    database_url: str, make_platform: MakePlatform, tmp_path: Path
) -> None:
    platform = make_platform(database_url)
    people, terms, events = random_world(7)
    with platform.ledger.transaction("test") as tx:
        for pid in PURPOSE_IDS:
            tx.add_purpose(Purpose(pid, PurposeKind.INTERNAL_ANALYSIS))
        for version in terms:
            tx.add_terms(version)
        tx.add_subjects(people)
        tx.append_events(events)  # invalid grants included on purpose: the fold must ignore them
    book = ConsentBook(events, {p.id: p for p in people}, platform.ledger.terms())
    bits = platform.ledger.purpose_bits()
    for instant in (jst("2021-06-01T00:00:00"), jst("2023-01-01T00:00:00")):
        out = tmp_path / f"snap-{instant:%Y}.parquet"
        info = take_snapshot(platform.ledger, platform.snapshots, instant, out, DEFAULT_CONFIG)
        rows = pq.read_table(out).to_pylist()
        assert info.subjects == len(people) == len(rows)
        checked_grants = 0
        for row in rows:
            for pid in PURPOSE_IDS:
                standing = book.standing(row["subject_id"], pid, instant)
                assert bool(row["granted_mask"] >> bits[pid] & 1) == standing.granted, (row, pid)
                assert bool(row["objected_mask"] >> bits[pid] & 1) == standing.objected, (row, pid)
                checked_grants += standing.granted
        assert checked_grants > 0
        meta = read_snapshot_meta(out)
        assert meta["mamori.position"] == str(platform.ledger.position())


def test_MAMORI_1_vectorized_decisions_equal_the_domain(
    database_url: str, make_platform: MakePlatform, tmp_path: Path
) -> None:
    import pyarrow as pa

    from mamori.domain.items import STANDARD_ITEMS
    from mamori.domain.policy import PolicyWorld, decide
    from mamori.domain.recipients import Recipient
    from mamori.domain.requests import Action, PolicyRequest, ProvisionKind
    from mamori.lake.decisions import BatchRequest, decide_pairs

    platform = make_platform(database_url)
    people, terms, events = random_world(11)
    kinds = [
        PurposeKind.INTERNAL_ANALYSIS,
        PurposeKind.THIRD_PARTY_PROVISION,
        PurposeKind.PROFILING,
        PurposeKind.THIRD_PARTY_PROVISION,
    ]
    with platform.ledger.transaction("test") as tx:
        for pid, kind in zip(PURPOSE_IDS, kinds, strict=True):
            tx.add_purpose(Purpose(pid, kind, frozenset({"ad_business"})))
        for version in terms:
            tx.add_terms(version)
        tx.add_subjects(people)
        tx.append_events(events)
    instant = jst("2023-01-01T00:00:00")
    snapshot = tmp_path / "snap.parquet"
    take_snapshot(platform.ledger, platform.snapshots, instant, snapshot, DEFAULT_CONFIG)
    world = PolicyWorld(
        platform.ledger.purposes(),
        STANDARD_ITEMS,
        ConsentBook(events, {p.id: p for p in people}, platform.ledger.terms()),
    )
    pairs = [(p.id, pid) for p in people for pid in [*PURPOSE_IDS, "nope"]] + [("ghost", "p0")]
    table = pa.table({"subject_id": [s for s, _ in pairs], "purpose_id": [p for _, p in pairs]})
    template = PolicyRequest(
        "batch",
        instant,
        "*",
        Action.PROVIDE,
        "*",
        ("purchase_history",),
        ProvisionKind.PERSONAL_DATA,
        Recipient("adco", "ad_business"),
    )
    result = decide_pairs(
        snapshot,
        table,
        world.purposes,
        STANDARD_ITEMS,
        platform.ledger.purpose_bits(),
        BatchRequest(template),
    )
    assert result.num_rows == len(pairs)
    verdicts = set()
    for row in result.to_pylist():
        from dataclasses import replace

        expected = decide(world, replace(template, subject=row["subject_id"], purpose=row["purpose_id"]))
        assert row["decision"] == expected.verdict.value, row
        assert tuple(row["rules"]) == expected.rules, row
        assert tuple(row["obligations"]) == expected.obligations, row
        verdicts.add(row["decision"])
    assert verdicts == {"allow", "deny"}
