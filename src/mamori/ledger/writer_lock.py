"""SQLite writers of every process queue on one file lock before BEGIN IMMEDIATE.

SQLite's busy handler makes a waiting writer poll, sleeping up to 100 ms between tries, and a
process that writes often keeps winning the lock: with two server processes group-committing
consent changes, one batch waited 8 s (measured with bench/web_consent.py --workers 2). A
process blocked on flock is woken by the kernel the moment the lock is released, so writers
take turns. Hand-written: `fcntl.flock` is the whole of it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WriterLock:
    """An exclusive lock on a file, shared by every process that writes the same ledger."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def hold(self, wait: bool = True) -> Iterator[bool]:
        """Hold the lock for the block; with wait=False yield False at once if another holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)  # closing the descriptor releases the lock
