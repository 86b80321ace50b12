"""Thresholds and ages that the law may change: configuration with effective dates.

A further amendment (guardian consent under 16, surcharges) is being prepared, so no
threshold is a bare constant: each is a schedule of (effective date, value).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Schedule:
    """A value that changes on given dates; the first entry applies to everything before it too."""

    entries: tuple[tuple[date, int], ...]

    def at(self, on: date) -> int:
        """Return the value in force on a date."""
        dates = [d for d, _ in self.entries]
        index = max(bisect.bisect_right(dates, on) - 1, 0)
        return self.entries[index][1]


@dataclass(frozen=True, slots=True)
class PolicyConfig:
    """The configurable figures behind the policy decision and the insight engine."""

    # APPI-CONSENT-4: below this age, consent comes from the registered guardian.
    guardian_age: Schedule = field(default_factory=lambda: Schedule(((date(2000, 1, 1), 16),)))
    # MAMORI-AGG-1: the minimum number of distinct persons in a released cell.
    min_persons: Schedule = field(default_factory=lambda: Schedule(((date(2000, 1, 1), 50),)))
    # PPC-RULE-7-4: more than this many persons makes an incident reportable.
    incident_persons: Schedule = field(default_factory=lambda: Schedule(((date(2017, 5, 30), 1000),)))


DEFAULT_CONFIG = PolicyConfig()
