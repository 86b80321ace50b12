"""Reportability re-decided when facts change, and the report clock that starts with it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mamori.domain.calendar import JST
from mamori.domain.incidents.classification import Audience
from mamori.domain.incidents.deadlines import Urgency
from mamori.domain.incidents.events import NotificationTaskDone, Reassessed
from mamori.domain.incidents.facts import Cause, Encryption
from mamori.services.incidents.usecases import IncidentService
from mamori.testing.incidents import FixedClock, InMemoryIncidentStore
from tests.incidents.conftest import AWARE, make_facts, open_ransomware


def _open_small(service: IncidentService, persons: int = 800) -> str:
    facts = make_facts(cause=Cause.LOST_DEVICE, persons=persons, suspected=True)
    return service.open(
        "officer", title="USB 紛失", facts=facts, discovered_by="営業部", summary="電車内で紛失"
    ).id


def test_PPC_RULE_7_4_a_count_passing_1000_makes_it_reportable_at_that_moment(
    service: IncidentService, clock: FixedClock
) -> None:
    incident_id = _open_small(service)
    assert not service.view(incident_id).assessment.reportable
    clock.at = datetime(2022, 10, 20, 15, tzinfo=JST)  # more people found on day 18
    service.amend_facts(incident_id, "officer", "追加調査で 1,200 名と判明", persons=1200)
    view = service.view(incident_id)
    assert view.assessment.reportable and view.assessment.categories == (4,)
    assert view.incident.reportable_since == clock.at
    # The clock starts at the moment it became reportable: day 1 = 20 Oct, day 30 = 18 Nov (Friday).
    assert view.assessment.final_due == date(2022, 11, 18)
    assert view.assessment.preliminary_due == date(2022, 10, 23)
    assert "PPC-RULE-7-4" in view.assessment.rules


def test_PPC_RULE_7_4_passing_exactly_1000_changes_nothing(
    service: IncidentService, store: InMemoryIncidentStore
) -> None:
    incident_id = _open_small(service)
    service.amend_facts(incident_id, "officer", "recount", persons=1000)
    kinds = [kind for kind, _ in store.logs[incident_id]]
    assert kinds.count("incident-reassessed") == 1  # only the one from opening
    assert not service.view(incident_id).assessment.reportable


def test_PPC_RULE_8_2_cause_confirmed_as_unlawful_extends_the_final_deadline_from_the_same_start(
    service: IncidentService, clock: FixedClock
) -> None:
    incident_id = _open_small(service, persons=1500)
    assert service.view(incident_id).assessment.final_due == date(2022, 11, 1)  # 30 days
    clock.at = datetime(2022, 10, 10, 9, tzinfo=JST)
    service.amend_facts(incident_id, "officer", "盗難と判明", cause=Cause.THEFT)
    view = service.view(incident_id)
    assert view.assessment.categories == (3, 4)
    assert view.incident.reportable_since == AWARE  # still from the day of knowing
    assert view.assessment.final_due == date(2022, 12, 1)  # 60 days


def test_PPC_RULE_7_X_encryption_confirmed_later_lifts_reportability(service: IncidentService) -> None:
    incident_id = _open_small(service, persons=1500)
    service.amend_facts(incident_id, "officer", "全体暗号化を確認", encryption=Encryption.HIGH_LEVEL)
    view = service.view(incident_id)
    assert not view.assessment.reportable and view.assessment.rules == ("PPC-RULE-7-X",)
    assert view.incident.reportable_since is None and view.countdowns == ()


def test_reassessment_is_an_audited_event_with_the_rule_ids(
    service: IncidentService, store: InMemoryIncidentStore
) -> None:
    incident_id = _open_small(service)
    service.amend_facts(incident_id, "officer", "sensitive data found", sensitive=True)
    reassessed = [e for e in store.events(incident_id) if isinstance(e, Reassessed)]
    assert [e.reportable for e in reassessed] == [False, True]
    assert reassessed[-1].rules == ("APPI-26-1", "PPC-RULE-7-1")
    assert [kind for kind, _, _ in store.audit][-1] == "incident-notification-task-opened"
    assert "incident-facts-amended" in [kind for kind, _, _ in store.audit]


@pytest.mark.parametrize(
    ("today", "preliminary", "final"),
    [
        (date(2022, 10, 3), Urgency.OK, Urgency.OK),
        (date(2022, 10, 5), Urgency.DUE_SOON, Urgency.OK),
        (date(2022, 10, 6), Urgency.DUE_TODAY, Urgency.OK),
        (date(2022, 10, 7), Urgency.OVERDUE, Urgency.OK),
        (date(2022, 11, 25), Urgency.OVERDUE, Urgency.DUE_SOON),
        (date(2022, 12, 2), Urgency.OVERDUE, Urgency.OVERDUE),
    ],
)
def test_PPC_RULE_8_1_and_8_2_countdowns_warn_before_the_deadlines(
    service: IncidentService, today: date, preliminary: Urgency, final: Urgency
) -> None:
    incident = open_ransomware(service)
    first, second = service.view(incident.id, today).countdowns
    assert (first.audience, first.rule, first.urgency) == (
        Audience.PPC_PRELIMINARY,
        "PPC-RULE-8-1",
        preliminary,
    )
    assert (second.audience, second.rule, second.urgency) == (Audience.PPC_FINAL, "PPC-RULE-8-2", final)
    assert second.days_left == (date(2022, 12, 1) - today).days


def test_PPC_RULE_8_1_a_done_report_stops_the_warning(service: IncidentService) -> None:
    incident = open_ransomware(service)
    service.record(
        incident.id, "officer", NotificationTaskDone, audience=Audience.PPC_PRELIMINARY, done_at=AWARE
    )
    first, _ = service.view(incident.id, date(2022, 10, 9)).countdowns
    assert first.urgency is Urgency.DONE


def test_APPI_26_1_reportable_incidents_open_their_statutory_tasks_with_due_dates(
    service: IncidentService,
) -> None:
    incident = open_ransomware(service)
    assert set(incident.tasks) == {Audience.PPC_PRELIMINARY, Audience.PPC_FINAL, Audience.SUBJECTS}
    due = incident.tasks[Audience.PPC_FINAL].due
    assert due is not None and due.date() == date(2022, 12, 1)


def test_PPC_RULE_8_2_an_open_final_report_task_follows_the_new_deadline(
    service: IncidentService, clock: FixedClock
) -> None:
    incident_id = _open_small(service, persons=1500)
    before = service.get(incident_id).tasks[Audience.PPC_FINAL].due
    assert before is not None and before.date() == date(2022, 11, 1)
    service.amend_facts(incident_id, "officer", "盗難と判明", cause=Cause.THEFT)
    after = service.get(incident_id).tasks[Audience.PPC_FINAL].due
    assert after is not None and after.date() == date(2022, 12, 1)
