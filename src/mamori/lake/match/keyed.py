"""Keyed hashes of identifiers: HMAC-SHA256 with a key agreed per engagement, never a plain hash.

A plain SHA-256 of a phone number is reversed by hashing the ~10^9 possible numbers in minutes; an
HMAC under a secret key cannot be tested against a guess without the key. The kind ("email",
"phone") is part of the message so an e-mail hash never equals a phone hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

import polars as pl

from mamori.errors import InputError
from mamori.lake.match.records import HASH_PREFIX

KEY_BYTES = 32
KINDS = ("email", "phone")


def new_key(path: Path) -> None:
    """Write a fresh random key (hex) readable by its owner only; refuse to overwrite one."""
    if path.exists():
        raise InputError("鍵ファイルが既にあります", "the key file already exists", file=str(path))
    path.touch(mode=0o600)
    path.write_text(secrets.token_hex(KEY_BYTES) + "\n", encoding="ascii")


def read_key(path: Path) -> bytes:
    """Read an engagement key (64 hex characters)."""
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError) as exc:
        raise InputError("鍵ファイルを読めません", f"cannot read the key: {exc}", file=str(path)) from exc
    if len(key) < KEY_BYTES:
        raise InputError(
            "鍵が短すぎます（32 バイト以上）", "the key is shorter than 32 bytes", file=str(path)
        )
    return key


def keyed_hash(key: bytes, kind: str, value: str) -> str:
    """Return the keyed hash of one normalized identifier."""
    digest = hmac.new(key, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()
    return HASH_PREFIX + digest


def hash_frame(frame: pl.DataFrame, key: bytes) -> pl.DataFrame:
    """Replace normalized email and phone by their keyed hashes; keep only the id beside them."""
    out = {"id": frame["id"]}
    for kind in KINDS:
        values = frame[kind].to_list()
        out[kind] = pl.Series(
            kind,
            [v if v is None or v.startswith(HASH_PREFIX) else keyed_hash(key, kind, v) for v in values],
            dtype=pl.String,
        )
    return pl.DataFrame(out)
