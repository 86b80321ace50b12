"""Which backup generations to keep: a grandfather-father-son retention policy.

Ransomware often sits quietly for days before it encrypts, and encrypts the backups it can
reach; keeping older daily and weekly generations gives a clean copy from before the
intrusion. The rule is pure: the adapter lists generations, this decides, the adapter prunes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from mamori.domain.calendar import jst_date


@dataclass(frozen=True, slots=True)
class Retention:
    """Keep the newest `last` generations, plus the newest of each of `daily` days and `weekly` weeks."""

    last: int = 7
    daily: int = 14
    weekly: int = 8


@dataclass(frozen=True, slots=True)
class GenerationStamp:
    """A generation's number and when it was taken."""

    number: int
    taken_at: datetime


def keep(generations: Iterable[GenerationStamp], policy: Retention) -> frozenset[int]:
    """Return the generation numbers the policy keeps (never empty while any exist)."""
    newest_first = sorted(generations, key=lambda g: g.number, reverse=True)
    kept = {g.number for g in newest_first[: max(policy.last, 1)]}
    days: list[object] = []
    weeks: list[object] = []
    for gen in newest_first:
        day = jst_date(gen.taken_at)
        week = day.isocalendar()[:2]
        if day not in days and len(days) < policy.daily:
            days.append(day)
            kept.add(gen.number)
        if week not in weeks and len(weeks) < policy.weekly:
            weeks.append(week)
            kept.add(gen.number)
    return frozenset(kept)
