"""ristretto255 in batches: hash identifiers into the group and blind them with a secret scalar.

Why hand-written loops over libsodium: rbcl (the only maintained binding that exposes libsodium's
ristretto255 — PyNaCl does not) offers one call per element, with Python-side type checks and a
fresh ctypes buffer per result. Calling the same libsodium functions through rbcl's loaded library
into one preallocated buffer per batch removes that overhead, and because ctypes releases the GIL
during a foreign call, batches run in parallel on threads. The arithmetic is libsodium's own.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import rbcl  # type: ignore[import-untyped]  # no stubs; the few calls are typed below
import rbcl.rbcl as _rbcl  # type: ignore[import-untyped]

from mamori.errors import InputError

POINT_BYTES = 32
#: Protocol identifier; it is part of every hash so values never collide with another protocol's.
SUITE = b"mamori-psi-v1:ristretto255:sha512"
_BATCH = 4096

_sodium: Any = _rbcl._sodium
_scalarmult: Callable[..., int] = _sodium.crypto_scalarmult_ristretto255
_from_hash: Callable[..., int] = _sodium.crypto_core_ristretto255_from_hash


@dataclass(frozen=True, slots=True, repr=False)
class SecretKey:
    """A party's secret scalar; it never leaves the party (repr hides it)."""

    scalar: bytes

    @classmethod
    def generate(cls) -> SecretKey:
        """Draw a fresh uniformly random non-zero scalar mod the group order."""
        return cls(rbcl.crypto_core_ristretto255_scalar_random())

    @classmethod
    def from_hex(cls, text: str) -> SecretKey:
        """Read a key saved by `hex()`; refuse anything that is not a 32-byte scalar."""
        try:
            raw = bytes.fromhex(text)
        except ValueError as exc:
            raise InputError("秘密鍵の形式が不正です", "the secret key is malformed") from exc
        if len(raw) != POINT_BYTES:
            raise InputError("秘密鍵の長さが不正です", "the secret key has the wrong length")
        return cls(raw)

    def hex(self) -> str:
        """Return the scalar as hex, for the party's own state file only."""
        return self.scalar.hex()

    def __repr__(self) -> str:
        return "SecretKey(<hidden>)"


def element_message(context: bytes, kind: str, value: str) -> bytes:
    """Return the domain-separated input of the hash for one normalized identifier."""
    kind_b = kind.encode()
    value_b = value.encode("utf-8")
    return b"".join(
        (
            SUITE,
            len(context).to_bytes(2, "big"),
            context,
            len(kind_b).to_bytes(1, "big"),
            kind_b,
            value_b,
        )
    )


def workers() -> int:
    """Return how many threads batch work uses (MAMORI_PSI_THREADS, else the CPU count)."""
    configured = os.environ.get("MAMORI_PSI_THREADS", "")
    return max(1, int(configured)) if configured.isdigit() else max(1, os.cpu_count() or 1)


def _chunks(count: int) -> list[tuple[int, int]]:
    return [(start, min(count, start + _BATCH)) for start in range(0, count, _BATCH)]


def _parallel(count: int, job: Callable[[int, int], list[bytes]], threads: int | None) -> list[bytes]:
    spans = _chunks(count)
    n_threads = min(threads or workers(), max(1, len(spans)))
    if n_threads == 1:
        parts = [job(a, b) for a, b in spans]
    else:
        with ThreadPoolExecutor(n_threads) as pool:
            parts = list(pool.map(lambda span: job(*span), spans))
    return [point for part in parts for point in part]


def hash_and_blind(key: SecretKey, messages: Sequence[bytes], threads: int | None = None) -> list[bytes]:
    """Return key·H(m) for each message, H = ristretto255 from_hash(SHA-512(m)), in input order."""
    scalar = key.scalar

    def job(start: int, stop: int) -> list[bytes]:
        hashed = ctypes.create_string_buffer(POINT_BYTES)
        out = ctypes.create_string_buffer(POINT_BYTES * (stop - start))
        sha512 = hashlib.sha512
        for i in range(start, stop):
            _from_hash(hashed, sha512(messages[i]).digest())
            if _scalarmult(ctypes.byref(out, POINT_BYTES * (i - start)), scalar, hashed) != 0:
                # from_hash never yields the identity; reaching this means libsodium misbehaved.
                raise RuntimeError("ristretto255 scalar multiplication failed on a hashed point")
        raw = out.raw
        return [raw[j : j + POINT_BYTES] for j in range(0, len(raw), POINT_BYTES)]

    return _parallel(len(messages), job, threads)


def blind(
    key: SecretKey, points: Sequence[bytes], threads: int | None = None, *, source: str = "peer"
) -> list[bytes]:
    """Return key·P for each received point; refuse a value that is not a valid group element."""
    scalar = key.scalar

    def job(start: int, stop: int) -> list[bytes]:
        out = ctypes.create_string_buffer(POINT_BYTES * (stop - start))
        for i in range(start, stop):
            point = points[i]
            # libsodium returns -1 for a non-canonical encoding or the identity: a malformed message.
            if len(point) != POINT_BYTES or _scalarmult(
                ctypes.byref(out, POINT_BYTES * (i - start)), scalar, point
            ):
                raise InputError(
                    f"受信した値 {i} 番目が ristretto255 の要素ではありません",
                    f"received value #{i} is not a ristretto255 group element",
                    file=source,
                )
        raw = out.raw
        return [raw[j : j + POINT_BYTES] for j in range(0, len(raw), POINT_BYTES)]

    return _parallel(len(points), job, threads)
