"""Whether an incident must be reported to the PPC, by when, and whether to notify persons.

PPC Rule 7 (categories), Rule 8 (deadlines), Art. 26(2) (notifying the persons).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import holidays

from mamori.domain.calendar import jst_date
from mamori.domain.config import DEFAULT_CONFIG, PolicyConfig
from mamori.domain.incidents.facts import (
    UNLAWFUL_PURPOSE_CAUSES,
    Encryption,
    EventType,
    IncidentFacts,
)

PRELIMINARY_DAYS = 3  # "promptly — about 3 to 5 days": mamori aims at the early end
FINAL_DAYS = 30
FINAL_DAYS_UNLAWFUL = 60
_CATEGORY_RULES = {1: "PPC-RULE-7-1", 2: "PPC-RULE-7-2", 3: "PPC-RULE-7-3", 4: "PPC-RULE-7-4"}


@dataclass(frozen=True, slots=True)
class Reportability:
    """The decision on an incident, with the rule ids that made it."""

    reportable: bool
    categories: tuple[int, ...]
    preliminary_due: date | None
    final_due: date | None
    notify_subjects: bool
    rules: tuple[str, ...]


def _japan_holidays(years: range) -> holidays.HolidayBase:
    return holidays.country_holidays("JP", years=years)


def is_closed_day(day: date) -> bool:
    """Tell whether a day is an administrative holiday: weekend, national holiday or 29 Dec–3 Jan."""
    if day.weekday() >= 5:
        return True
    if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
        return True
    return day in _japan_holidays(range(day.year, day.year + 1))


def final_due(aware: date, days: int) -> date:
    """Count `days` with the day of knowing as day 1, then move past closed days (PPC-RULE-8-2)."""
    due = aware + timedelta(days=days - 1)
    while is_closed_day(due):
        due += timedelta(days=1)
    return due


def categories(facts: IncidentFacts, config: PolicyConfig = DEFAULT_CONFIG) -> tuple[int, ...]:
    """Return the PPC Rule 7 categories that apply (empty when exempt or nothing was lost)."""
    if facts.encryption is Encryption.HIGH_LEVEL:
        return ()
    if facts.event in (EventType.LOSS, EventType.DAMAGE) and facts.backup:
        return ()
    found: list[int] = []
    if facts.sensitive:
        found.append(1)
    if facts.financial:
        found.append(2)
    if facts.cause in UNLAWFUL_PURPOSE_CAUSES:
        found.append(3)
    if facts.persons > config.incident_persons.at(jst_date(facts.aware_at)):
        found.append(4)
    return tuple(found)


def assess(facts: IncidentFacts, config: PolicyConfig = DEFAULT_CONFIG) -> Reportability:
    """Decide reportability, the report deadlines and the duty to notify persons."""
    cats = categories(facts, config)
    if not cats:
        rules = ("PPC-RULE-7-X",) if facts.encryption is Encryption.HIGH_LEVEL else ()
        return Reportability(False, (), None, None, False, rules)
    aware = jst_date(facts.aware_at)
    days = FINAL_DAYS_UNLAWFUL if 3 in cats else FINAL_DAYS
    return Reportability(
        reportable=True,
        categories=cats,
        preliminary_due=aware + timedelta(days=PRELIMINARY_DAYS),
        final_due=final_due(aware, days),
        notify_subjects=True,
        rules=("APPI-26-1", *(_CATEGORY_RULES[c] for c in cats)),
    )
