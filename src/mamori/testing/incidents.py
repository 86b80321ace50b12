"""In-memory fakes of the incident ports: a store, evidence, lineage and a settable clock."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from mamori.domain.incidents.events import IncidentEvent
from mamori.domain.incidents.impact import Exposure
from mamori.errors import InputError
from mamori.services.incidents.codec import from_payload, to_payload
from mamori.services.incidents.ports import ConcurrentChangeError, StoredFile


@dataclass
class FixedClock:
    """A clock that stays where it is put; `advance` moves it."""

    at: datetime

    def now(self) -> datetime:
        """Return the set instant."""
        return self.at

    def advance(self, **delta: float) -> None:
        """Move the clock forward."""
        self.at += timedelta(**delta)


@dataclass
class InMemoryIncidentStore:
    """Keeps events as payloads (round-tripping the codec, as a real store does) plus an audit list."""

    logs: dict[str, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)
    audit: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    counters: dict[int, int] = field(default_factory=dict)

    def next_id(self, year: int) -> str:
        """Reserve the next id of the year."""
        self.counters[year] = self.counters.get(year, 0) + 1
        return f"INC-{year}-{self.counters[year]:04d}"

    def append(self, incident_id: str, events: Sequence[IncidentEvent], expected_version: int) -> None:
        """Append after checking the version, auditing each event."""
        log = self.logs.setdefault(incident_id, [])
        if len(log) != expected_version:
            raise ConcurrentChangeError(incident_id)
        for event in events:
            payload = to_payload(event)
            log.append((event.name, payload))
            self.audit.append((event.name, event.actor, payload))

    def events(self, incident_id: str) -> list[IncidentEvent]:
        """Return the decoded log."""
        return [from_payload(kind, payload) for kind, payload in self.logs.get(incident_id, [])]

    def incident_ids(self) -> list[str]:
        """Return ids in opening order."""
        return list(self.logs)


@dataclass
class InMemoryEvidenceStore:
    """Content-addressed bytes in a dict."""

    blobs: dict[str, bytes] = field(default_factory=dict)

    def put(self, data: bytes) -> StoredFile:
        """Store and hash."""
        digest = hashlib.sha256(data).hexdigest()
        self.blobs[digest] = data
        return StoredFile(digest, len(data))

    def get(self, sha256: str) -> bytes:
        """Return the bytes, refusing if they were altered."""
        data = self.blobs[sha256]
        if hashlib.sha256(data).hexdigest() != sha256:
            raise InputError("証拠が改ざんされています", "the evidence was altered", field=sha256)
        return data


@dataclass
class FakeLineage:
    """Sources and their exposures, given up front."""

    data: Mapping[str, Sequence[Exposure]]

    def sources(self) -> list[str]:
        """Return the known source ids."""
        return sorted(self.data)

    def rows(self, source_id: str) -> Sequence[Exposure]:
        """Return a source's rows or name the unknown source."""
        if source_id not in self.data:
            raise InputError(
                f"データセットがありません: {source_id}", f"no such dataset: {source_id}", field="source"
            )
        return self.data[source_id]


@dataclass
class InMemoryOutbox:
    """Keeps the messages and the manifest in lists."""

    channel: str = "memory"
    messages: list[Any] = field(default_factory=list)
    manifests: dict[str, str] = field(default_factory=dict)

    def put(self, message: Any) -> str:
        """Keep the message; its id is its position."""
        self.messages.append(message)
        return f"<{len(self.messages)}@memory.invalid>"

    def put_manifest(self, incident_id: str, text: str) -> None:
        """Keep the manifest."""
        self.manifests[incident_id] = text
