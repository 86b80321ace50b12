"""The chain head, kept outside the database so that a forged tail or a truncation shows."""

from __future__ import annotations

import fcntl
import json
import os
import threading
from pathlib import Path

from mamori.domain.audit import Anchor

_RECORD_BYTES = 256  # well inside one 512-byte sector, so an overwrite is never torn


class FileAnchor:
    """Stores the anchored head in a small JSON file, replaced atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def read(self) -> Anchor | None:
        """Return the anchored head, or None before the first entry."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return Anchor(int(data["seq"]), str(data["hash"]))

    def write(self, anchor: Anchor) -> None:
        """Record a new head.

        The first head is written to a temporary file and renamed into place. Later heads
        overwrite the file in place with a record padded to a fixed size, inside one disk
        sector: on ext4 a rename over an existing file flushes the data first (auto_da_alloc),
        which cost ~4 ms on every ledger transaction and capped the portal's write rate.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = json.dumps({"seq": anchor.seq, "hash": anchor.hash}).ljust(_RECORD_BYTES).encode()
        try:
            fd = os.open(self.path, os.O_WRONLY)
        except FileNotFoundError:
            temporary = self.path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            temporary.write_bytes(record)
            os.replace(temporary, self.path)
            return
        try:
            os.pwrite(fd, record, 0)
        finally:
            os.close(fd)

    def advance(self, anchor: Anchor) -> None:
        """Move the head forward only: concurrent writers (web threads, a CLI beside the server)
        commit in order but may reach this point out of order; an anchor that went backwards
        would read as entries inserted after the head."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.path.with_suffix(".lock"), "a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            current = self.read()
            if current is None or current.seq < anchor.seq:
                self.write(anchor)
