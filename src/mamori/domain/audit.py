"""The audit chain format: each entry carries the hash of the previous one.

An entry's hash covers its kind, actor, time, payload and the previous entry's hash, so that a
change, deletion, insertion or reordering anywhere breaks the chain where it happened. The
chain's head is also anchored outside the database, which catches a forged entry appended at
the end or a truncated tail.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64


def canonical(payload: Mapping[str, Any]) -> str:
    """Serialize a payload deterministically (sorted keys, no spaces, UTF-8 kept)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(prev_hash: str, kind: str, actor: str, at: str, payload: str) -> str:
    """Hash one entry together with its predecessor's hash."""
    digest = hashlib.sha256()
    for part in (prev_hash, kind, actor, at, payload):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x1f")  # unit separator: no field can run into the next
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One link of the chain as stored."""

    seq: int
    kind: str  # kebab-case event name, e.g. "consent-granted"
    actor: str
    at: str  # ISO 8601 instant, UTC
    payload: str  # canonical JSON
    prev_hash: str
    hash: str

    def recomputed(self) -> str:
        """Return the hash this entry should carry."""
        return entry_hash(self.prev_hash, self.kind, self.actor, self.at, self.payload)


def link(prev_hash: str, seq: int, kind: str, actor: str, at: str, payload: Mapping[str, Any]) -> AuditEntry:
    """Build the next entry of a chain."""
    body = canonical(payload)
    return AuditEntry(seq, kind, actor, at, body, prev_hash, entry_hash(prev_hash, kind, actor, at, body))


class Tampering(StrEnum):
    """What happened to the chain where it first breaks."""

    CHANGED = "changed"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first place where the chain does not verify."""

    seq: int
    tampering: Tampering
    detail: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """The chain head as recorded outside the database after each append."""

    seq: int
    hash: str


def verify_chain(entries: Iterable[AuditEntry], anchor: Anchor | None = None) -> ChainBreak | None:
    """Walk the chain in stored order and name the first entry that was tampered with."""
    ordered = list(entries)
    position = {e.hash: i for i, e in enumerate(ordered)}
    expected_prev = GENESIS
    for index, entry in enumerate(ordered):
        if entry.recomputed() != entry.hash:
            return ChainBreak(entry.seq, Tampering.CHANGED, "the entry's content does not match its hash")
        if entry.prev_hash != expected_prev:
            return _classify_link_break(ordered, index, expected_prev, position)
        expected_prev = entry.hash
    if anchor is not None:
        return _check_anchor(ordered, anchor)
    return None


def _classify_link_break(
    ordered: list[AuditEntry], index: int, expected_prev: str, position: dict[str, int]
) -> ChainBreak:
    entry = ordered[index]
    linked_to = position.get(entry.prev_hash)
    if linked_to is not None and linked_to > index:
        return ChainBreak(entry.seq, Tampering.REORDERED, "the entry links to one that comes after it")
    following = ordered[index + 1] if index + 1 < len(ordered) else None
    if following is not None and following.prev_hash == expected_prev:
        return ChainBreak(entry.seq, Tampering.INSERTED, "the entry does not belong between its neighbours")
    if linked_to is not None and linked_to == index - 2:
        inserted = ordered[index - 1]
        return ChainBreak(inserted.seq, Tampering.INSERTED, "the entry is not linked from its successor")
    if linked_to is not None:
        return ChainBreak(entry.seq, Tampering.REORDERED, "the entry links to an earlier entry")
    missing = ordered[index - 1].seq + 1 if index else 1
    return ChainBreak(missing, Tampering.DELETED, f"the entry before seq {entry.seq} is missing")


def _check_anchor(ordered: list[AuditEntry], anchor: Anchor) -> ChainBreak | None:
    head = ordered[-1] if ordered else None
    if head is not None and head.seq == anchor.seq and head.hash == anchor.hash:
        return None
    if head is not None and head.seq > anchor.seq:
        extra = next((e for e in ordered if e.seq > anchor.seq), head)
        return ChainBreak(extra.seq, Tampering.INSERTED, "entries after the anchored head were added")
    if head is None or head.seq < anchor.seq:
        return ChainBreak(anchor.seq, Tampering.DELETED, "the anchored head entry is missing")
    return ChainBreak(head.seq, Tampering.CHANGED, "the head does not match the anchor")
