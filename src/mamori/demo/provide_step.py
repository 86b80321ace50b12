"""The demo's provision: members' profile data to a named advertiser, with its statutory records.

Every member is asked about; only those whose consent names this provision are in the export
(APPI-27-1, MAMORI-1), the provider record (APPI-29-1) and the recipient confirmation record
(APPI-30-1) are written in the same transaction, and the export carries its lineage id, so the
member portal lists it and an incident can later say exactly who was in it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

from mamori.bootstrap import Platform
from mamori.domain.provision.lineage import lineage_id
from mamori.domain.recipients import Recipient
from mamori.domain.requests import ProvisionKind
from mamori.lake.provide import DuckDBExporter, snapshot_taker
from mamori.lake.synth.members import read_members
from mamori.ledger.provisions import SqlProvisionStore
from mamori.services.provide import ProvisionRequest, provide

Progress = Callable[[str, int, int], None]
ADVERTISER = Recipient(
    "adco",
    "ad_business",
    "JP",
    name="株式会社アドコ（例示）",
    address="東京都千代田区千代田1-1（例示）",
    representative="代表取締役 例示太郎",
)


def run_provide_step(platform: Platform, world: Path, step: Progress) -> list[str]:
    """Provide members' age band and region to the advertiser; return the report lines."""
    members = world / "members.csv"
    if not members.exists():
        return []
    step("provision with records / 提供と記録", 0, 1)
    population = tuple(s.id for s in read_members(members))
    now = platform.clock.now()
    lid = lineage_id(now, secrets.token_bytes(12))
    request = ProvisionRequest(
        purpose="provide_partners",
        recipient=ADVERTISER,
        items=("member_id", "prefecture", "gender"),
        population=population,
        at=now,
        lineage_id=lid,
        kind=ProvisionKind.PERSONAL_DATA,
    )
    out = platform.settings.home / "provisions" / f"{lid}.csv"
    exporter = DuckDBExporter(members, "member_id", request.items, out)
    snapshot = snapshot_taker(
        platform.ledger,
        platform.snapshots,
        now,
        platform.settings.lake_dir / "snapshots" / f"consent-{lid}.parquet",
        platform.settings.policy,
    )
    store = SqlProvisionStore(platform.ledger)
    provision = provide(platform.ledger, store, exporter, request, "demo", snapshot=snapshot)
    step("provision with records / 提供と記録", 1, 1)
    kinds = sorted({r.rule for r in provision.records})
    return [
        f"提供 / provision to {ADVERTISER.name}: {len(provision.allowed):,} members exported, "
        f"{len(provision.denied):,} left out {dict(sorted(provision.rules.items()))}; records {kinds}; "
        f"lineage {lid}",
        f"    export: {provision.export_path}  (mamori provisions --recipient adco --records)",
        f"    consent snapshot: {provision.snapshot.describe() if provision.snapshot else provision.consent_position}",
    ]
