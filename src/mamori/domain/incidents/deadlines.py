"""Countdowns to the PPC report deadlines, in whole JST calendar days.

`today` comes from the caller (the domain reads no clock); the edges pass the JST date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mamori.domain.config import DEFAULT_CONFIG, PolicyConfig
from mamori.domain.incidents.classification import Audience
from mamori.domain.incidents.state import Incident


class Urgency(StrEnum):
    """How close a deadline is."""

    DONE = "done"
    OK = "ok"
    DUE_SOON = "due-soon"
    DUE_TODAY = "due-today"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Countdown:
    """One report deadline and how many days are left."""

    audience: Audience
    due: date
    days_left: int
    urgency: Urgency
    rule: str


# Warn this many days ahead: the preliminary report is a matter of days, the final one of weeks.
WARN_DAYS = {Audience.PPC_PRELIMINARY: 1, Audience.PPC_FINAL: 7}


def countdowns(
    incident: Incident, today: date, config: PolicyConfig = DEFAULT_CONFIG
) -> tuple[Countdown, ...]:
    """Return the PPC deadlines of a reportable incident with the days left (none if not reportable)."""
    decision = incident.assessment(config)
    if not decision.reportable or decision.preliminary_due is None or decision.final_due is None:
        return ()
    pairs = (
        (Audience.PPC_PRELIMINARY, decision.preliminary_due, "PPC-RULE-8-1"),
        (Audience.PPC_FINAL, decision.final_due, "PPC-RULE-8-2"),
    )
    found = []
    for audience, due, rule_id in pairs:
        left = (due - today).days
        task = incident.tasks.get(audience)
        found.append(
            Countdown(
                audience,
                due,
                left,
                _urgency(left, WARN_DAYS[audience], task is not None and task.done),
                rule_id,
            )
        )
    return tuple(found)


def _urgency(left: int, warn: int, done: bool) -> Urgency:
    if done:
        return Urgency.DONE
    if left < 0:
        return Urgency.OVERDUE
    if left == 0:
        return Urgency.DUE_TODAY
    return Urgency.DUE_SOON if left <= warn else Urgency.OK
