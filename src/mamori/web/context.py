"""What the application holds once created: the wired platform and the portal's adapters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool

from mamori.bootstrap import Platform, Portal
from mamori.services.data_requests import NoRecords, RecordSource
from mamori.web.commits import AsyncGroupCommit

P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class WebContext:
    """The application's wiring, built by create_app (never at import time)."""

    platform: Platform
    portal: Portal
    # Ports for records other branches produce; wired to their adapters when they land.
    provisions: RecordSource = field(default_factory=NoRecords)
    scores: RecordSource = field(default_factory=NoRecords)
    cache: dict[object, Any] = field(default_factory=dict)
    commits: AsyncGroupCommit | None = None  # consent changes, group-committed (create_app)

    @property
    def inline_reads(self) -> bool:
        """Tell whether short ledger reads run on the event loop itself (the embedded SQLite).

        In WAL mode a SQLite read never waits for a writer (reads begin deferred), takes
        microseconds in C and runs its Python under the GIL either way; handing it to a worker
        thread and back cost more than the read. PostgreSQL reads cross the network: threads.
        """
        return self.platform.ledger.engine.dialect.name == "sqlite"

    async def read(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a short ledger read (a lookup by key), inline on SQLite, else in a worker thread."""
        if self.inline_reads:
            return call(*args, **kwargs)
        return await run_in_threadpool(call, *args, **kwargs)
