"""A web world with data behind it: synth members, consents and purchases, real provisions, insight recipients.

Two recipients, `acme` and `otherco`, each received a real provision (the provide service with the
DuckDB exporter) and may request insight; the partner tests use one's key on the other's ids.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from mamori.bootstrap import build, build_portal
from mamori.domain.provision.lineage import lineage_id
from mamori.domain.recipients import Recipient
from mamori.lake.consent_files import read_event_file
from mamori.lake.insight.world import lake_from_synth
from mamori.lake.provide import DuckDBExporter
from mamori.lake.synth import SynthConfig, build_world
from mamori.lake.synth.members import read_members
from mamori.lake.synth.purposes import PURPOSES, TERMS
from mamori.ledger.insight_store import SqlInsightStore
from mamori.ledger.provisions import SqlProvisionStore
from mamori.services.consent import publish_terms, register_purpose, register_subjects
from mamori.services.consent_import import import_events
from mamori.services.partners import SCOPES, issue_key
from mamori.services.portal_ports import Account, Role
from mamori.services.provide import ProvisionRequest, provide
from mamori.settings import Settings
from mamori.web.app import create_app
from mamori.web.context import WebContext
from tests.web.world import EMAILS, sign_in

XSS_NAME = "株式会社アクメ<script>alert(1)</script>"
FORMULA_NAME = '=HYPERLINK("http://evil.invalid","請求書")'
RECIPIENTS = {
    "acme": Recipient(
        "acme",
        "ad_business",
        "JP",
        name=XSS_NAME,
        address="東京都千代田区1-1（例示）",
        representative="代表 例示",
    ),
    "otherco": Recipient(
        "otherco",
        "ad_business",
        "JP",
        name=FORMULA_NAME,
        address="大阪府大阪市1-1",
        representative="@SUM(1+1)",
    ),
}


@dataclass
class PartnerWorld:
    """The app, the recipients' keys and lineage ids, and the home folder."""

    app: FastAPI
    home: Path
    keys: dict[str, str]
    lineages: dict[str, str]

    @property
    def ctx(self) -> WebContext:
        """Return the app's wiring."""
        ctx: WebContext = self.app.state.ctx
        return ctx

    def staff(self, who: str) -> TestClient:
        """Return a console client signed in as officer, operator or auditor."""
        client = TestClient(self.app)
        sign_in(self, client, EMAILS[who])  # type: ignore[arg-type]
        return client

    def partner(self, recipient: str) -> TestClient:
        """Return an API client carrying a recipient's key (every scope)."""
        return TestClient(self.app, headers={"X-API-Key": self.keys[recipient]})


def make_partner_world(root: Path, members: int = 600) -> PartnerWorld:
    """Build the synth world, the ledger's consent history, the lake, two provisions and two recipients."""
    home = root / "home"
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'ledger.sqlite3'}")
    platform = build(settings)
    ledger = platform.ledger
    for purpose in PURPOSES:
        register_purpose(ledger, purpose, "test")
    for terms in TERMS:
        publish_terms(ledger, terms, "test")
    synth = home / "synth"
    build_world(SynthConfig(members=members, seed=7), synth)
    people = read_members(synth / "members.csv")
    register_subjects(ledger, people, "test")
    import_events(ledger, read_event_file(synth / "consents.csv"), "test", "test")
    lake_from_synth(synth, settings.lake_dir)
    insight = SqlInsightStore(ledger)
    lineages = {}
    for rid, recipient in RECIPIENTS.items():
        insight.register_recipient(rid, recipient.name, 3.0, "test")
        now = datetime.now(UTC)
        lid = lineage_id(now, secrets.token_bytes(12))
        request = ProvisionRequest(
            "provide_partners",
            recipient,
            ("member_id", "prefecture"),
            tuple(p.id for p in people),
            now,
            lid,
        )
        out = home / "provisions" / f"{lid}.csv"
        provide(
            ledger,
            SqlProvisionStore(ledger),
            DuckDBExporter(synth / "members.csv", "member_id", request.items, out),
            request,
            "test",
        )
        lineages[rid] = lid
    store = build_portal(platform).store
    staff = [
        Account(EMAILS[r], Role(v))
        for r, v in (("officer", "privacy_officer"), ("operator", "operator"), ("auditor", "auditor"))
    ]
    store.add_accounts(staff, "test")
    keys = {rid: issue_key(store, rid, SCOPES, "test", datetime.now(UTC)) for rid in RECIPIENTS}
    ledger.engine.dispose()
    return PartnerWorld(create_app(settings), home, keys, lineages)
