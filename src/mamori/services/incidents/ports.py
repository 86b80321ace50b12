"""The ports the incident use cases need; `mamori.testing.incidents` fakes each of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from mamori.domain.incidents.events import IncidentEvent
from mamori.domain.incidents.impact import Exposure
from mamori.services.ports import Clock

__all__ = ["Clock", "ConcurrentChangeError", "EvidenceStore", "IncidentStore", "LineageReader", "StoredFile"]


class ConcurrentChangeError(Exception):
    """Someone else appended to the incident since it was read."""


class IncidentStore(Protocol):
    """Incident event logs; every append also goes to the audit chain in the same transaction."""

    def next_id(self, year: int) -> str:
        """Reserve a new incident id such as INC-2026-0001."""
        ...

    def append(self, incident_id: str, events: Sequence[IncidentEvent], expected_version: int) -> None:
        """Append events after `expected_version` events, refusing if the log moved on."""
        ...

    def events(self, incident_id: str) -> list[IncidentEvent]:
        """Return an incident's events in order (empty when unknown)."""
        ...

    def incident_ids(self) -> list[str]:
        """Return every incident id, oldest first."""
        ...


@dataclass(frozen=True, slots=True)
class StoredFile:
    """An evidence file as the store keeps it: by the SHA-256 it computed itself."""

    sha256: str
    size: int


class EvidenceStore(Protocol):
    """Write-once storage for evidence files, addressed by content hash."""

    def put(self, data: bytes) -> StoredFile:
        """Store bytes and return their hash and size (storing the same bytes twice is one file)."""
        ...

    def get(self, sha256: str) -> bytes:
        """Return stored bytes, refusing if they no longer match their hash."""
        ...


class LineageReader(Protocol):
    """Which subjects and which data items were in a dataset, export or provision."""

    def sources(self) -> list[str]:
        """Return the ids of the datasets/exports/provisions the ledger knows."""
        ...

    def rows(self, source_id: str) -> Sequence[Exposure]:
        """Return the subjects in one source with their items (unknown source: InputError)."""
        ...
