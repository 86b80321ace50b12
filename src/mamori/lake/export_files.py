"""What is on disk for an export: whether it is still there, its size, and its manifest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class ExportFileInfo:
    """Describes export files written by `lake.provide.DuckDBExporter` (file + `.manifest.json`)."""

    def describe(self, path: str) -> dict[str, Any]:
        """Return the export's path, existence, size and manifest (None when missing or unreadable)."""
        file = Path(path)
        manifest_path = file.with_name(file.name + ".manifest.json")
        manifest: dict[str, Any] | None = None
        if manifest_path.is_file():
            try:
                manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                manifest = None  # a damaged manifest is shown as missing, not as a crash
        exists = file.is_file()
        return {
            "path": str(file),
            "exists": exists,
            "bytes": file.stat().st_size if exists else None,
            "manifest": manifest,
        }
