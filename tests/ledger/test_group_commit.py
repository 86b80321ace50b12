"""Group commit, deferred reads and the cached catalogue, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from mamori.domain.consent import ConsentAction, ConsentEvent
from mamori.domain.purposes import Purpose, PurposeKind
from mamori.domain.terms import TermsVersion
from mamori.errors import InputError
from mamori.ledger.engine import writing
from mamori.ledger.group_commit import GroupCommit
from mamori.services.consent import publish_terms, record_choice, register_purpose
from tests.ledger.world import MakePlatform, jst, seed

THREADS, EACH = 8, 6


def _withdrawal(subject: str, minute: int) -> ConsentEvent:
    at = jst(f"2022-02-01T12:{minute:02d}:00")
    return ConsentEvent(subject, "analysis", ConsentAction.WITHDRAW, at, "v2")


def test_concurrent_changes_from_many_threads_all_land_in_order(
    database_url: str, make_platform: MakePlatform
) -> None:
    platform = make_platform(database_url)
    seed(platform)
    ledger = platform.ledger
    before = ledger.position()
    subjects = ["hanako", "mother"]

    def one_member(n: int) -> list[int]:
        subject = subjects[n % 2]
        return [record_choice(ledger, _withdrawal(subject, n * EACH + i), f"member:{n}") for i in range(EACH)]

    with ThreadPoolExecutor(THREADS) as pool:
        positions = list(pool.map(one_member, range(THREADS)))
    flat = sorted(p for each in positions for p in each)
    # Nothing lost, nothing given twice; each caller's own changes in the order it made them.
    assert flat == list(range(before + 1, before + 1 + THREADS * EACH))
    assert all(each == sorted(each) for each in positions)
    assert ledger.position() == before + THREADS * EACH
    written = [e for s in subjects for e in ledger.events_for(s) if e.at >= jst("2022-02-01T00:00:00")]
    assert len(written) == THREADS * EACH
    # One audit entry per event, by its own actor, and the chain (with the anchor) verifies.
    entries = [a for a in ledger.audit_entries() if a.actor.startswith("member:")]
    assert {a.kind for a in entries} == {"consent-withdrawn"}
    assert sorted(a.actor for a in entries) == sorted(
        f"member:{n}" for n in range(THREADS) for _ in range(EACH)
    )
    assert ledger.verify_audit() is None


def test_a_batch_reads_in_the_chain_as_if_each_event_were_written_alone(
    database_url: str, make_platform: MakePlatform
) -> None:
    platform = make_platform(database_url)
    seed(platform)
    ledger = platform.ledger
    with ledger.transaction("member:a") as tx:
        tx.append_events([_withdrawal("hanako", 1)])
    ledger.append_each([(_withdrawal("hanako", 2), "member:b"), (_withdrawal("mother", 3), "member:c")])
    alone, *batch = list(ledger.audit_entries())[-3:]
    assert [a.actor for a in (alone, *batch)] == ["member:a", "member:b", "member:c"]
    assert {a.kind for a in (alone, *batch)} == {"consent-withdrawn"}
    keys = [sorted(json.loads(a.payload)) for a in (alone, *batch)]
    assert keys[0] == keys[1] == keys[2] == ["digest", "events", "purpose", "subject", "terms"]
    assert ledger.verify_audit() is None


def test_a_failed_batch_fails_each_caller_in_it_and_writes_nothing_twice() -> None:
    calls: list[list[str]] = []
    gate = threading.Event()

    def write(items: object) -> list[int]:
        batch = [event.subject for event, _ in items]  # type: ignore[attr-defined]
        calls.append(batch)
        gate.wait()
        if "bad" in batch:
            raise InputError("不正な事象です", "bad event")
        return list(range(1, len(batch) + 1))

    group = GroupCommit(write)
    subjects = ["a", "bad", "b", "c"]
    with ThreadPoolExecutor(len(subjects)) as pool:
        futures = [pool.submit(group.append, _withdrawal(s, 0), "member") for s in subjects]
        gate.set()
    failed = [s for s, f in zip(subjects, futures, strict=True) if f.exception() is not None]
    batch_with_bad = next(b for b in calls if "bad" in b)
    assert sorted(failed) == sorted(batch_with_bad)
    # Every event went to exactly one write attempt.
    assert sorted(s for b in calls for s in b) == sorted(subjects)


def test_cache_sees_terms_and_purposes_published_by_another_process(
    database_url: str, make_platform: MakePlatform
) -> None:
    ours = make_platform(database_url)
    seed(ours)
    assert [t.version for t in ours.ledger.terms().versions] == ["v1", "v2"]
    assert set(ours.ledger.purposes()) == {"analysis", "provide_ads"}
    # Another SqlLedger over the same database, as the CLI beside a running server would be.
    theirs = make_platform(database_url)
    register_purpose(
        theirs.ledger,
        Purpose(
            "surveys",
            PurposeKind.INTERNAL_ANALYSIS,
            description_ja="アンケートの回答を集計し、サービスの改善に利用します",
            description_en="Aggregate survey answers to improve the service",
        ),
        "officer",
    )
    publish_terms(
        theirs.ledger, TermsVersion("v3", date(2022, 1, 1), frozenset({"analysis", "surveys"})), "officer"
    )
    assert [t.version for t in ours.ledger.terms().versions] == ["v1", "v2", "v3"]
    assert "surveys" in ours.ledger.purposes()
    # A choice under the new terms is checked against them at once.
    grant = ConsentEvent("hanako", "surveys", ConsentAction.GRANT, jst("2022-03-01T12:00:00"), "v3")
    assert record_choice(ours.ledger, grant, "member") == ours.ledger.position()


def test_reads_do_not_wait_for_a_writer_and_a_no_wait_writer_does_not_either(
    database_url: str, make_platform: MakePlatform
) -> None:
    platform = make_platform(database_url)
    seed(platform)
    ledger = platform.ledger
    with ledger.transaction("importer") as tx:
        tx.append_events([_withdrawal("hanako", 5)])
        # A reader sees the last committed state while the write is open (WAL snapshot);
        # under BEGIN IMMEDIATE it would have slept in the busy handler until the commit.
        assert len(ledger.events_for("hanako")) == 3
        assert ledger.subject("mother") is not None
        if database_url.startswith("sqlite"):
            assert ledger.append_each_now([(_withdrawal("mother", 6), "member")]) is None
            with pytest.raises(OperationalError), writing(ledger.engine, wait=False):
                pass
    assert len(ledger.events_for("hanako")) == 4
    expected = ledger.position() + 1 if database_url.startswith("sqlite") else None
    assert ledger.append_each_now([(_withdrawal("mother", 7), "member")]) == (
        [expected] if expected else None
    )
    assert ledger.verify_audit() is None


def test_a_writer_in_another_process_is_waited_for_on_the_file_lock(
    make_platform: MakePlatform, tmp_path: Path
) -> None:
    from mamori.ledger.writer_lock import WriterLock

    # SQLite only: PostgreSQL writers queue on the advisory lock instead.
    platform = make_platform(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    seed(platform)
    ledger = platform.ledger
    other = WriterLock(ledger.anchor.path.with_name("ledger-writers.lock"))  # as another process
    with other.hold() as held:
        assert held
        assert ledger.append_each_now([(_withdrawal("mother", 8), "member")]) is None
        with other.hold(wait=False) as again:
            assert not again
    assert ledger.append_each_now([(_withdrawal("mother", 9), "member")]) == [ledger.position()]
    assert ledger.verify_audit() is None
