"""Evidence files on disk, addressed by their SHA-256 and written read-only.

Content addressing makes the hash the name: the incident records the hash the store computed
from the bytes it actually wrote, and a later read re-hashes before returning anything.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

from mamori.errors import InputError, TamperedError
from mamori.services.incidents.ports import StoredFile


class FileEvidenceStore:
    """Evidence under `root/ab/abcdef...`, one read-only file per distinct content."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> StoredFile:
        """Write the bytes once (atomically) and return their hash and size."""
        digest = hashlib.sha256(data).hexdigest()
        target = self._path(digest)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, stat.S_IRUSR | stat.S_IRGRP)
            os.replace(temp, target)
        return StoredFile(digest, len(data))

    def get(self, sha256: str) -> bytes:
        """Return the bytes, refusing if they no longer hash to their name."""
        target = self._path(sha256)
        if not target.is_file():
            raise InputError(f"証拠がありません: {sha256}", f"no such evidence: {sha256}", field="sha256")
        data = target.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise TamperedError(f"証拠が改ざんされています: {sha256}", f"the evidence was altered: {sha256}")
        return data
