"""What the application holds once created: the wired platform and the portal's adapters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mamori.bootstrap import Platform, Portal
from mamori.services.data_requests import NoRecords, RecordSource


@dataclass
class WebContext:
    """The application's wiring, built by create_app (never at import time)."""

    platform: Platform
    portal: Portal
    # Ports for records other branches produce; wired to their adapters when they land.
    provisions: RecordSource = field(default_factory=NoRecords)
    scores: RecordSource = field(default_factory=NoRecords)
    cache: dict[object, Any] = field(default_factory=dict)
