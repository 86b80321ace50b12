"""The one framing of every PSI message, identical on files and over HTTP.

    b"MPSI1" | header length (4 bytes, big-endian) | header (UTF-8 JSON) | sections

The header names the step, the mode, the context and the sections with their element counts; each
section is its points concatenated (32 bytes each). Nothing else is ever written: no identifier, no
subject id, no key — `tests/match/test_psi_wire.py` reads every byte that crossed to prove it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mamori.errors import InputError
from mamori.lake.psi.group import POINT_BYTES

MAGIC = b"MPSI1"
#: Header keys a message may carry; anything else is refused, so no field can smuggle data out.
_HEADER_KEYS = frozenset({"step", "mode", "context", "protocol", "sections"})
_MAX_HEADER = 1 << 16


@dataclass(frozen=True, slots=True)
class Message:
    """One protocol message: public header fields and sections of group elements."""

    step: str
    mode: str
    context: str
    sections: Mapping[str, Sequence[bytes]] = field(default_factory=dict)
    protocol: str = "mamori-psi-v1"

    def section(self, name: str, source: str = "peer") -> Sequence[bytes]:
        """Return one section, or fail naming the message that lacks it."""
        try:
            return self.sections[name]
        except KeyError as exc:
            raise InputError(
                f"メッセージ {self.step} に {name} がありません",
                f"message {self.step} has no section {name}",
                file=source,
            ) from exc


def encode(message: Message) -> bytes:
    """Serialize a message to bytes."""
    header = {
        "step": message.step,
        "mode": message.mode,
        "context": message.context,
        "protocol": message.protocol,
        "sections": [[name, len(points)] for name, points in message.sections.items()],
    }
    head = json.dumps(header, ensure_ascii=False, sort_keys=True).encode()
    body = [MAGIC, len(head).to_bytes(4, "big"), head]
    for points in message.sections.values():
        body.append(b"".join(points))
    return b"".join(body)


def decode(data: bytes, source: str = "peer") -> Message:
    """Parse bytes into a message; every malformation is an InputError naming the source."""

    def bad(ja: str, en: str) -> InputError:
        return InputError(ja, en, file=source)

    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise bad("PSI メッセージではありません", "not a PSI message")
    size = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "big")
    start = len(MAGIC) + 4
    if size > _MAX_HEADER or start + size > len(data):
        raise bad("PSI メッセージのヘッダが壊れています", "the PSI message header is truncated")
    try:
        header: dict[str, Any] = json.loads(data[start : start + size])
    except ValueError as exc:
        raise bad("PSI メッセージのヘッダが JSON ではありません", "the PSI header is not JSON") from exc
    if not isinstance(header, dict) or set(header) != _HEADER_KEYS:
        raise bad("PSI メッセージのヘッダ項目が不正です", "unexpected fields in the PSI header")
    offset = start + size
    sections: dict[str, list[bytes]] = {}
    for name, count in header["sections"]:
        end = offset + int(count) * POINT_BYTES
        if end > len(data):
            raise bad(f"セクション {name} が途中で切れています", f"section {name} is truncated")
        chunk = data[offset:end]
        sections[str(name)] = [chunk[i : i + POINT_BYTES] for i in range(0, len(chunk), POINT_BYTES)]
        offset = end
    if offset != len(data):
        raise bad("PSI メッセージの末尾に余分なデータがあります", "trailing bytes after the PSI message")
    return Message(
        step=str(header["step"]),
        mode=str(header["mode"]),
        context=str(header["context"]),
        sections=sections,
        protocol=str(header["protocol"]),
    )


def write(path: Path, message: Message) -> None:
    """Write a message file."""
    path.write_bytes(encode(message))


def read(path: Path) -> Message:
    """Read a message file, naming it in any error."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError("ファイルを読めません", f"cannot read the file: {exc}", file=str(path)) from exc
    return decode(data, source=str(path))
