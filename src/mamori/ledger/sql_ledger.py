"""The ledger over SQLAlchemy: reads, and write transactions that audit-chain every change."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, Engine, bindparam, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from mamori.domain.audit import GENESIS, Anchor, AuditEntry, ChainBreak, link
from mamori.domain.consent import ConsentEvent
from mamori.domain.purposes import Purpose
from mamori.domain.subjects import Subject
from mamori.domain.terms import TermsHistory, TermsVersion
from mamori.errors import InputError, LedgerError
from mamori.ledger import bulk, mapping
from mamori.ledger.anchor import FileAnchor
from mamori.ledger.catalogue import Catalogue
from mamori.ledger.engine import writing
from mamori.ledger.event_lines import arrow_lines, bytes_digest, event_line, lines_digest
from mamori.ledger.fast_read import FastRead
from mamori.ledger.group_commit import GroupCommit
from mamori.ledger.tables.audit import audit_log
from mamori.ledger.tables.consent import consent_events, ledger_heads, purposes, subjects, terms_versions
from mamori.ledger.verify import verify_ledger
from mamori.ledger.writer_lock import WriterLock
from mamori.services.event_table import SUBJECT_SCHEMA
from mamori.services.ports import Clock

_WRITER_LOCK = 727001  # PostgreSQL advisory lock id serializing ledger writers
BULK_CHUNK = 100_000  # events per COPY and per audit entry
_SUBJECT = select(subjects).where(subjects.c.id == bindparam("subject_id"))  # every grant checks it


class SqlTransaction:
    """One write transaction; every change is audit-chained before it commits."""

    def __init__(self, connection: Connection, actor: str, clock: Clock) -> None:
        self.connection = connection
        self.actor = actor
        self.clock = clock
        self.head: Anchor | None = None
        self._event_position: int | None = None

    def _next_event_position(self) -> int:
        if self._event_position is None:
            head = ledger_heads.c.position
            found = self.connection.execute(
                select(head).where(ledger_heads.c.log == "consent_events")
            ).scalar()
            self._event_position = int(found or 0)
        return self._event_position + 1

    def _advance_events(self, last: int) -> None:
        self._event_position = last
        self.connection.execute(
            update(ledger_heads).where(ledger_heads.c.log == "consent_events").values(position=last)
        )

    def add_purpose(self, purpose: Purpose) -> int:
        """Register an immutable purpose; return its bit in the snapshot mask."""
        bit = int(
            self.connection.execute(select(func.coalesce(func.max(purposes.c.bit) + 1, 0))).scalar_one()
        )
        row = mapping.purpose_row(purpose, bit, self.clock.now())
        try:
            self.connection.execute(insert(purposes).values(**row))
        except IntegrityError as exc:
            raise InputError(
                f"目的 {purpose.id} は登録済みです（目的は変更できません。広げる場合は新しい id で登録します）",
                f"purpose {purpose.id} exists (purposes are immutable; a widened purpose is a new id)",
                field="purpose.id",
            ) from exc
        self.audit("purpose-registered", self.actor, {k: v for k, v in row.items() if k != "created_at"})
        return bit

    def add_terms(self, terms: TermsVersion) -> None:
        """Publish a terms version."""
        row = {
            "version": terms.version,
            "effective": terms.effective,
            "purposes": json.dumps(sorted(terms.purposes), ensure_ascii=False),
            "text_hash": terms.text_hash,
            "created_at": self.clock.now(),
        }
        try:
            self.connection.execute(insert(terms_versions).values(**row))
        except IntegrityError as exc:
            raise InputError(
                f"規約版 {terms.version} は公開済みです",
                f"terms version {terms.version} exists",
                field="terms.version",
            ) from exc
        self.audit("terms-published", self.actor, {**row, "created_at": None})

    def add_subjects(self, people: Sequence[Subject]) -> int:
        """Register subjects; return how many."""
        rows = [{"id": s.id, "birth_date": s.birth_date, "guardian_id": s.guardian} for s in people]
        bulk.insert_rows(self.connection, subjects, rows)
        ids_digest = lines_digest(f"{s.id}\n" for s in people)
        self.audit("subjects-registered", self.actor, {"count": len(rows), "digest": ids_digest})
        return len(rows)

    def append_events(self, events: Sequence[ConsentEvent]) -> tuple[int, int]:
        """Append consent events (append-only); return the positions given."""
        first = self._next_event_position()
        rows = [mapping.event_row(first + i, e) for i, e in enumerate(events)]
        self.connection.execute(insert(consent_events), rows)
        last = first + len(rows) - 1
        self._advance_events(last)
        digest = lines_digest(event_line(first + i, e) for i, e in enumerate(events))
        kind = events[0].name if len(events) == 1 else "consent-events-appended"
        payload: dict[str, Any] = {"events": [first, last], "digest": digest}
        if len(events) == 1:
            payload.update(subject=events[0].subject, purpose=events[0].purpose, terms=events[0].terms)
        self.audit(kind, self.actor, payload)
        return first, last

    def append_each(self, items: Sequence[tuple[ConsentEvent, str]]) -> list[int]:
        """Append events each with its own audit entry (by its own actor), in few statements.

        The audit chain reads exactly as if every event had been appended alone
        (`append_events([event])` in a transaction of its own): the group commit relies on it.
        """
        first = self._next_event_position()
        events = [event for event, _ in items]
        self.connection.execute(
            insert(consent_events), [mapping.event_row(first + i, e) for i, e in enumerate(events)]
        )
        self._advance_events(first + len(events) - 1)
        entries = []
        for i, (event, actor) in enumerate(items):
            position = first + i
            payload = {
                "events": [position, position],
                "digest": lines_digest([event_line(position, event)]),
                "subject": event.subject,
                "purpose": event.purpose,
                "terms": event.terms,
            }
            entries.append(self._link(event.name, actor, payload))
        self._insert_entries(entries)
        return [first + i for i in range(len(events))]

    def append_event_batches(
        self, batches: Iterable[pa.Table], source: str, on_rows: Callable[[int], None] | None = None
    ) -> tuple[int, int]:
        """Append validated events in bulk as they stream in, one audit entry per chunk.

        Each chunk's entry holds the digest of its canonical lines; on PostgreSQL all chunks travel
        as one binary COPY that a writer thread sends while the next chunk is read and rendered.
        """
        first = self._next_event_position()
        position = first
        spans: list[tuple[int, int, str]] = []
        with bulk.event_writer(self.connection, BULK_CHUNK) as writer:
            for chunk in bulk.rechunk(batches, BULK_CHUNK):
                numbered = bulk.number_events(chunk, position)
                writer.write(numbered)
                last = position + numbered.num_rows - 1
                spans.append((position, last, bytes_digest(arrow_lines(numbered))))
                position = last + 1
                if on_rows is not None:
                    on_rows(numbered.num_rows)
        for lo, hi, digest in spans:
            self.audit(
                "consent-events-imported",
                self.actor,
                {"events": [lo, hi], "digest": digest, "source": source},
            )
        if position > first:
            self._advance_events(position - 1)
        return first, position - 1

    def audit(self, kind: str, actor: str, payload: Mapping[str, Any]) -> AuditEntry:
        """Append an entry to the audit chain."""
        entry = self._link(kind, actor, payload)
        self._insert_entries([entry])
        return entry

    def _link(self, kind: str, actor: str, payload: Mapping[str, Any]) -> AuditEntry:
        """Chain the next entry onto the head (read once per transaction, then kept here)."""
        if self.head is None:
            last = self.connection.execute(
                select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
            ).first()
            self.head = Anchor(int(last.seq), str(last.hash)) if last else Anchor(0, GENESIS)
        at = self.clock.now().astimezone(UTC).isoformat(timespec="microseconds")
        entry = link(self.head.hash, self.head.seq + 1, kind, actor, at, payload)
        self.head = Anchor(entry.seq, entry.hash)
        return entry

    def _insert_entries(self, entries: Sequence[AuditEntry]) -> None:
        self.connection.execute(
            insert(audit_log),
            [
                {
                    "seq": e.seq,
                    "kind": e.kind,
                    "actor": e.actor,
                    "at": e.at,
                    "payload": e.payload,
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                }
                for e in entries
            ],
        )


class SqlLedger:
    """The ledger over an engine, with the chain head anchored in a file."""

    def __init__(self, engine: Engine, anchor: FileAnchor, clock: Clock) -> None:
        self.engine = engine
        self.anchor = anchor
        self.clock = clock
        # SQLite serializes writers with BEGIN IMMEDIATE, but a waiting writer sleeps in SQLite's
        # busy handler; queueing this process's writers on a lock first keeps a busy web server
        # from spending its time asleep (PostgreSQL queues on the advisory lock instead).
        self._writers: threading.Lock | None = threading.Lock() if engine.dialect.name == "sqlite" else None
        self._process_writers = (
            WriterLock(anchor.path.with_name("ledger-writers.lock")) if self._writers is not None else None
        )
        self._group = GroupCommit(self.append_each)
        self._catalogue = Catalogue(engine)
        self._subject = FastRead(engine, _SUBJECT)

    @contextmanager
    def transaction(self, actor: str) -> Iterator[SqlTransaction]:
        """Open a write transaction; writers are serialized so positions never collide."""
        with self._writers or nullcontext(), self._queue(wait=True), self._open(actor, wait=True) as tx:
            yield tx

    def _queue(self, wait: bool) -> AbstractContextManager[bool]:
        """Queue behind the writers of other processes (SQLite; PostgreSQL has its advisory lock)."""
        return self._process_writers.hold(wait) if self._process_writers else nullcontext(True)

    @contextmanager
    def _open(self, actor: str, wait: bool) -> Iterator[SqlTransaction]:
        with writing(self.engine, wait) as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _WRITER_LOCK})
            tx = SqlTransaction(connection, actor, self.clock)
            yield tx
        if tx.head is not None and tx.head.seq > 0:
            self.anchor.advance(tx.head)

    def append_each_now(self, items: Sequence[tuple[ConsentEvent, str]]) -> list[int] | None:
        """Do `append_each` if no other writer holds SQLite's write lock; else write nothing, None.

        For a caller that must not wait (the web server's event loop); PostgreSQL: always None.
        """
        if self._writers is None or not self._writers.acquire(blocking=False):
            return None
        try:
            with self._queue(wait=False) as free:
                if not free:
                    return None
                with self._open("group-commit", wait=False) as tx:
                    return tx.append_each(items)
        except OperationalError as exc:
            if "locked" in str(exc.orig):  # the transaction rolled back: nothing was written
                return None
            raise
        finally:
            self._writers.release()

    def append_event(self, event: ConsentEvent, actor: str) -> int:
        """Append one event with its own audit entry; return its position once committed.

        Concurrent callers in this process share one transaction (group commit), so a busy
        portal writes its consent changes in batches; each caller still returns only after
        the commit that holds its event.
        """
        return self._group.append(event, actor)

    def append_each(self, items: Sequence[tuple[ConsentEvent, str]]) -> list[int]:
        """Append events in one transaction, each with its own audit entry by its own actor."""
        with self.transaction("group-commit") as tx:
            return tx.append_each(items)

    def purposes(self) -> dict[str, Purpose]:
        """Return every registered purpose."""
        return dict(self._catalogue.current()[0])

    def purpose_bits(self) -> dict[str, int]:
        """Return each purpose's bit in the snapshot mask."""
        with self.engine.connect() as c:
            return {r.id: int(r.bit) for r in c.execute(select(purposes.c.id, purposes.c.bit))}

    def terms(self) -> TermsHistory:
        """Return every terms version."""
        return self._catalogue.current()[1]

    def subject(self, subject_id: str) -> Subject | None:
        """Return one subject."""
        row = self._subject.first(subject_id=subject_id)
        return Subject(row["id"], row["birth_date"], row["guardian_id"]) if row else None

    def subjects_table(self) -> pa.Table:
        """Return every subject as an Arrow table (id, birth_date, guardian_id)."""
        with self.engine.connect() as c:
            return bulk.read_table(
                c, select(subjects.c.id, subjects.c.birth_date, subjects.c.guardian_id), SUBJECT_SCHEMA
            )

    def events_table(self, upto: int | None = None) -> pa.Table:
        """Return consent events up to a position as an Arrow table (the snapshot's input)."""
        query = select(*consent_events.c).order_by(consent_events.c.seq)
        if upto is not None:
            query = query.where(consent_events.c.seq <= upto)
        with self.engine.connect() as c:
            return bulk.read_events(c, query)

    def events_for(self, subject_id: str) -> list[ConsentEvent]:
        """Return one subject's consent events in ledger order."""
        query = (
            select(consent_events)
            .where(consent_events.c.subject_id == subject_id)
            .order_by(consent_events.c.seq)
        )
        with self.engine.connect() as c:
            return [mapping.event_from(r) for r in c.execute(query)]

    def position(self) -> int:
        """Return the last ledger position (consent events)."""
        with self.engine.connect() as c:
            head = select(ledger_heads.c.position).where(ledger_heads.c.log == "consent_events")
            return int(c.execute(head).scalar_one())

    def audit_entries(self) -> Iterator[AuditEntry]:
        """Return the audit chain in stored order."""
        with self.engine.connect() as c:
            for r in c.execute(select(audit_log).order_by(audit_log.c.seq)):
                yield AuditEntry(int(r.seq), r.kind, r.actor, r.at, r.payload, r.prev_hash, r.hash)

    def verify_audit(self) -> ChainBreak | None:
        """Verify the chain, its anchor, and the consent events each entry covers."""
        try:
            with self.engine.connect() as c:
                return verify_ledger(c, self.anchor.read())
        except LedgerError:
            raise
        except Exception as exc:
            raise LedgerError(
                f"監査ログを検証できません：{exc}", f"cannot verify the audit log: {exc}"
            ) from exc
