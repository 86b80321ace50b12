"""Group commit: concurrent single-event appends share one write transaction.

SQLite lets one writer in at a time, and in a busy web server the writer also waits for the
GIL after every statement it hands to SQLite, so a transaction per consent change capped the
portal at ~150 changes a second however many clients asked. Here the first caller to find no
write under way becomes the leader: it takes every append queued so far and writes them in ONE
transaction (each event still gets its own position and its own audit entry, exactly as if
written alone, with one anchor advance), while the callers who queued meanwhile wait for that
commit. Nobody returns before the transaction holding their event has committed, so a caller's
"recorded" still means durable — the same promise as a transaction of its own.

Hand-written rather than a library: the standard library's Condition is all it needs, and the
write itself is the ledger's own transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mamori.domain.consent import ConsentEvent


@dataclass(slots=True)
class _Slot:
    event: ConsentEvent
    actor: str
    position: int = 0
    error: BaseException | None = None
    done: bool = False


Write = Callable[[Sequence[tuple[ConsentEvent, str]]], list[int]]


class GroupCommit:
    """Queue appends; one leader at a time commits everything queued in one transaction."""

    def __init__(self, write: Write) -> None:
        self._write = write  # appends the events in one transaction, returns their positions
        self._changed = threading.Condition()
        self._pending: list[_Slot] = []
        self._leading = False

    def append(self, event: ConsentEvent, actor: str) -> int:
        """Append one event on behalf of an actor; return its position once committed."""
        slot = _Slot(event, actor)
        with self._changed:
            self._pending.append(slot)
            while self._leading and not slot.done:
                self._changed.wait()
            lead = not slot.done
            if lead:
                self._leading = True
                batch, self._pending = self._pending, []
        if lead:
            try:
                self._commit(batch)
            finally:
                with self._changed:
                    for taken in batch:  # even on an escaping BaseException, release every waiter
                        if not taken.done:
                            taken.error, taken.done = RuntimeError("group commit interrupted"), True
                    self._leading = False
                    self._changed.notify_all()
        if slot.error is not None:
            raise slot.error
        return slot.position

    def _commit(self, batch: list[_Slot]) -> None:
        """Write the batch; if it fails, every caller in it gets the error.

        Not retried one by one: a failure after the commit (the anchor file) would then write
        the events twice. Events are checked before they are queued, so a batch fails only
        when the database does, which would fail the others anyway.
        """
        try:
            positions = self._write([(s.event, s.actor) for s in batch])
        except Exception as exc:
            for slot in batch:
                slot.error, slot.done = exc, True
            return
        for slot, position in zip(batch, positions, strict=True):
            slot.position, slot.done = position, True
