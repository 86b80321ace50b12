"""Group commit on the event loop: consent changes arriving together are written together.

SQLite lets one writer in at a time, so a transaction per consent change capped the portal at
~150 changes a second however many clients asked. Here a request that changes a consent
awaits a future: the first one finds no write under way and starts a writer task, which takes
everything queued and writes it in one ledger transaction (`Ledger.append_each`: each event
keeps its own position and its own audit entry, one anchor advance), then the next batch.
A request is answered only after the commit that holds its event, so its 303 still means the
change is durable.

On the embedded SQLite the batch is written on the event loop itself when the write lock is
free (`append_each_now`, a few milliseconds for dozens of events): handing it to a worker
thread cost far more on a busy machine (every hand-off between threads waits for the GIL and
the scheduler; measured ~40 ms a batch against ~6 ms of work), and under the GIL the process
runs one thread at a time anyway. When another writer holds the lock (an import, the CLI),
the batch waits in a worker thread instead, so the loop never sleeps on a lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from starlette.concurrency import run_in_threadpool

from mamori.domain.consent import ConsentEvent

Write = Callable[[Sequence[tuple[ConsentEvent, str]]], list[int]]
WriteNow = Callable[[Sequence[tuple[ConsentEvent, str]]], list[int] | None]
_Queued = tuple[ConsentEvent, str, "asyncio.Future[int]"]


class AsyncGroupCommit:
    """Queue appends from requests; one writer task at a time commits what is queued."""

    def __init__(self, write: Write, write_now: WriteNow | None = None) -> None:
        self._write = write
        self._write_now = write_now
        self._pending: list[_Queued] = []
        self._writer: asyncio.Task[None] | None = None

    async def append(self, event: ConsentEvent, actor: str) -> int:
        """Append one event on behalf of an actor; return its position once committed."""
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._pending.append((event, actor, done))
        if self._writer is None or self._writer.get_loop() is not done.get_loop():
            # A task of its own, so that a request cancelled (client gone) never stops a
            # write other requests are waiting for.
            self._writer = asyncio.create_task(self._drain())
        return await asyncio.shield(done)

    async def _drain(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                await self._commit(batch)
                await asyncio.sleep(0)  # let the requests that are ready queue up for the next batch
        finally:
            self._writer = None

    async def _commit(self, batch: list[_Queued]) -> None:
        """Write the batch; if it fails, every request in it gets the error (see GroupCommit)."""
        items = [(e, a) for e, a, _ in batch]
        try:
            positions = self._write_now(items) if self._write_now is not None else None
            if positions is None:
                positions = await run_in_threadpool(self._write, items)
        except asyncio.CancelledError:  # the server is stopping: nobody may wait forever
            for _, _, done in batch:
                _settle(done, error=RuntimeError("server stopping; the change may not be recorded"))
            raise
        except Exception as exc:
            for _, _, done in batch:
                _settle(done, error=exc)
            return
        for (_, _, done), position in zip(batch, positions, strict=True):
            _settle(done, position)


def _settle(done: asyncio.Future[int], position: int = 0, error: Exception | None = None) -> None:
    if done.cancelled():
        return
    if error is not None:
        done.set_exception(error)
    else:
        done.set_result(position)
