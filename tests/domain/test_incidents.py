"""Reportability and deadlines of incidents (PPC Rule 7 and 8, Art. 26)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mamori.domain.calendar import JST
from mamori.domain.incidents.facts import Cause, Encryption, EventType, IncidentFacts
from mamori.domain.incidents.reportability import assess, final_due


def facts(**kw: object) -> IncidentFacts:
    base: dict[str, object] = {
        "aware_at": datetime(2022, 10, 3, 10, tzinfo=JST),
        "event": EventType.LEAK,
        "cause": Cause.MISDELIVERY,
        "persons": 10,
    }
    base.update(kw)
    return IncidentFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kw", "category", "rule_id"),
    [
        ({"sensitive": True}, 1, "PPC-RULE-7-1"),
        ({"financial": True}, 2, "PPC-RULE-7-2"),
        ({"cause": Cause.RANSOMWARE}, 3, "PPC-RULE-7-3"),
        ({"cause": Cause.INSIDER_THEFT}, 3, "PPC-RULE-7-3"),
        ({"persons": 1001}, 4, "PPC-RULE-7-4"),
    ],
)
def test_PPC_RULE_7_categories_and_APPI_26_1(kw: dict[str, object], category: int, rule_id: str) -> None:
    result = assess(facts(**kw))
    assert result.reportable and result.categories == (category,)
    assert "APPI-26-1" in result.rules and rule_id in result.rules


def test_PPC_RULE_7_4_exactly_1000_is_not_more_than_1000() -> None:
    assert not assess(facts(persons=1000)).reportable


def test_PPC_RULE_7_X_high_level_encryption_exempts() -> None:
    result = assess(facts(sensitive=True, encryption=Encryption.HIGH_LEVEL))
    assert not result.reportable and result.rules == ("PPC-RULE-7-X",)


def test_loss_with_an_intact_backup_is_no_loss() -> None:
    assert not assess(facts(event=EventType.LOSS, persons=5000, backup=True)).reportable
    assert assess(facts(event=EventType.LEAK, persons=5000, backup=True)).reportable


def test_PPC_RULE_8_2_day_of_knowing_is_day_1_and_closed_days_roll_forward() -> None:
    assert final_due(date(2022, 10, 3), 30) == date(2022, 11, 1)
    assert final_due(date(2022, 10, 3), 60) == date(2022, 12, 1)
    assert final_due(date(2023, 4, 1), 30) == date(2023, 5, 1)  # day 30 is a Sunday
    # 29 Dec - 3 Jan are closed: day 30 on 30 Dec 2022 (Friday) moves to 4 Jan 2023.
    assert final_due(date(2022, 12, 1), 30) == date(2023, 1, 4)
    # A national holiday: day 30 on 2023-11-03 (Culture Day) moves to Monday 6th.
    assert final_due(date(2023, 10, 5), 30) == date(2023, 11, 6)


def test_PPC_RULE_8_1_and_8_2_deadlines_and_APPI_26_2_notification() -> None:
    result = assess(facts(cause=Cause.RANSOMWARE, persons=5000))
    assert result.categories == (3, 4)
    assert result.preliminary_due == date(2022, 10, 6)
    assert result.final_due == date(2022, 12, 1)  # category 3 with others: 60 days
    assert result.notify_subjects
    quiet = assess(facts())
    assert not quiet.notify_subjects and quiet.final_due is None
