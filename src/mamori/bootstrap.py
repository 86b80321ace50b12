"""The one place that wires settings to concrete adapters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from mamori.files.evidence import FileEvidenceStore
from mamori.files.outbox import EmailOutbox
from mamori.lake.export_files import ExportFileInfo
from mamori.lake.insight.score_source import ScoresOfSubject
from mamori.lake.release_results import JsonReleaseResults
from mamori.lake.snapshot import DuckDBSnapshotEngine
from mamori.ledger.anchor import FileAnchor
from mamori.ledger.engine import make_engine, upgrade
from mamori.ledger.incidents import SqlIncidentStore
from mamori.ledger.lineage import SqlProvisionLineage
from mamori.ledger.mail import OutboxMailer, SmtpMailer
from mamori.ledger.portal_notices import PortalOutbox, SqlPortalNotices
from mamori.ledger.portal_sources import ProvisionsOfSubject
from mamori.ledger.portal_store import SqlPortalStore
from mamori.ledger.provisions import SqlProvisionStore
from mamori.ledger.records_reads import SqlInsightLog, SqlLineageReads
from mamori.ledger.sql_catalog import SqlDatasetCatalog
from mamori.ledger.sql_ledger import SqlLedger
from mamori.services.incidents.notices import Outbox
from mamori.services.incidents.ports import LineageReader
from mamori.services.incidents.usecases import IncidentService
from mamori.settings import Settings

if TYPE_CHECKING:
    from mamori.domain.insight.spec import InsightSpec
    from mamori.services.insight import Release


class SystemClock:
    """The real clock (the domain never reads it; use cases get it from here)."""

    def now(self) -> datetime:
        """Return the current instant."""
        return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Platform:
    """The wired application: settings and the adapters built from them."""

    settings: Settings
    ledger: SqlLedger
    snapshots: DuckDBSnapshotEngine
    clock: SystemClock
    catalog: SqlDatasetCatalog


def build(settings: Settings | None = None) -> Platform:
    """Wire the platform; creates and migrates the ledger on first use (no separate init step)."""
    settings = settings or Settings.from_env()
    settings.home.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    clock = SystemClock()
    ledger = SqlLedger(engine, FileAnchor(settings.home / "audit-anchor.json"), clock)
    return Platform(
        settings=settings,
        ledger=ledger,
        snapshots=DuckDBSnapshotEngine(),
        clock=clock,
        catalog=SqlDatasetCatalog(ledger),
    )


def incident_service(
    platform: Platform, lineage: LineageReader | None = None, *, provisions: bool = False
) -> IncidentService:
    """Wire the incident use cases to the ledger, the evidence folder and lineage.

    Lineage is the given reader, or with `provisions=True` the ledger's provision records.
    """
    evidence = FileEvidenceStore(platform.settings.home / "incidents" / "evidence")
    if provisions:
        lineage = SqlProvisionLineage(platform.ledger)
    return IncidentService(
        SqlIncidentStore(platform.ledger), platform.clock, evidence=evidence, lineage=lineage
    )


@dataclass(frozen=True, slots=True)
class Portal:
    """The portal's adapters: its store, the mail sender the settings choose, per-member records."""

    store: SqlPortalStore
    mailer: OutboxMailer | SmtpMailer
    provisions: ProvisionsOfSubject
    scores: ScoresOfSubject


def build_portal(platform: Platform) -> Portal:
    """Wire the portal's store and mailer (SMTP when MAMORI_SMTP_HOST is set, else the outbox)."""
    store = SqlPortalStore(platform.ledger)
    settings = platform.settings
    mailer: OutboxMailer | SmtpMailer = (
        SmtpMailer(settings.smtp_host, settings.smtp_port, settings.mail_from)
        if settings.smtp_host
        else OutboxMailer(store)
    )
    provisions = ProvisionsOfSubject(SqlProvisionStore(platform.ledger))
    scores = ScoresOfSubject(settings.lake_dir / "profiles" / "scores.parquet")
    return Portal(store, mailer, provisions, scores)


class LakeInsightRunner:
    """Runs insight specs on the lake over a consent snapshot no older than the ledger."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    def run(self, spec: InsightSpec, actor: str) -> Release:
        """Run and record one release (services.insight.run_insight decides everything)."""
        from mamori.lake.insight.engine import DuckDBInsightEngine
        from mamori.lake.insight.populations import RunPopulations
        from mamori.lake.release_results import FreshSnapshots, insight_world
        from mamori.ledger.insight_store import SqlInsightStore
        from mamori.services.insight import run_insight

        p = self.platform
        lake = p.settings.lake_dir
        snapshot = FreshSnapshots(p.settings, p.ledger, p.snapshots).current(p.clock.now())
        engine = DuckDBInsightEngine(insight_world(lake, snapshot, spec))
        return run_insight(spec, p.ledger, SqlInsightStore(p.ledger), engine, RunPopulations(lake), actor)


@dataclass(frozen=True, slots=True)
class Records:
    """What the console's record pages and the partner API read: provisions, lineage, insight."""

    provisions: SqlLineageReads
    insight: SqlInsightLog
    results: JsonReleaseResults
    exports: ExportFileInfo
    runner: LakeInsightRunner


def build_records(platform: Platform) -> Records:
    """Wire the provision and insight ledgers, the kept release rows and the insight runner."""
    return Records(
        provisions=SqlLineageReads(platform.ledger),
        insight=SqlInsightLog(platform.ledger),
        results=JsonReleaseResults(platform.settings.lake_dir / "insight" / "releases"),
        exports=ExportFileInfo(),
        runner=LakeInsightRunner(platform),
    )


@dataclass(frozen=True, slots=True)
class IncidentConsole:
    """What the console's incident pages use: the use cases over provision lineage, and notices."""

    service: IncidentService
    notices: SqlPortalNotices
    platform: Platform

    def portal_outbox(self, incident_id: str) -> Outbox:
        """Return the member portal channel for one incident's notices."""
        return PortalOutbox(
            self.platform.ledger, incident_id, self.platform.settings.home / "incidents" / "notices"
        )

    def email_outbox(self, incident_id: str) -> Outbox:
        """Return the email outbox folder `mamori incident send-notices` also writes to."""
        return EmailOutbox(
            self.platform.settings.home / "outbox", incident_id, self.platform.settings.mail_from
        )

    def lineage_sources(self) -> list[str]:
        """Return the lineage ids of the ledger's provisions, oldest first."""
        return SqlProvisionLineage(self.platform.ledger).sources()


def build_incident_console(platform: Platform) -> IncidentConsole:
    """Wire the console's incident pages (lineage = the ledger's provision records)."""
    return IncidentConsole(
        incident_service(platform, provisions=True), SqlPortalNotices(platform.ledger), platform
    )
