"""Fixtures for the incident tests: a service over the in-memory fakes, and a full walk-through."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import pytest

from mamori.cli.app import main
from mamori.domain.calendar import JST
from mamori.domain.incidents.classification import Audience, FirstAid, InfectionRoute, Inquiry, OrgSize
from mamori.domain.incidents.events import (
    AfterActionRecorded,
    ContainmentRecorded,
    FindingRecorded,
    FirstAidDone,
    HelpDeskOpened,
    NotificationTaskDone,
    RecoveryConfirmed,
    SecondaryDamageAssessed,
    TeamMemberAssigned,
    TimelineEntryAdded,
)
from mamori.domain.incidents.facts import Cause, EventType, IncidentFacts
from mamori.domain.incidents.state import AFTER_ACTION_FIELDS, Incident
from mamori.services.incidents.usecases import IncidentService
from mamori.testing.incidents import FixedClock, InMemoryEvidenceStore, InMemoryIncidentStore

AWARE = datetime(2022, 10, 3, 10, tzinfo=JST)


def make_facts(**kw: object) -> IncidentFacts:
    base: dict[str, object] = {
        "aware_at": AWARE,
        "event": EventType.LEAK,
        "cause": Cause.MISDELIVERY,
        "persons": 20,
        "items": ("name", "email"),
    }
    base.update(kw)
    return IncidentFacts(**base)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(AWARE)


@pytest.fixture
def store() -> InMemoryIncidentStore:
    return InMemoryIncidentStore()


@pytest.fixture
def service(store: InMemoryIncidentStore, clock: FixedClock) -> IncidentService:
    return IncidentService(store, clock, evidence=InMemoryEvidenceStore())


def open_ransomware(service: IncidentService, persons: int = 500) -> Incident:
    return service.open(
        "officer",
        title="VPN 機器経由のランサムウェア感染",
        facts=make_facts(cause=Cause.RANSOMWARE, persons=persons, suspected=True),
        discovered_by="情報システム部 佐藤",
        summary="ファイルサーバが暗号化され、脅迫文が表示された",
        officer_told=True,
        organisation="example-shop",
        org_size=OrgSize.SME,
        route=InfectionRoute.VPN_APPLIANCE,
    )


def fill_step(service: IncidentService, incident: Incident) -> Incident:
    """Record what the current step requires (used to walk an incident through the flow)."""
    i, a, when = incident.id, "officer", AWARE
    match incident.step:
        case "initial-response":
            service.record(
                i, a, TeamMemberAssigned, role="責任者", person="山田", contact="yamada@example.com"
            )
            return service.record(
                i, a, FirstAidDone, action=FirstAid.ISOLATE_NETWORK, done_by="佐藤", done_at=when
            )
        case "investigation":
            for q in Inquiry:
                service.record(i, a, FindingRecorded, question=q, answer=f"{q} の調査結果")
            service.record(i, a, TimelineEntryAdded, occurred_at=when, text="VPN 機器への不正ログイン")
            return service.record(i, a, SecondaryDamageAssessed, text="現時点で二次被害は確認されていない")
        case "notification":
            current = service.get(i)
            for audience in current.tasks:
                if audience is not Audience.PPC_FINAL:
                    service.record(
                        i, a, NotificationTaskDone, audience=audience, done_at=when, reference="R-1"
                    )
            return service.get(i)
        case "recovery":
            service.record(i, a, ContainmentRecorded, measure="VPN 機器の交換", done_at=when)
            service.record(i, a, HelpDeskOpened, contact="0120-000-000", hours="平日 9-17時")
            return service.record(i, a, RecoveryConfirmed, note="バックアップから復旧")
        case "after-action":
            for key in AFTER_ACTION_FIELDS:
                service.record(i, a, AfterActionRecorded, field=key, text=f"{key} の内容")
            if Audience.PPC_FINAL in service.get(i).tasks:
                service.record(i, a, NotificationTaskDone, audience=Audience.PPC_FINAL, done_at=when)
            return service.get(i)
    return incident


class Cli:
    """Run the real `main()` with arguments; return (exit code, stdout, stderr)."""

    def __init__(self, capfdbinary: pytest.CaptureFixture[bytes]) -> None:
        self.cap = capfdbinary

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.cap.readouterr()
        sys.argv = ["mamori", *args]
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = self.cap.readouterr()
        self.last_bytes = captured.out
        return code, captured.out.decode("utf-8", "replace"), captured.err.decode("utf-8", "replace")

    def json(self, *args: str) -> dict[str, object]:
        code, out, err = self(*args, "--json")
        assert code == 0, err
        document: dict[str, object] = json.loads(out)
        return document


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfdbinary: pytest.CaptureFixture[bytes]) -> Cli:
    monkeypatch.setenv("MAMORI_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MAMORI_DATABASE_URL", raising=False)
    monkeypatch.setenv("MAMORI_LANG", "en")
    monkeypatch.setenv("MAMORI_ACTOR", "officer@example.com")
    monkeypatch.setenv("MAMORI_BACKUP_DIR", str(tmp_path / "backups"))
    return Cli(capfdbinary)
