"""The two parties of the PSI and what each sends, keeps and learns (semi-honest model).

    platform (X, key p)                          client (Y, key c)
    offer:  A  = sort{ p·H(x) }          ──▶
                                         ◀──     answer: B  = sort{ c·H(y) }
                                                         A2 = c·A  (A's order in mode "members",
                                                                    sorted — i.e. shuffled — in "size")
    result: B2 = sort{ p·B }             ──▶
    learns |X∩Y| (and, in "members",            learns |A2 ∩ B2| = |X∩Y|
    which x are in Y: A2[i] ∈ B2)

Sorting by the blinded value is the shuffle: the order then depends only on values the receiver
sees anyway, never on the sender's record order. Every value that leaves a party carries that
party's secret scalar, so a receiver without it cannot test a guess (a phone number, say) against
it; only double-blinded values, which need both keys, can be compared, and they are equal exactly
for identifiers in both sets. Each party also learns the other's set size.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from mamori.errors import InputError, RefusedError
from mamori.lake.psi.group import POINT_BYTES, SecretKey, blind, element_message, hash_and_blind
from mamori.lake.psi.wire import Message

Mode = Literal["size", "members"]
MODES: tuple[str, ...] = ("size", "members")
Identifier = tuple[str, str]  # (kind, normalized value), e.g. ("email", "taro@example.com")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a party learned: the intersection size and, for the platform in "members", its subjects."""

    size: int
    own_count: int
    peer_count: int
    members: tuple[str, ...] | None = None


def _check(message: Message, step: str, mode: str, context: str, source: str) -> None:
    if message.step != step:
        raise InputError(
            f"手順 {step} のメッセージが必要です（受信: {message.step}）",
            f"expected a {step} message, got {message.step}",
            file=source,
        )
    if message.context != context:
        raise RefusedError(
            f"案件の文脈が一致しません（{message.context!r} ≠ {context!r}）",
            f"the engagement context differs ({message.context!r} != {context!r})",
        )
    if message.mode != mode:
        raise InputError("モードが一致しません", f"mode differs ({message.mode} != {mode})", file=source)


class Platform:
    """The platform side: offers its blinded set and may learn which of its subjects overlap."""

    def __init__(
        self,
        identifiers: Mapping[Identifier, Sequence[str]],
        *,
        mode: str,
        context: str,
        key: SecretKey | None = None,
        threads: int | None = None,
    ) -> None:
        if mode not in MODES:
            raise InputError(f"モード {mode} は不明です", f"unknown mode {mode}", field="mode")
        self.mode, self.context, self.threads = mode, context, threads
        self._key = key or SecretKey.generate()
        self._identifiers = identifiers
        self._owners: list[Sequence[str]] = []

    def offer(self) -> Message:
        """Blind every own identifier with p and send them sorted by value."""
        items = list(self._identifiers)
        ctx = self.context.encode()
        points = hash_and_blind(self._key, [element_message(ctx, k, v) for k, v in items], self.threads)
        order = sorted(range(len(points)), key=points.__getitem__)
        self._owners = [self._identifiers[items[i]] for i in order]
        return Message("offer", self.mode, self.context, {"A": [points[i] for i in order]})

    def finish(self, answer: Message, source: str = "peer") -> tuple[Outcome, Message]:
        """Blind the client's values with p, compare, and return the outcome and the result message."""
        _check(answer, "answer", self.mode, self.context, source)
        a2, b = answer.section("A2", source), answer.section("B", source)
        if len(a2) != len(self._owners):
            raise InputError(
                "応答の要素数が申出と一致しません",
                f"the answer has {len(a2)} values for {len(self._owners)} offered",
                file=source,
            )
        b2 = blind(self._key, b, self.threads, source=source)
        peer = set(b2)
        if len(peer) != len(b2) or len(set(a2)) != len(a2):
            # Duplicates would let a party learn multiplicities; honest parties deduplicate.
            raise InputError("応答に重複した値があります", "the answer repeats values", file=source)
        hits = [i for i, value in enumerate(a2) if value in peer]
        members = None
        if self.mode == "members":
            members = tuple(sorted({sid for i in hits for sid in self._owners[i]}))
        outcome = Outcome(size=len(hits), own_count=len(a2), peer_count=len(b2), members=members)
        return outcome, Message("result", self.mode, self.context, {"B2": sorted(b2)})

    def save(self, path: Path) -> None:
        """Keep the key and the offer's order between the steps of a file exchange (mode 0600)."""
        state = {
            "role": "platform",
            "mode": self.mode,
            "context": self.context,
            "key": self._key.hex(),
            "owners": [list(o) for o in self._owners],
        }
        _write_private(path, json.dumps(state, ensure_ascii=False).encode())

    @classmethod
    def load(cls, path: Path, threads: int | None = None) -> Platform:
        """Restore a platform between offer and finish."""
        state = _read_state(path, "platform")
        party = cls({}, mode=state["mode"], context=state["context"], key=SecretKey.from_hex(state["key"]))
        party.threads = threads
        party._owners = [tuple(o) for o in state["owners"]]
        return party


class Client:
    """The client side: answers an offer and counts the overlap; its key is discarded after answering."""

    def __init__(
        self,
        identifiers: Iterable[Identifier],
        *,
        context: str,
        allow_members: bool = False,
        key: SecretKey | None = None,
        threads: int | None = None,
    ) -> None:
        self.context, self.allow_members, self.threads = context, allow_members, threads
        self._identifiers = sorted(set(identifiers))
        self._key: SecretKey | None = key or SecretKey.generate()
        self._a2: set[bytes] = set()
        self.mode = "size"

    def answer(self, offer: Message, source: str = "peer") -> Message:
        """Blind own identifiers and the platform's values with c; order A2 only if members are allowed."""
        if offer.mode == "members" and not self.allow_members:
            raise RefusedError(
                "提供先の会員該当の開示（members モード）は許可されていません",
                "the platform asks to learn which of its subjects overlap (members); not allowed by this party",
            )
        if offer.mode not in MODES:
            raise InputError(f"モード {offer.mode} は不明です", f"unknown mode {offer.mode}", file=source)
        self.mode = offer.mode
        _check(offer, "offer", offer.mode, self.context, source)
        if self._key is None:
            raise InputError("この当事者は既に応答済みです", "this party has already answered")
        key, self._key = self._key, None
        a = offer.section("A", source)
        if len(set(a)) != len(a):
            raise InputError("申出に重複した値があります", "the offer repeats values", file=source)
        a2 = blind(key, a, self.threads, source=source)
        ctx = self.context.encode()
        b = hash_and_blind(key, [element_message(ctx, k, v) for k, v in self._identifiers], self.threads)
        self._a2 = set(a2)
        ordered_a2 = a2 if self.mode == "members" else sorted(a2)
        return Message("answer", self.mode, self.context, {"A2": ordered_a2, "B": sorted(b)})

    def count(self, result: Message, source: str = "peer") -> Outcome:
        """Count the double-blinded values both sides hold: the intersection size, nothing more."""
        _check(result, "result", self.mode, self.context, source)
        b2 = result.section("B2", source)
        size = sum(1 for value in b2 if value in self._a2)
        return Outcome(size=size, own_count=len(b2), peer_count=len(self._a2))

    def save(self, path: Path) -> None:
        """Keep only A2 (no key) between answering and counting (mode 0600)."""
        head = json.dumps({"role": "client", "mode": self.mode, "context": self.context}).encode()
        _write_private(path, head + b"\n" + b"".join(sorted(self._a2)))

    @classmethod
    def load(cls, path: Path) -> Client:
        """Restore a client between answer and count."""
        data = _read_bytes(path)
        head, _, raw = data.partition(b"\n")
        state = _parse_state(head, path, "client")
        party = cls((), context=state["context"])
        party._key, party.mode = None, state["mode"]
        party._a2 = {raw[i : i + POINT_BYTES] for i in range(0, len(raw), POINT_BYTES)}
        return party


def _write_private(path: Path, data: bytes) -> None:
    # The state holds a secret scalar (platform) or blinded values: readable by its owner only.
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(data)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError("状態ファイルを読めません", f"cannot read the state: {exc}", file=str(path)) from exc


def _parse_state(head: bytes, path: Path, role: str) -> dict[str, Any]:
    try:
        state = json.loads(head)
    except ValueError as exc:
        raise InputError("状態ファイルが壊れています", "the state file is corrupt", file=str(path)) from exc
    if not isinstance(state, dict) or state.get("role") != role:
        raise InputError(f"{role} の状態ファイルではありません", f"not a {role} state file", file=str(path))
    return state


def _read_state(path: Path, role: str) -> dict[str, Any]:
    return _parse_state(_read_bytes(path), path, role)
