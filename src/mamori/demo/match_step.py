"""The demo's identity resolution: members linked to a client's customers, for an engagement.

Consent-gated (only members whose consent covers `analysis` are linked, MAMORI-1) and recorded
in the ledger's audit chain, with unified subject ids kept in the lake's registry.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mamori.bootstrap import Platform
from mamori.lake.match.engagement import MatchFiles, engagement_payload, match_files
from mamori.lake.match.engines import DuckDBEngine

Progress = Callable[[str, int, int], None]
ENGAGEMENT = "demo-ryutsu-2026"


def run_match_step(platform: Platform, world: Path, snapshot: Path, step: Progress) -> list[str]:
    """Link the members to the ryutsu client's customers; return the report lines."""
    # RIGHT is the client's file as intake published it (normalized, bad rows quarantined).
    published = sorted(platform.settings.lake_dir.glob("customers/ryutsu/*/data/*.parquet"))
    if not published:
        return []
    right = published[-1]
    step("identity resolution / 名寄せ", 0, 1)
    out = platform.settings.lake_dir / "match"
    job = MatchFiles(
        left=world / "members.csv",
        right=right,
        links_out=out / "links-ryutsu.csv",
        registry=out / "subjects.parquet",
        purpose="analysis",
        snapshot=snapshot,
    )
    report = match_files(job, DuckDBEngine())
    with platform.ledger.transaction("demo") as tx:
        entry = tx.audit("match-engagement-run", "demo", engagement_payload(ENGAGEMENT, report))
    step("identity resolution / 名寄せ", 1, 1)
    stages = ", ".join(f"{k} {v}" for k, v in report["stages"].items())
    return [
        f"名寄せ / match members × ryutsu's customers: {report['links']:,} links ({stages}); "
        f"{report['consent']['excluded_without_consent']:,} members left out without consent to analysis "
        f"[MAMORI-1]; {report['persons']:,} unified persons; audit entry {entry.seq}",
        f"    links: {report['links_out']}  subjects: {report['subjects_out']}",
    ]
