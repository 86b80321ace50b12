"""The one place that wires settings to concrete adapters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from mamori.lake.snapshot import DuckDBSnapshotEngine
from mamori.ledger.anchor import FileAnchor
from mamori.ledger.engine import make_engine, upgrade
from mamori.ledger.sql_catalog import SqlDatasetCatalog
from mamori.ledger.sql_ledger import SqlLedger
from mamori.settings import Settings


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
