"""Where the test suite finds the repository and the shared/ folder beside it."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "mamori"


def shared_dir() -> Path:
    """Return shared/ (MAMORI_SHARED, else beside the repository); it must exist."""
    candidate = Path(os.environ.get("MAMORI_SHARED", REPO.parent / "shared"))
    if not (candidate / "conformance").is_dir():
        raise RuntimeError(f"shared/ not found at {candidate}; set MAMORI_SHARED")
    return candidate
