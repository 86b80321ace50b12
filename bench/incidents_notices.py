"""Notices through the member portal: one bulk insert per send vs one transaction per notice.

Figure (issue 8, "sent through the portal ... in bulk, each delivery recorded"): deliver the
notice to N persons on the `portal` channel, each delivery a row of `portal_notices` in the
SQLite ledger. Ours is `PortalOutbox` under `send_notices` (rows buffered, written in one
transaction with the manifest); the peer is the straightforward way, one audited write
transaction per notice, in the same run on a fresh ledger each round.

Usage: python bench/incidents_notices.py [--persons 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from mamori.bootstrap import build, incident_service
from mamori.domain.incidents.facts import Cause, EventType, IncidentFacts
from mamori.ledger.portal_notices import PortalOutbox
from mamori.ledger.tables.notices import portal_notices
from mamori.services.incidents.notices import send_notices
from mamori.settings import Settings

BODY = "個人情報の漏えい等に関するお知らせとお詫び\n" + "本文 " * 200


def _platform(home: Path):  # type: ignore[no-untyped-def]
    return build(Settings(home=home, database_url=f"sqlite:///{home / 'ledger.sqlite3'}"))


def ours(home: Path, persons: list[str]) -> float:
    platform = _platform(home)
    service = incident_service(platform)
    facts = IncidentFacts(datetime.now(UTC), EventType.LEAK, Cause.MISDELIVERY, len(persons))
    incident = service.open("bench", title="t", facts=facts, discovered_by="x", summary="y")
    start = time.perf_counter()
    report = send_notices(
        service, incident.id, "bench", affected=persons, contacts={p: p for p in persons},
        title="お知らせ", body=BODY, outbox=PortalOutbox(platform.ledger, incident.id, home / "notices"),
    )  # fmt: skip
    took = time.perf_counter() - start
    assert report.delivered == len(persons)
    platform.ledger.engine.dispose()
    return took


def peer(home: Path, persons: list[str]) -> float:
    platform = _platform(home)
    ledger = platform.ledger
    start = time.perf_counter()
    for n, person in enumerate(persons):
        with ledger.transaction("bench") as tx:
            row = {"id": f"PN-{n:08d}", "incident_id": "INC-1", "subject_id": person, "title": "お知らせ"}
            tx.connection.execute(
                insert(portal_notices).values(**row, body=BODY, delivered_at=datetime.now(UTC))
            )
            tx.audit("portal-notice-delivered", "bench", {"notice": row["id"]})
    took = time.perf_counter() - start
    ledger.engine.dispose()
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    persons = [f"M{n:07d}" for n in range(args.persons)]
    mine, theirs = [], []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            mine.append(ours(Path(a), persons))
            theirs.append(peer(Path(b), persons))
    o, p = statistics.median(mine), statistics.median(theirs)
    print(f"persons={args.persons:,}")
    print(f"ours  PortalOutbox bulk + manifest + event: {o:.3f} s (median of {args.rounds})")
    print(f"peer  one audited transaction per notice:  {p:.3f} s (median of {args.rounds})")
    print(f"ratio peer/ours:                           {p / o:.1f}")


if __name__ == "__main__":
    main()
