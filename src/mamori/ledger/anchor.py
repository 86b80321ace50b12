"""The chain head, kept outside the database so that a forged tail or a truncation shows."""

from __future__ import annotations

import json
import os
from pathlib import Path

from mamori.domain.audit import Anchor


class FileAnchor:
    """Stores the anchored head in a small JSON file, replaced atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> Anchor | None:
        """Return the anchored head, or None before the first entry."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return Anchor(int(data["seq"]), str(data["hash"]))

    def write(self, anchor: Anchor) -> None:
        """Record a new head (write to a temporary file, then rename)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"seq": anchor.seq, "hash": anchor.hash}), encoding="utf-8")
        os.replace(temporary, self.path)
