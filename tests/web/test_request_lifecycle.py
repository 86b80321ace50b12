"""The data-subject request lifecycle: one transition table, tested exhaustively."""

from __future__ import annotations

from datetime import date

import pytest

from mamori.domain.data_requests import (
    DUE_DAYS,
    TRANSITIONS,
    RequestKind,
    RequestStatus,
    TransitionError,
    advance,
    due_date,
    is_open,
    is_overdue,
)

ALLOWED = {
    (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS),
    (RequestStatus.RECEIVED, RequestStatus.COMPLETED),
    (RequestStatus.RECEIVED, RequestStatus.REFUSED),
    (RequestStatus.RECEIVED, RequestStatus.WITHDRAWN),
    (RequestStatus.IN_PROGRESS, RequestStatus.COMPLETED),
    (RequestStatus.IN_PROGRESS, RequestStatus.REFUSED),
    (RequestStatus.IN_PROGRESS, RequestStatus.WITHDRAWN),
}


@pytest.mark.parametrize("current", list(RequestStatus))
@pytest.mark.parametrize("target", list(RequestStatus))
def test_every_transition_is_allowed_or_refused_by_the_table(
    current: RequestStatus, target: RequestStatus
) -> None:
    if (current, target) in ALLOWED:
        assert advance(current, target) is target
    else:
        with pytest.raises(TransitionError):
            advance(current, target)


def test_table_covers_every_status_and_final_states_are_closed() -> None:
    assert set(TRANSITIONS) == set(RequestStatus)
    assert {s for s in RequestStatus if not is_open(s)} == {
        RequestStatus.COMPLETED,
        RequestStatus.REFUSED,
        RequestStatus.WITHDRAWN,
    }


def test_APPI_33_1_due_date_and_overdue() -> None:
    received = date(2026, 11, 1)
    assert due_date(received) == date(2026, 11, 1 + DUE_DAYS)
    assert not is_overdue(RequestStatus.RECEIVED, due_date(received), due_date(received))
    assert is_overdue(RequestStatus.IN_PROGRESS, due_date(received), date(2026, 11, 16))
    assert not is_overdue(RequestStatus.COMPLETED, due_date(received), date(2027, 1, 1))


def test_every_kind_cites_the_article_that_grants_it() -> None:
    assert RequestKind.DISCLOSURE.rules == ("APPI-33-1", "APPI-33-5")
    assert RequestKind.CORRECTION.rules == ("APPI-34-1",)
    assert {k.rules for k in (RequestKind.STOP_USE, RequestKind.DELETION, RequestKind.STOP_PROVISION)} == {
        ("APPI-35-1",)
    }
