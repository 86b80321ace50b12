"""A keystore file for token keys, held apart from the data, with an access log.

APPI-41-1 / Rule 32: the deleted information (here, the token key) is safety-managed:
the file is created 0600 in a 0700 folder, refused when anyone else can read it, refused
inside the folder of the data it protects, and every creation and use of a key appends a
line to ``<keystore>.access.log`` (0600) naming who, when, which key and for what.
"""

from __future__ import annotations

import base64
import getpass
import json
import os
import secrets
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mamori.errors import ConfigError, InputError


def _private_write(path: Path, text: str, *, append: bool = False) -> None:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "a" if append else "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


class Keystore:
    """Token keys by id, in one JSON file readable by its owner only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.log_path = path.with_name(path.name + ".access.log")

    def _check_private(self) -> None:
        mode = stat.S_IMODE(self.path.stat().st_mode)
        if mode & 0o077:
            raise ConfigError(
                f"鍵ファイル {self.path} は所有者以外も読めます（権限 {mode:o}）。chmod 600 が必要です",
                f"the keystore {self.path} is readable by others (mode {mode:o}); chmod 600 it",
            )

    def _load(self) -> dict[str, Any]:
        if not self.path.exists():
            return {"keys": {}}
        self._check_private()
        try:
            data: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InputError(
                "鍵ファイルが壊れています", "the keystore is not valid JSON", file=str(self.path)
            ) from exc
        return data

    def log(self, action: str, key_id: str, purpose: str, dataset: str = "") -> None:
        """Append one access line (who, when, what) to the access log."""
        entry = {
            "at": datetime.now(UTC).isoformat(),
            "actor": getpass.getuser(),
            "action": action,
            "key_id": key_id,
            "purpose": purpose,
            "dataset": dataset,
        }
        _private_write(self.log_path, json.dumps(entry, ensure_ascii=False) + "\n", append=True)

    def key(self, key_id: str, *, purpose: str, dataset: str = "", create: bool = True) -> bytes:
        """Return a key (creating a 256-bit one if asked), logging the access."""
        data = self._load()
        entry = data["keys"].get(key_id)
        if entry is None:
            if not create:
                raise InputError(f"鍵 {key_id} がありません", f"no key {key_id}", file=str(self.path))
            entry = {
                "algorithm": "HMAC-SHA256",
                "created": datetime.now(UTC).isoformat(),
                "key": base64.b64encode(secrets.token_bytes(32)).decode(),
            }
            data["keys"][key_id] = entry
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            _private_write(self.path, json.dumps(data, indent=2))
            self.log("create", key_id, purpose, dataset)
        self.log("use", key_id, purpose, dataset)
        return base64.b64decode(entry["key"])

    def access_log(self) -> list[dict[str, Any]]:
        """Return the access log entries."""
        if not self.log_path.exists():
            return []
        return [json.loads(line) for line in self.log_path.read_text(encoding="utf-8").splitlines() if line]
