"""Run the demo end to end; each capability adds a step here as it lands."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from mamori.bootstrap import Platform, build
from mamori.demo.portal import add_portal_accounts
from mamori.domain.calendar import JST
from mamori.domain.decision import Decision
from mamori.domain.recipients import Recipient
from mamori.domain.requests import Action, PolicyRequest, ProvisionKind
from mamori.errors import ConfigError
from mamori.lake.consent_stream import open_event_file
from mamori.lake.synth import SynthConfig, build_world
from mamori.lake.synth.members import read_members
from mamori.lake.synth.purposes import PURPOSES, TERMS
from mamori.services.consent import publish_terms, register_purpose, register_subjects
from mamori.services.consent_import import import_events
from mamori.services.decisions import decide_for_subject
from mamori.services.snapshot import SnapshotInfo, take_snapshot
from mamori.settings import Settings

MARKER = ".mamori-demo"
ACTOR = "demo"


@dataclass
class DemoReport:
    """What the demo did and where to look."""

    home: Path
    members: int = 0
    events: int = 0
    snapshot: SnapshotInfo | None = None
    decisions: list[tuple[str, Decision]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


Progress = Callable[[str, int, int], None]


def prepare_home(settings: Settings) -> None:
    """Use an empty home, or rebuild one the demo made before; never touch real data."""
    home = settings.home
    if home.exists() and any(home.iterdir()):
        if not (home / MARKER).exists():
            raise ConfigError(
                f"{home} には既にデータがあります。空のフォルダを MAMORI_HOME に指定してください",
                f"{home} already holds data that the demo did not make; point MAMORI_HOME at an empty folder",
            )
        shutil.rmtree(home)
    home.mkdir(parents=True, exist_ok=True)
    (home / MARKER).write_text("made by `mamori demo`; the demo rebuilds this folder\n", encoding="utf-8")


def run_demo(members: int, step: Progress, settings: Settings | None = None) -> DemoReport:
    """Build the synthetic world and run every capability that exists."""
    settings = settings or Settings.from_env()
    if not settings.database_url.startswith("sqlite"):
        raise ConfigError(
            "デモは組み込みの既定（SQLite）で実行します", "the demo runs on the embedded default (SQLite)"
        )
    prepare_home(settings)
    platform = build(settings)
    report = DemoReport(home=settings.home)
    _consent(platform, members, report, step)
    _snapshot(platform, report, step)
    _intake(platform, report, step)
    _match(platform, report, step)
    _provide(platform, report, step)
    _decisions(platform, report)
    _insight(platform, members, report, step)
    _incident(platform, report, step)
    report.notes.extend(add_portal_accounts(platform, ACTOR))
    return report


def _incident(platform: Platform, report: DemoReport, step: Progress) -> None:
    """A misdelivered export walked through the six steps, with the PPC report printed."""
    from mamori.demo.incident import run_demo_incident

    step("incident response / 漏えい等事案の対応", 0, 1)
    incident, files = run_demo_incident(platform, persons=min(1200, report.members))
    step("incident response / 漏えい等事案の対応", 1, 1)
    decision = incident.assessment()
    due = decision.final_due.isoformat() if decision.final_due else "-"
    report.notes.append(
        f"漏えい等事案 / incident {incident.id}: {incident.facts.persons} persons, reportable="
        f"{decision.reportable} {list(decision.rules)}, final report due {due}; six steps closed; "
        f"PPC report and notice in {files[0].parent}"
    )
    report.notes.append("漏えい等事案はコンソールでも / incidents in the console: /console/incidents")


def _consent(platform: Platform, members: int, report: DemoReport, step: Progress) -> None:
    ledger = platform.ledger
    world = platform.settings.home / "synth"
    step("synthetic world / 合成データ", 0, 1)
    build_world(SynthConfig(members=members, seed=20261127), world)
    step("synthetic world / 合成データ", 1, 1)
    step("purposes and terms / 利用目的と規約", 0, 1)
    for purpose in PURPOSES:
        register_purpose(ledger, purpose, ACTOR)
    for terms in TERMS:
        publish_terms(ledger, terms, ACTOR)
    step("purposes and terms / 利用目的と規約", 1, 1)
    people = read_members(world / "members.csv")
    register_subjects(ledger, people, ACTOR)
    report.members = len(people)
    events = open_event_file(world / "consents.csv")
    total = events.estimated_rows()
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        done += rows
        step("consent events / 同意イベント", done, total)

    report.events = import_events(ledger, events, str(world / "consents.csv"), ACTOR, on_rows=advance).rows


def _insight(platform: Platform, members: int, report: DemoReport, step: Progress) -> None:
    from mamori.demo.insight_step import run_insight_step

    if report.snapshot is not None:
        report.notes.extend(run_insight_step(platform, members, report.snapshot.path, step))


def _match(platform: Platform, report: DemoReport, step: Progress) -> None:
    from mamori.demo.match_step import run_match_step

    if report.snapshot is not None:
        world = platform.settings.home / "synth"
        report.notes.extend(run_match_step(platform, world, report.snapshot.path, step))


def _provide(platform: Platform, report: DemoReport, step: Progress) -> None:
    from mamori.demo.provide_step import run_provide_step

    report.notes.extend(run_provide_step(platform, platform.settings.home / "synth", step))


def _intake(platform: Platform, report: DemoReport, step: Progress) -> None:
    from mamori.demo.intake_step import run_intake_step

    report.notes.extend(run_intake_step(platform, platform.settings.home / "synth", step))


def _snapshot(platform: Platform, report: DemoReport, step: Progress) -> None:
    step("consent snapshot / 同意スナップショット", 0, 1)
    now = datetime.now(UTC)
    out = platform.settings.lake_dir / "snapshots" / "consent-latest.parquet"
    report.snapshot = take_snapshot(platform.ledger, platform.snapshots, now, out, platform.settings.policy)
    step("consent snapshot / 同意スナップショット", 1, 1)


def _decisions(platform: Platform, report: DemoReport) -> None:
    """Explain a few decisions that show the rules at work."""
    ledger = platform.ledger
    now = datetime.now(JST)
    advertiser = Recipient("adco", "ad_business", "JP", name="株式会社アドコ")
    abroad = Recipient("adco-us", "ad_business", "US", name="AdCo Inc.")
    insurer = Recipient("ins", "insurer", "JP", name="例示保険株式会社")
    chosen = _interesting_subjects(platform)
    personal = ProvisionKind.PERSONAL_DATA
    for label, subject, purpose, kind, recipient in (
        ("analysis use / 分析への利用", chosen["granted"], "analysis", None, None),
        ("partner provision / 提携先への提供", chosen["provided"], "provide_partners", personal, advertiser),
        ("insurer (not named) / 目的にない提供先", chosen["provided"], "provide_partners", personal, insurer),
        ("recipient abroad / 外国の提供先", chosen["provided"], "provide_partners", personal, abroad),
        ("withdrawn / 撤回済み", chosen["withdrawn"], "provide_partners", personal, advertiser),
        ("v1 only, no re-consent / 旧規約のみで再同意なし", chosen["v1_only"], "profiling", None, None),
    ):
        if subject is None:
            continue
        action = Action.PROVIDE if kind else Action.USE
        request = PolicyRequest(
            f"demo-{subject}", now, subject, action, purpose, ("purchase_history",), kind, recipient
        )
        report.decisions.append((f"{label} — {subject}", decide_for_subject(ledger, request)))


def _interesting_subjects(platform: Platform) -> dict[str, str | None]:
    """Find members whose records illustrate each rule, straight from the ledger's events."""
    rows = platform.ledger.events_table().select(["subject_id", "purpose_id", "action"]).to_pylist()
    by_subject: dict[str, list[tuple[str, str]]] = {}
    for r in rows:
        by_subject.setdefault(r["subject_id"], []).append((r["purpose_id"], r["action"]))
    found: dict[str, str | None] = {"granted": None, "provided": None, "withdrawn": None, "v1_only": None}
    for subject, events in by_subject.items():
        purposes = {p for p, _ in events}
        withdrew = {p for p, a in events if a == "withdraw"}
        if found["granted"] is None and "analysis" in purposes:
            found["granted"] = subject
        if found["provided"] is None and "provide_partners" in purposes - withdrew:
            found["provided"] = subject
        if found["withdrawn"] is None and "provide_partners" in withdrew:
            found["withdrawn"] = subject
        if found["v1_only"] is None and purposes == {"service", "analysis", "targeting"}:
            found["v1_only"] = subject
    return found
