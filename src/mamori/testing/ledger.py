"""An in-memory ledger implementing the `Ledger` port, for testing use cases without a database."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from mamori.domain.audit import GENESIS, Anchor, AuditEntry, ChainBreak, link, verify_chain
from mamori.domain.consent import Actor, ConsentAction, ConsentEvent
from mamori.domain.purposes import Purpose
from mamori.domain.subjects import Subject
from mamori.domain.terms import TermsHistory, TermsVersion
from mamori.errors import InputError
from mamori.services.event_table import EVENT_SCHEMA, SUBJECT_SCHEMA


class FixedClock:
    """A clock that says what the test wants."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        """Return the set instant."""
        return self.current


class _Transaction:
    def __init__(self, ledger: InMemoryLedger, actor: str) -> None:
        self.ledger = ledger
        self.actor = actor
        self.staged_audit: list[AuditEntry] = []
        self.staged_events: list[ConsentEvent] = []
        self.staged_purposes: dict[str, tuple[Purpose, int]] = {}
        self.staged_terms: list[TermsVersion] = []
        self.staged_subjects: list[Subject] = []

    def add_purpose(self, purpose: Purpose) -> int:
        if purpose.id in self.ledger._purposes or purpose.id in self.staged_purposes:
            raise InputError(
                f"目的 {purpose.id} は登録済みです", f"purpose {purpose.id} exists", field="purpose.id"
            )
        bit = len(self.ledger._purposes) + len(self.staged_purposes)
        self.staged_purposes[purpose.id] = (purpose, bit)
        self.audit("purpose-registered", self.actor, {"id": purpose.id, "bit": bit})
        return bit

    def add_terms(self, terms: TermsVersion) -> None:
        self.staged_terms.append(terms)
        self.audit("terms-published", self.actor, {"version": terms.version})

    def add_subjects(self, subjects: Sequence[Subject]) -> int:
        self.staged_subjects.extend(subjects)
        self.audit("subjects-registered", self.actor, {"count": len(subjects)})
        return len(subjects)

    def append_events(self, events: Sequence[ConsentEvent]) -> tuple[int, int]:
        first = len(self.ledger._events) + len(self.staged_events) + 1
        self.staged_events.extend(replace(e, seq=first + i) for i, e in enumerate(events))
        last = first + len(events) - 1
        self.audit("consent-events-appended", self.actor, {"events": [first, last]})
        return first, last

    def append_event_batches(
        self, batches: Iterable[pa.Table], source: str, on_rows: Callable[[int], None] | None = None
    ) -> tuple[int, int]:
        table = pa.concat_tables([EVENT_SCHEMA.empty_table(), *(b.cast(EVENT_SCHEMA) for b in batches)])
        events = [
            ConsentEvent(
                r["subject_id"],
                r["purpose_id"],
                ConsentAction(r["action"]),
                r["at"],
                r["terms_version"],
                Actor(r["actor"]),
                r["channel"],
                r["text_hash"],
            )
            for r in table.to_pylist()
        ]
        span = self.append_events(events)
        if on_rows is not None:
            on_rows(len(events))
        return span

    def audit(self, kind: str, actor: str, payload: Mapping[str, Any]) -> AuditEntry:
        chain = self.ledger._audit + self.staged_audit
        prev = chain[-1].hash if chain else GENESIS
        at = self.ledger.clock.now().astimezone(UTC).isoformat(timespec="microseconds")
        entry = link(prev, len(chain) + 1, kind, actor, at, payload)
        self.staged_audit.append(entry)
        return entry

    def commit(self) -> None:
        self.ledger._audit.extend(self.staged_audit)
        self.ledger._events.extend(self.staged_events)
        self.ledger._purposes.update(self.staged_purposes)
        self.ledger._terms.extend(self.staged_terms)
        self.ledger._subjects.update({s.id: s for s in self.staged_subjects})


class InMemoryLedger:
    """Keeps everything in lists; a transaction commits all its writes or none."""

    def __init__(self, clock: FixedClock | None = None) -> None:
        self.clock = clock or FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
        self._audit: list[AuditEntry] = []
        self._events: list[ConsentEvent] = []
        self._purposes: dict[str, tuple[Purpose, int]] = {}
        self._terms: list[TermsVersion] = []
        self._subjects: dict[str, Subject] = {}

    @contextmanager
    def transaction(self, actor: str) -> Iterator[_Transaction]:
        """Open a transaction; an exception inside discards its writes."""
        tx = _Transaction(self, actor)
        yield tx
        tx.commit()

    def append_event(self, event: ConsentEvent, actor: str) -> int:
        """Append one event in a transaction of its own (no concurrency to group here)."""
        with self.transaction(actor) as tx:
            first, _ = tx.append_events([event])
        return first

    def append_each(self, items: Sequence[tuple[ConsentEvent, str]]) -> list[int]:
        """Append events each with its own audit entry, all or none."""
        positions = []
        with self.transaction("group-commit") as tx:
            for event, actor in items:
                first = len(self._events) + len(tx.staged_events) + 1
                tx.staged_events.append(replace(event, seq=first))
                tx.audit(event.name, actor, {"events": [first, first]})
                positions.append(first)
        return positions

    def purposes(self) -> dict[str, Purpose]:
        """Return every registered purpose."""
        return {k: p for k, (p, _) in self._purposes.items()}

    def purpose_bits(self) -> dict[str, int]:
        """Return each purpose's bit."""
        return {k: b for k, (_, b) in self._purposes.items()}

    def terms(self) -> TermsHistory:
        """Return every terms version."""
        return TermsHistory(self._terms)

    def subject(self, subject_id: str) -> Subject | None:
        """Return one subject."""
        return self._subjects.get(subject_id)

    def events_for(self, subject_id: str) -> list[ConsentEvent]:
        """Return one subject's events in ledger order."""
        return [e for e in self._events if e.subject == subject_id]

    def position(self) -> int:
        """Return the last position."""
        return len(self._events)

    def events_table(self, upto: int | None = None) -> pa.Table:
        """Return events as an Arrow table."""
        rows = [
            {
                "seq": e.seq,
                "subject_id": e.subject,
                "purpose_id": e.purpose,
                "action": e.action.value,
                "at": e.at,
                "terms_version": e.terms,
                "actor": e.by.value,
                "channel": e.channel,
                "text_hash": e.text_hash,
            }
            for e in self._events
            if upto is None or e.seq <= upto
        ]
        return pa.Table.from_pylist(rows, schema=EVENT_SCHEMA)

    def subjects_table(self) -> pa.Table:
        """Return subjects as an Arrow table."""
        rows = [
            {"id": s.id, "birth_date": s.birth_date, "guardian_id": s.guardian}
            for s in self._subjects.values()
        ]
        return pa.Table.from_pylist(rows, schema=SUBJECT_SCHEMA)

    def audit_entries(self) -> Iterator[AuditEntry]:
        """Return the audit chain."""
        return iter(list(self._audit))

    def verify_audit(self) -> ChainBreak | None:
        """Verify the chain (the head is its own anchor here)."""
        head = Anchor(self._audit[-1].seq, self._audit[-1].hash) if self._audit else None
        return verify_chain(self._audit, head)
