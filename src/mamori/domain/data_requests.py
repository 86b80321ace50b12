"""Data-subject requests (開示等の請求): kinds, one lifecycle, one transition table.

A person may ask for disclosure (APPI-33-1, electronically per APPI-33-5), correction
(APPI-34-1), and stop of use, deletion or stop of third-party provision (APPI-35-1). The law
says "without delay" (遅滞なく); mamori holds itself to a fixed number of days so that the
console can warn before a request is late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# House rule for "without delay": answer within 14 calendar days (JST) of receipt.
DUE_DAYS = 14


class RequestKind(StrEnum):
    """What the person asks for."""

    DISCLOSURE = "disclosure"
    CORRECTION = "correction"
    STOP_USE = "stop_use"
    DELETION = "deletion"
    STOP_PROVISION = "stop_provision"

    @property
    def rules(self) -> tuple[str, ...]:
        """Return the rule ids that give the person this right."""
        return _RULES[self]


_RULES: dict[RequestKind, tuple[str, ...]] = {
    RequestKind.DISCLOSURE: ("APPI-33-1", "APPI-33-5"),
    RequestKind.CORRECTION: ("APPI-34-1",),
    RequestKind.STOP_USE: ("APPI-35-1",),
    RequestKind.DELETION: ("APPI-35-1",),
    RequestKind.STOP_PROVISION: ("APPI-35-1",),
}


class RequestStatus(StrEnum):
    """Where a request stands."""

    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REFUSED = "refused"  # the law's exceptions; the person must be told why (Art. 36)
    WITHDRAWN = "withdrawn"


# The one transition table: every status change in mamori goes through `advance`.
TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.RECEIVED: frozenset(
        {RequestStatus.IN_PROGRESS, RequestStatus.COMPLETED, RequestStatus.REFUSED, RequestStatus.WITHDRAWN}
    ),
    RequestStatus.IN_PROGRESS: frozenset(
        {RequestStatus.COMPLETED, RequestStatus.REFUSED, RequestStatus.WITHDRAWN}
    ),
    RequestStatus.COMPLETED: frozenset(),
    RequestStatus.REFUSED: frozenset(),
    RequestStatus.WITHDRAWN: frozenset(),
}


class TransitionError(ValueError):
    """A status change the lifecycle does not allow."""


def advance(current: RequestStatus, target: RequestStatus) -> RequestStatus:
    """Return the new status, or raise TransitionError when the lifecycle forbids the move."""
    if target not in TRANSITIONS[current]:
        raise TransitionError(f"{current} -> {target}")
    return target


def is_open(status: RequestStatus) -> bool:
    """Tell whether a request still awaits an answer."""
    return bool(TRANSITIONS[status])


def due_date(received: date) -> date:
    """Return the date (JST) by which a request received on `received` must be answered."""
    return received + timedelta(days=DUE_DAYS)


def is_overdue(status: RequestStatus, due: date, today: date) -> bool:
    """Tell whether an open request has passed its due date."""
    return is_open(status) and today > due


@dataclass(frozen=True, slots=True)
class DataRequest:
    """One request by a person (or their guardian) about the data held on them."""

    id: str
    subject: str
    kind: RequestKind
    status: RequestStatus
    received_on: date
    due_on: date
    detail: str = ""
    note: str = ""
