"""The ports the use cases need; adapters implement them, `mamori.testing` fakes them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol

import pyarrow as pa

from mamori.domain.audit import AuditEntry, ChainBreak
from mamori.domain.consent import ConsentEvent
from mamori.domain.purposes import Purpose
from mamori.domain.subjects import Subject
from mamori.domain.terms import TermsHistory, TermsVersion


class Clock(Protocol):
    """Where the time comes from (the domain never reads a clock)."""

    def now(self) -> datetime:
        """Return the current aware instant."""
        ...


class LedgerTransaction(Protocol):
    """Writes that commit together, each audit-chained in the same transaction."""

    def add_purpose(self, purpose: Purpose) -> int:
        """Register an immutable purpose; return its bit in the snapshot mask."""
        ...

    def add_terms(self, terms: TermsVersion) -> None:
        """Publish a terms version."""
        ...

    def add_subjects(self, subjects: Sequence[Subject]) -> int:
        """Register subjects; return how many."""
        ...

    def append_events(self, events: Sequence[ConsentEvent]) -> tuple[int, int]:
        """Append consent events; return the first and last ledger position given."""
        ...

    def append_event_batches(
        self, batches: Iterable[pa.Table], source: str, on_rows: Callable[[int], None] | None = None
    ) -> tuple[int, int]:
        """Append streamed Arrow tables of events (event_table.EVENT_SCHEMA) in bulk, reporting progress.

        Returns the first and last position given (last = first - 1 when the stream was empty).
        """
        ...

    def audit(self, kind: str, actor: str, payload: Mapping[str, Any]) -> AuditEntry:
        """Append an entry to the audit chain."""
        ...


class Ledger(Protocol):
    """The system of record as the use cases see it."""

    def transaction(self, actor: str) -> AbstractContextManager[LedgerTransaction]:
        """Open a write transaction on behalf of an actor."""
        ...

    def append_event(self, event: ConsentEvent, actor: str) -> int:
        """Append one event with its own audit entry; return its position once committed.

        An adapter may commit concurrent calls together (group commit); each call still
        returns only after the commit that holds its event.
        """
        ...

    def append_each(self, items: Sequence[tuple[ConsentEvent, str]]) -> list[int]:
        """Append events in one transaction, each with its own audit entry by its own actor.

        The chain reads as if each had been appended alone; return their positions.
        """
        ...

    def purposes(self) -> dict[str, Purpose]:
        """Return every registered purpose."""
        ...

    def purpose_bits(self) -> dict[str, int]:
        """Return each purpose's bit in the snapshot mask."""
        ...

    def terms(self) -> TermsHistory:
        """Return every terms version."""
        ...

    def subject(self, subject_id: str) -> Subject | None:
        """Return one subject."""
        ...

    def events_for(self, subject_id: str) -> list[ConsentEvent]:
        """Return one subject's consent events in ledger order."""
        ...

    def position(self) -> int:
        """Return the last ledger position (consent events)."""
        ...

    def audit_entries(self) -> Iterator[AuditEntry]:
        """Return the audit chain in stored order."""
        ...

    def verify_audit(self) -> ChainBreak | None:
        """Verify the chain and everything it covers; None when intact."""
        ...
