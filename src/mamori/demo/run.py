"""Run the demo end to end; each capability adds a step here as it lands."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from mamori.bootstrap import Platform, build
from mamori.demo.catalogue import PURPOSES, TERMS
from mamori.demo.consent_world import build_world
from mamori.domain.calendar import JST
from mamori.domain.decision import Decision
from mamori.domain.recipients import Recipient
from mamori.domain.requests import Action, PolicyRequest, ProvisionKind
from mamori.errors import ConfigError
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
    _decisions(platform, report)
    return report


def _consent(platform: Platform, members: int, report: DemoReport, step: Progress) -> None:
    ledger = platform.ledger
    step("purposes and terms / 利用目的と規約", 0, 1)
    for purpose in PURPOSES:
        register_purpose(ledger, purpose, ACTOR)
    for terms in TERMS:
        publish_terms(ledger, terms, ACTOR)
    step("purposes and terms / 利用目的と規約", 1, 1)
    world = build_world(members)
    register_subjects(ledger, world.members, ACTOR)
    report.members = len(world.members)
    total = world.events.num_rows
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        done += rows
        step("consent events / 同意イベント", done, total)

    import_events(ledger, world.events, "demo", ACTOR, on_rows=advance)
    report.events = total


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
    insurer = Recipient("ins", "insurer", "JP", name="例示保険株式会社")
    chosen = _interesting_subjects(platform)
    for label, subject, purpose, kind, recipient in (
        ("analysis use / 分析への利用", chosen["granted"], "analysis", None, None),
        (
            "ads provision / 広告事業者への提供",
            chosen["ads"],
            "provide_ads",
            ProvisionKind.PERSONAL_DATA,
            advertiser,
        ),
        (
            "insurer (not named) / 目的にない提供先",
            chosen["ads"],
            "provide_ads",
            ProvisionKind.PERSONAL_DATA,
            insurer,
        ),
        (
            "stale terms / 旧規約での同意",
            chosen["stale"],
            "provide_ads",
            ProvisionKind.PERSONAL_DATA,
            advertiser,
        ),
        ("minor without guardian / 保護者なしの未成年", chosen["minor"], "lifestyle_profiling", None, None),
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
    events = platform.ledger.events_table()
    rows = events.select(["subject_id", "purpose_id", "action", "terms_version", "actor"]).to_pylist()
    withdrawn = {r["subject_id"] for r in rows if r["action"] == "withdraw"}
    guarded = {
        r["subject_id"] for r in rows if r["actor"] == "guardian" and r["purpose_id"] == "lifestyle_profiling"
    }
    found: dict[str, str | None] = {"granted": None, "ads": None, "stale": None, "minor": None}
    for r in rows:
        who, purpose = r["subject_id"], r["purpose_id"]
        if purpose == "analysis" and r["action"] == "grant" and found["granted"] is None:
            found["granted"] = who
        elif (
            purpose == "provide_ads"
            and r["terms_version"] == "2021-07"
            and who not in withdrawn
            and found["ads"] is None
        ):
            found["ads"] = who
        elif purpose == "provide_ads" and r["terms_version"] == "2019-04" and found["stale"] is None:
            found["stale"] = who
        elif (
            purpose == "lifestyle_profiling"
            and r["actor"] == "self"
            and who not in guarded
            and found["minor"] is None
        ):
            subject = platform.ledger.subject(who)
            if subject is not None and subject.guardian:
                found["minor"] = who
    return found
