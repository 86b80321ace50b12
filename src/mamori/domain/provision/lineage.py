"""Lineage ids stamped on every export, so an incident can list exactly who was in it.

Format ``LIN-YYYYMMDD-<24 hex>``: the JST date of the export (for people reading it) and
96 random bits supplied by the caller (the domain reads no clock and no entropy source).
"""

from __future__ import annotations

import re
from datetime import datetime

from mamori.domain.calendar import jst_date

_FORMAT = re.compile(r"^LIN-\d{8}-[0-9a-f]{24}$")


def lineage_id(at: datetime, entropy: bytes) -> str:
    """Build a lineage id from the export time and at least 12 random bytes."""
    if len(entropy) < 12:
        raise ValueError("a lineage id needs at least 96 random bits")
    return f"LIN-{jst_date(at).strftime('%Y%m%d')}-{entropy[:12].hex()}"


def is_lineage_id(text: str) -> bool:
    """Tell whether a string is a well-formed lineage id."""
    return bool(_FORMAT.match(text))
