"""A leaked export in the web world: Alice and Bob granted `provide_ads` and were provided to adco."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from mamori.domain.consent import ConsentAction, ConsentEvent
from mamori.domain.provision.lineage import lineage_id
from mamori.domain.recipients import Recipient
from mamori.domain.subjects import Subject
from mamori.lake.provide import DuckDBExporter
from mamori.ledger.provisions import SqlProvisionStore
from mamori.services.consent import record_choice, register_subjects
from mamori.services.provide import ProvisionRequest, provide
from tests.web.world import ALICE, BOB, KID, XSS_ID, World

ADCO = Recipient(
    "adco",
    "ad_business",
    name="株式会社アドコ（例示）",
    address="東京都千代田区1-1",
    representative="代表 例示",
)
ITEMS = ("member_id", "purchase_history", "prefecture")


def leak_export(world: World, folder: Path, crowd: int = 0) -> str:
    """Provide the members who granted `provide_ads` to adco; return the export's lineage id.

    `crowd` more members (no portal account) granted too, so a crowd of 1,000 makes the leak
    pass PPC-RULE-7-4's count from lineage alone.
    """
    platform = world.ctx.platform
    now = world.clock.now()
    for subject in (ALICE, BOB, XSS_ID):
        event = ConsentEvent(subject, "provide_ads", ConsentAction.GRANT, now, "2021-07")
        record_choice(platform.ledger, event, "test")
    others = [f"M-C{n:05d}" for n in range(crowd)]
    if others:
        register_subjects(
            platform.ledger, [Subject(s, date(1970 + n % 40, 1, 1)) for n, s in enumerate(others)], "test"
        )
        grants = [ConsentEvent(s, "provide_ads", ConsentAction.GRANT, now, "2021-07") for s in others]
        with platform.ledger.transaction("test") as tx:
            tx.append_events(grants)
    members = folder / "members.csv"
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.table(
        {
            "member_id": [ALICE, BOB, KID, XSS_ID, *others],
            "purchase_history": ["米;茶", "本", "菓子", "<b>x</b>", *["日用品"] * crowd],
            "prefecture": ["東京都", "大阪府", "東京都", "北海道", *["埼玉県"] * crowd],
        }
    )
    pacsv.write_csv(table, members)
    request = ProvisionRequest(
        purpose="provide_ads",
        recipient=ADCO,
        items=ITEMS,
        population=(ALICE, BOB, KID, XSS_ID, *others),
        at=now,
        lineage_id=lineage_id(now, secrets.token_bytes(12)),
    )
    exporter = DuckDBExporter(members, "member_id", ITEMS, folder / "export.csv")
    provide(platform.ledger, SqlProvisionStore(platform.ledger), exporter, request, "operator")
    return request.lineage_id
