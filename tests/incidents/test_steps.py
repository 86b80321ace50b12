"""Each step's required fields: a step cannot close while they are empty."""

from __future__ import annotations

import pytest

from mamori.domain.incidents.classification import Audience
from mamori.domain.incidents.events import NotificationTaskDone, OfficerNotified
from mamori.domain.incidents.flow import Step
from mamori.domain.incidents.steps import StepIncompleteError
from mamori.errors import InputError
from mamori.services.incidents.usecases import IncidentService
from tests.incidents.conftest import AWARE, fill_step, make_facts, open_ransomware


def test_discovery_cannot_close_until_the_privacy_officer_is_told(service: IncidentService) -> None:
    incident = service.open(
        "clerk", title="誤送信", facts=make_facts(), discovered_by="鈴木", summary="To で送信"
    )
    with pytest.raises(StepIncompleteError) as caught:
        service.advance(incident.id, "clerk")
    assert [m.field for m in caught.value.missing] == ["officer_notified_at"]
    assert "個人情報保護管理者" in caught.value.ja and "privacy officer" in caught.value.en
    service.record(incident.id, "clerk", OfficerNotified, officer="山田")
    assert service.advance(incident.id, "clerk").step is Step.INITIAL_RESPONSE


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (Step.INITIAL_RESPONSE, {"team", "first_aid"}),
        (
            Step.INVESTIGATION,
            {f"finding.{q}" for q in ("when", "where", "who", "what", "why", "how")}
            | {"timeline", "secondary_damage"},
        ),
        (Step.RECOVERY, {"containment", "help_desk", "recovery_note"}),
    ],
)
def test_each_step_lists_its_empty_required_fields(
    service: IncidentService, step: Step, expected: set[str]
) -> None:
    incident = open_ransomware(service)
    while incident.step is not step:
        incident = service.advance(fill_step(service, incident).id, "officer")
    with pytest.raises(StepIncompleteError) as caught:
        service.advance(incident.id, "officer")
    assert {m.field for m in caught.value.missing} == expected


def test_APPI_26_2_and_PPC_RULE_8_1_notification_step_needs_the_preliminary_report_and_the_notice(
    service: IncidentService,
) -> None:
    incident = open_ransomware(service)
    while incident.step is not Step.NOTIFICATION:
        incident = service.advance(fill_step(service, incident).id, "officer")
    with pytest.raises(StepIncompleteError) as caught:
        service.advance(incident.id, "officer")
    rules = {r for m in caught.value.missing for r in m.rules}
    assert {"task.ppc_preliminary", "task.subjects"} <= {m.field for m in caught.value.missing}
    assert {"PPC-RULE-8-1", "APPI-26-2"} <= rules
    # The final report is not needed to move on to recovery, only to close.
    for audience in (Audience.PPC_PRELIMINARY, Audience.SUBJECTS):
        service.record(incident.id, "officer", NotificationTaskDone, audience=audience, done_at=AWARE)
    assert service.advance(incident.id, "officer").step is Step.RECOVERY


def test_PPC_RULE_8_2_incident_cannot_close_before_the_final_report(service: IncidentService) -> None:
    incident = open_ransomware(service)
    while incident.step is not Step.AFTER_ACTION:
        incident = service.advance(fill_step(service, incident).id, "officer")
    incident = fill_step(service, incident)
    assert service.advance(incident.id, "officer").step is Step.CLOSED


def test_after_action_lists_the_open_final_report(service: IncidentService) -> None:
    incident = open_ransomware(service)
    while incident.step is not Step.AFTER_ACTION:
        incident = service.advance(fill_step(service, incident).id, "officer")
    with pytest.raises(StepIncompleteError) as caught:
        service.advance(incident.id, "officer")
    final = [m for m in caught.value.missing if m.field == "task.ppc_final"]
    assert final and final[0].rules == ("PPC-RULE-8-2",)
    assert {"after_action.root_cause", "after_action.lessons", "after_action.apology"} <= {
        m.field for m in caught.value.missing
    }


def test_a_closed_incident_accepts_nothing(service: IncidentService) -> None:
    incident = open_ransomware(service)
    while incident.step is not Step.CLOSED:
        incident = service.advance(fill_step(service, incident).id, "officer")
    assert incident.closed_at is not None
    with pytest.raises(InputError):
        service.advance(incident.id, "officer")
    with pytest.raises(InputError):
        service.record(incident.id, "officer", OfficerNotified, officer="x")


def test_a_small_misdelivery_needs_no_statutory_tasks(service: IncidentService) -> None:
    incident = service.open(
        "clerk",
        title="誤送信",
        facts=make_facts(),
        discovered_by="鈴木",
        summary="To で送信",
        officer_told=True,
    )
    assert incident.tasks == {}
    while incident.step is not Step.CLOSED:
        incident = service.advance(fill_step(service, incident).id, "clerk")
    assert incident.step is Step.CLOSED


def test_APPI_26_2_publication_is_the_substitute_when_notice_is_difficult(service: IncidentService) -> None:
    from mamori.domain.incidents.events import NotificationTaskOpened

    incident = open_ransomware(service)
    while incident.step is not Step.NOTIFICATION:
        incident = service.advance(fill_step(service, incident).id, "officer")
    service.record(
        incident.id, "officer", NotificationTaskDone, audience=Audience.PPC_PRELIMINARY, done_at=AWARE
    )
    with pytest.raises(StepIncompleteError) as caught:
        service.advance(incident.id, "officer")
    assert [m.field for m in caught.value.missing] == ["task.subjects"]
    service.record(
        incident.id, "officer", NotificationTaskOpened, audience=Audience.PUBLICATION, description="HP"
    )
    service.record(incident.id, "officer", NotificationTaskDone, audience=Audience.PUBLICATION, done_at=AWARE)
    assert service.advance(incident.id, "officer").step is Step.RECOVERY


def test_APPI_26_2_statutory_tasks_lapse_when_the_case_turns_out_not_reportable(
    service: IncidentService,
) -> None:
    from mamori.domain.incidents.facts import Encryption

    incident = open_ransomware(service)
    assert Audience.PPC_FINAL in incident.tasks
    service.amend_facts(incident.id, "officer", "暗号化を確認、鍵は無事", encryption=Encryption.HIGH_LEVEL)
    incident = service.get(incident.id)
    while incident.step is not Step.AFTER_ACTION:
        incident = service.advance(fill_step(service, incident).id, "officer")
    from mamori.domain.incidents.events import AfterActionRecorded
    from mamori.domain.incidents.state import AFTER_ACTION_FIELDS

    for key in AFTER_ACTION_FIELDS:
        service.record(incident.id, "officer", AfterActionRecorded, field=key, text="記載")
    assert service.advance(incident.id, "officer").step is Step.CLOSED
