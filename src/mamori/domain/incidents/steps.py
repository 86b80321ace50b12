"""What each step of the flow needs before it can close, and moving on.

A step closes only when its required fields are filled; the list of what is missing is the
officer's to-do list, with the rule ids where the law is the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from mamori.domain.config import DEFAULT_CONFIG, PolicyConfig
from mamori.domain.incidents.classification import Audience, Inquiry
from mamori.domain.incidents.events import StepAdvanced
from mamori.domain.incidents.flow import Step, can_advance, next_step
from mamori.domain.incidents.labels import INQUIRY_LABELS
from mamori.domain.incidents.state import AFTER_ACTION_FIELDS, Incident
from mamori.errors import InputError


@dataclass(frozen=True, slots=True)
class Missing:
    """A required field that is still empty."""

    field: str
    ja: str
    en: str
    rules: tuple[str, ...] = ()


def _discovery(inc: Incident, _: PolicyConfig) -> list[Missing]:
    found = []
    if not inc.discovered_by.strip():
        found.append(Missing("discovered_by", "発見者", "who found it"))
    if not inc.summary.strip():
        found.append(Missing("summary", "発見した事象の内容", "what was found"))
    if inc.officer_notified_at is None:
        found.append(Missing("officer_notified_at", "個人情報保護管理者への報告", "privacy officer told"))
    return found


def _initial_response(inc: Incident, _: PolicyConfig) -> list[Missing]:
    found = []
    if not inc.team:
        found.append(Missing("team", "対応体制（役割と連絡先）", "response team (roles, contacts)"))
    if not inc.first_aid:
        found.append(Missing("first_aid", "応急措置（誰が・いつ）", "first aid (who, when)"))
    return found


def _investigation(inc: Incident, _: PolicyConfig) -> list[Missing]:
    found = [
        Missing(f"finding.{q}", f"5W1H: {INQUIRY_LABELS[q][0]}", f"5W1H: {q}")
        for q in Inquiry
        if not inc.findings.get(q, "").strip()
    ]
    if not inc.timeline:
        found.append(Missing("timeline", "時系列", "timeline"))
    if not inc.secondary_damage.strip():
        found.append(Missing("secondary_damage", "二次被害又はそのおそれ", "secondary damage or its risk"))
    return found


def _pending(inc: Incident, config: PolicyConfig, later: tuple[Audience, ...] = ()) -> list[Missing]:
    """List open tasks, except those allowed to finish later and statutory ones that lapsed."""
    reportable = inc.assessment(config).reportable
    substituted = Audience.PUBLICATION in inc.tasks and inc.tasks[Audience.PUBLICATION].done
    return [
        _open_task(t.audience)
        for t in inc.tasks.values()
        if not t.done
        and t.audience not in later
        # A case found not reportable after all needs no report and no notice (guideline 3-5-4).
        and (reportable or t.audience not in _TASK_RULES)
        and not (t.audience is Audience.SUBJECTS and substituted)
    ]


def _notification(inc: Incident, config: PolicyConfig) -> list[Missing]:
    # The final report may come later; the notice to persons is checked below with its substitute.
    found = _pending(inc, config, later=(Audience.PPC_FINAL, Audience.SUBJECTS))
    if not inc.assessment(config).reportable:
        return found
    if Audience.PPC_PRELIMINARY not in inc.tasks:
        found.append(
            Missing("task.ppc_preliminary", "委員会への速報", "PPC preliminary report", ("PPC-RULE-8-1",))
        )
    if Audience.PPC_FINAL not in inc.tasks:
        found.append(
            Missing("task.ppc_final", "委員会への確報の予定", "PPC final report planned", ("PPC-RULE-8-2",))
        )
    told = [a for a in (Audience.SUBJECTS, Audience.PUBLICATION) if a in inc.tasks and inc.tasks[a].done]
    if not told:
        # APPI-26-2: notify the persons, or where that is difficult publish (substitute measure).
        found.append(
            Missing(
                "task.subjects",
                "本人への通知（又は代替措置）",
                "notice to persons (or substitute)",
                ("APPI-26-2",),
            )
        )
    return found


def _recovery(inc: Incident, config: PolicyConfig) -> list[Missing]:
    found = []
    if not inc.containment:
        found.append(Missing("containment", "抑制・復旧の措置", "containment and recovery measures"))
    if not inc.help_desk and inc.assessment(config).reportable:
        found.append(Missing("help_desk", "問合せ窓口", "help desk for affected people", ("APPI-26-2",)))
    if not inc.recovery_note.strip():
        found.append(Missing("recovery_note", "復旧の確認", "recovery confirmed"))
    return found


def _after_action(inc: Incident, config: PolicyConfig) -> list[Missing]:
    found = [
        Missing(f"after_action.{key}", ja, en)
        for key, (ja, en) in AFTER_ACTION_FIELDS.items()
        if not inc.after_action.get(key, "").strip()
    ]
    return found + _pending(inc, config)


_TASK_RULES = {
    Audience.PPC_PRELIMINARY: ("PPC-RULE-8-1",),
    Audience.PPC_FINAL: ("PPC-RULE-8-2",),
    Audience.SUBJECTS: ("APPI-26-2",),
}


def _open_task(audience: Audience) -> Missing:
    return Missing(
        f"task.{audience}",
        f"通知タスク未完了: {audience}",
        f"task not done: {audience}",
        _TASK_RULES.get(audience, ()),
    )


_REQUIREMENTS: dict[Step, Callable[[Incident, PolicyConfig], list[Missing]]] = {
    Step.DISCOVERY: _discovery,
    Step.INITIAL_RESPONSE: _initial_response,
    Step.INVESTIGATION: _investigation,
    Step.NOTIFICATION: _notification,
    Step.RECOVERY: _recovery,
    Step.AFTER_ACTION: _after_action,
    Step.CLOSED: lambda _i, _c: [],
}


def missing(incident: Incident, config: PolicyConfig = DEFAULT_CONFIG) -> tuple[Missing, ...]:
    """List what the current step still needs before it can close."""
    return tuple(_REQUIREMENTS[incident.step](incident, config))


class StepIncompleteError(InputError):
    """A step cannot close while required fields are empty."""

    def __init__(self, step: Step, gaps: tuple[Missing, ...]) -> None:
        self.missing = gaps
        ja = "、".join(m.ja for m in gaps)
        en = ", ".join(m.en for m in gaps)
        super().__init__(
            f"{step.label[0]}を完了できません。未記入: {ja}",
            f"cannot close {step.label[1]}; missing: {en}",
            field=gaps[0].field,
        )


def advance(
    incident: Incident, at: datetime, actor: str, config: PolicyConfig = DEFAULT_CONFIG
) -> StepAdvanced:
    """Close the current step and move to the next, refusing while required fields are empty."""
    target = next_step(incident.step)
    if target is None or not can_advance(incident.step, target):
        raise InputError("終結した事案は進められません", "a closed incident cannot advance", field="step")
    gaps = missing(incident, config)
    if gaps:
        raise StepIncompleteError(incident.step, gaps)
    return StepAdvanced(incident_id=incident.id, at=at, actor=actor, from_step=incident.step, to_step=target)
