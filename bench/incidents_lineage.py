"""Impact of a leaked 1M-subject export from the ledger's provision records, vs bare SQL.

Figure (issue 8, "in seconds on a 1M-member world"): `SqlProvisionLineage.rows` + `compute_impact`
(distinct persons, items, minors from birth dates) for one provision of N subjects on a SQLite
ledger, against the peer: one bare SQL query on the same file counting the distinct subjects
and minors, in the same run.

Usage: python bench/incidents_lineage.py [--subjects 1000000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert

from mamori.bootstrap import build
from mamori.domain.incidents.impact import compute_impact
from mamori.ledger.lineage import SqlProvisionLineage
from mamori.ledger.tables.consent import subjects
from mamori.ledger.tables.provision import provision_subjects, provisions
from mamori.settings import Settings

LINEAGE = "LIN-20261127-000000000000000000000000"
TODAY = date(2026, 11, 27)
PEER_SQL = """
SELECT count(DISTINCT ps.subject_id),
       count(DISTINCT CASE WHEN s.birth_date > ? THEN ps.subject_id END)
FROM provision_subjects ps LEFT JOIN subjects s ON s.id = ps.subject_id
WHERE ps.lineage_id = ?
"""


def seed(home: Path, n: int) -> Path:
    platform = build(Settings(home=home, database_url=f"sqlite:///{home / 'ledger.sqlite3'}"))
    with platform.ledger.engine.begin() as c:
        c.execute(
            insert(provisions).values(
                lineage_id=LINEAGE, kind="personal_data", purpose_id="p", recipient_id="r", recipient_name="r",
                recipient_address="", recipient_representative="", recipient_country="JP", recipient_category="c",
                relation="third_party", items=json.dumps(["member_id", "purchases"]), provided_at=datetime.now(UTC),
                consent_position=0, subjects_allowed=n, subjects_denied=0, export_path="", decision_rules="{}",
            )
        )  # fmt: skip
        c.execute(
            insert(subjects),
            [
                {"id": f"S{i:08d}", "birth_date": date(1950 + i % 70, 1 + i % 12, 1), "guardian_id": None}
                for i in range(n)
            ],
        )
        c.execute(
            insert(provision_subjects), [{"lineage_id": LINEAGE, "subject_id": f"S{i:08d}"} for i in range(n)]
        )
    platform.ledger.engine.dispose()
    return home / "ledger.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        path = seed(home, args.subjects)
        platform = build(Settings(home=home, database_url=f"sqlite:///{path}"))
        reader = SqlProvisionLineage(platform.ledger)
        ours, peer = [], []
        for _ in range(args.rounds):
            start = time.perf_counter()
            impact = compute_impact(((LINEAGE, e) for e in reader.rows(LINEAGE)), {}, TODAY)
            ours.append(time.perf_counter() - start)
            con = sqlite3.connect(path)
            start = time.perf_counter()
            persons, minors = con.execute(PEER_SQL, (date(2008, 11, 27).isoformat(), LINEAGE)).fetchone()
            peer.append(time.perf_counter() - start)
            con.close()
        platform.ledger.engine.dispose()
    if (persons, minors) != (impact.persons, impact.minors):
        raise SystemExit(
            f"ours and the peer disagree: {(persons, minors)} vs {(impact.persons, impact.minors)}"
        )
    o, p = statistics.median(ours), statistics.median(peer)
    print(f"subjects={impact.persons:,} minors={impact.minors:,}")
    print(f"ours  SqlProvisionLineage + compute_impact: {o:.3f} s (median of {args.rounds})")
    print(f"peer  bare SQL count on the same file:      {p:.3f} s (median of {args.rounds})")
    print(f"ratio ours/peer:                            {o / p:.1f}")


if __name__ == "__main__":
    main()
