"""The legal calendar: Japan Standard Time, whole-year ages, administrative holidays.

Japan has had no daylight saving since 1951, so a fixed +09:00 offset is exact and keeps
the domain free of tz-database reads.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

JST = timezone(timedelta(hours=9), "JST")


def jst_date(instant: datetime) -> date:
    """Return the Japan calendar date of an aware instant (naive instants are read as JST)."""
    if instant.tzinfo is None:
        return instant.date()
    return instant.astimezone(JST).date()


def as_jst(instant: datetime) -> datetime:
    """Make an instant aware, reading a naive one as JST (the legal calendar)."""
    return instant.replace(tzinfo=JST) if instant.tzinfo is None else instant


def age_on(birth_date: date, on: date) -> int:
    """Count whole years of age on a calendar date.

    A 29 February birthday is ordinary: in a common year the person is a year older from
    1 March, as the (month, day) comparison gives.
    """
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)
