"""`mamori audit verify` names the first entry changed, deleted, inserted or reordered.

Each test edits the database behind the application's back, as an insider with SQL access
would (on PostgreSQL, by switching the append-only triggers off first).
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from mamori.bootstrap import Platform
from mamori.domain.audit import Tampering
from tests.ledger.world import MakePlatform, seed


def tamper(platform: Platform, *statements: str) -> None:
    with platform.ledger.engine.begin() as c:
        if c.dialect.name == "postgresql":
            c.execute(sa.text("SET LOCAL session_replication_role = replica"))  # triggers off
        for statement in statements:
            c.execute(sa.text(statement))


def seeded(url: str, make_platform: MakePlatform) -> Platform:
    platform = make_platform(url)
    seed(platform)
    assert platform.ledger.verify_audit() is None
    return platform


def test_changed_entry(database_url: str, make_platform: MakePlatform) -> None:
    platform = seeded(database_url, make_platform)
    tamper(platform, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3")
    broken = platform.ledger.verify_audit()
    assert broken is not None
    assert (broken.seq, broken.tampering) == (3, Tampering.CHANGED)


def test_deleted_entry(database_url: str, make_platform: MakePlatform) -> None:
    platform = seeded(database_url, make_platform)
    tamper(platform, "DELETE FROM audit_log WHERE seq = 4")
    broken = platform.ledger.verify_audit()
    assert broken is not None
    assert (broken.seq, broken.tampering) == (4, Tampering.DELETED)


def test_inserted_entry(database_url: str, make_platform: MakePlatform) -> None:
    platform = seeded(database_url, make_platform)
    # Make room at seq 3 and forge an entry there that links correctly to entry 2.
    entries = list(platform.ledger.audit_entries())
    forged_prev = entries[1].hash
    from mamori.domain.audit import link

    forged = link(forged_prev, 3, "purpose-registered", "intruder", entries[2].at, {"id": "forged"})
    tamper(
        platform,
        "UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3",
        "UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1003",
        f"INSERT INTO audit_log (seq, kind, actor, at, payload, prev_hash, hash) VALUES "
        f"(3, '{forged.kind}', '{forged.actor}', '{forged.at}', '{forged.payload}', '{forged.prev_hash}', "
        f"'{forged.hash}')",
    )
    broken = platform.ledger.verify_audit()
    assert broken is not None
    assert (broken.seq, broken.tampering) == (3, Tampering.INSERTED)


def test_reordered_entries(database_url: str, make_platform: MakePlatform) -> None:
    platform = seeded(database_url, make_platform)
    tamper(
        platform,
        "UPDATE audit_log SET seq = -5 WHERE seq = 5",
        "UPDATE audit_log SET seq = 5 WHERE seq = 6",
        "UPDATE audit_log SET seq = 6 WHERE seq = -5",
    )
    broken = platform.ledger.verify_audit()
    assert broken is not None
    assert (broken.seq, broken.tampering) == (5, Tampering.REORDERED)


def test_forged_tail_is_caught_by_the_anchor(database_url: str, make_platform: MakePlatform) -> None:
    platform = seeded(database_url, make_platform)
    entries = list(platform.ledger.audit_entries())
    from mamori.domain.audit import link

    head = entries[-1]
    forged = link(head.hash, head.seq + 1, "consent-granted", "intruder", head.at, {"subject": "x"})
    tamper(
        platform,
        f"INSERT INTO audit_log (seq, kind, actor, at, payload, prev_hash, hash) VALUES "
        f"({forged.seq}, '{forged.kind}', '{forged.actor}', '{forged.at}', '{forged.payload}', "
        f"'{forged.prev_hash}', '{forged.hash}')",
    )
    broken = platform.ledger.verify_audit()
    assert broken is not None
    assert (broken.seq, broken.tampering) == (forged.seq, Tampering.INSERTED)


def test_MAMORI_1_a_changed_consent_event_is_caught_by_its_audit_entry(
    database_url: str, make_platform: MakePlatform
) -> None:
    platform = seeded(database_url, make_platform)
    tamper(platform, "UPDATE consent_events SET action = 'grant' WHERE seq = 4")
    broken = platform.ledger.verify_audit()
    assert broken is not None
    assert broken.tampering is Tampering.CHANGED
    covering = next(e for e in platform.ledger.audit_entries() if e.seq == broken.seq)
    assert json.loads(covering.payload)["events"] == [4, 4]


def test_a_deleted_consent_event_is_caught(database_url: str, make_platform: MakePlatform) -> None:
    platform = seeded(database_url, make_platform)
    tamper(platform, "DELETE FROM consent_events WHERE seq = 2")
    broken = platform.ledger.verify_audit()
    assert broken is not None
    assert broken.tampering is Tampering.DELETED
