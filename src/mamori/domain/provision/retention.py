"""How long a provision record is kept (APPI-29-3; PPC Rules 21, 25 and 29).

- a record made by the contract-document substitute method (Rule 19(2)): 1 year from the
  last provision it covers;
- a record made in bulk for continuous or repeated provision (Rule 19(2) proviso): 3 years
  from the last provision it covers;
- any other record: 3 years from the day it was made.
Periods run "counting from" that day (起算して): the day itself is day 1, so the period
ends on the day before the same date N years later (Civil Code Arts. 140, 143); when that
date does not exist (29 February), it ends on the last day of that month (Art. 143(2)).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class RecordMethod(StrEnum):
    """How the record was made (Rule 19)."""

    EACH = "each"  # a record for each provision (原則)
    BULK = "bulk"  # one record for continuous or repeated provision (一括して記録)
    CONTRACT = "contract"  # contract documents serve as the record (契約書等の代替)


@dataclass(frozen=True, slots=True)
class Retention:
    """The last day a record must be kept, what the period counts from, and the rule."""

    keep_until: date | None  # None while a legal hold applies
    counted_from: date
    years: int
    rule: str = "APPI-29-3"


def period_end(start: date, years: int) -> date:
    """Return the last day of a period of whole years counted from ``start`` (start = day 1)."""
    try:
        return start.replace(year=start.year + years) - timedelta(days=1)
    except ValueError:  # 29 February into a common year: the month's last day (Art. 143(2))
        return date(start.year + years, 2, 28)


def retention(
    method: RecordMethod, made_on: date, last_provision_on: date | None = None, *, legal_hold: bool = False
) -> Retention:
    """Compute how long a provision record must be kept."""
    if method is RecordMethod.EACH:
        start, years = made_on, 3
    else:
        start = last_provision_on or made_on
        years = 1 if method is RecordMethod.CONTRACT else 3
    return Retention(None if legal_hold else period_end(start, years), start, years)
