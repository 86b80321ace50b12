"""The forms of the incident console's six steps, as data: which event each one records.

One table maps a form to its event class, its step (for the page's anchor) and how each field
is read, so the console records exactly the events the CLI records and the domain checks them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from mamori.domain.calendar import JST, as_jst
from mamori.domain.incidents.classification import Audience, FirstAid, Inquiry
from mamori.domain.incidents.deadlines import Urgency
from mamori.domain.incidents.events import (
    AfterActionRecorded,
    ContainmentRecorded,
    FindingRecorded,
    FirstAidDone,
    HelpDeskOpened,
    IncidentEvent,
    NotificationTaskDone,
    NotificationTaskOpened,
    OfficerNotified,
    RecoveryConfirmed,
    SecondaryDamageAssessed,
    TeamMemberAssigned,
    TimelineEntryAdded,
)
from mamori.domain.incidents.flow import Step
from mamori.domain.incidents.labels import (
    AUDIENCE_LABELS,
    CATEGORY_LABELS,
    CAUSE_LABELS,
    EVENT_LABELS,
    FIRST_AID_LABELS,
    INQUIRY_LABELS,
    ROUTE_LABELS,
    SIZE_LABELS,
)
from mamori.domain.incidents.state import AFTER_ACTION_FIELDS
from mamori.errors import InputError
from mamori.services.portal_ports import Account

MAX_TEXT = 4000
Reader = Callable[[str, str, datetime], Any]  # (raw value, field name, now) -> value


def actor_of(account: Account) -> str:
    """Name a console account in the record by role and a pseudonym (never the email itself)."""
    return f"{account.role.value}:{hashlib.sha256(account.email.encode()).hexdigest()[:12]}"


def parse_instant(text: str, name: str) -> datetime | None:
    """Read a date-time field (a browser's `datetime-local` has no zone: it is JST)."""
    if not text.strip():
        return None
    try:
        return as_jst(datetime.fromisoformat(text.strip()))
    except ValueError:
        raise InputError(
            "日時は YYYY-MM-DDTHH:MM で入力してください", "enter the time as YYYY-MM-DDTHH:MM", field=name
        ) from None


def _text(raw: str, name: str, _now: datetime) -> str:
    value = raw.strip()
    if not value:
        raise InputError("必須項目です", "this field is required", field=name)
    if len(value) > MAX_TEXT:
        raise InputError("長すぎます", "too long", field=name)
    return value


def _optional(raw: str, name: str, now: datetime) -> str:
    return _text(raw, name, now) if raw.strip() else ""


def _when_or_now(raw: str, name: str, now: datetime) -> datetime:
    return parse_instant(raw, name) or now


def _when_or_none(raw: str, name: str, _now: datetime) -> datetime | None:
    return parse_instant(raw, name)


def _choice(kind: type[StrEnum] | Mapping[str, Any]) -> Reader:
    def read(raw: str, name: str, _now: datetime) -> Any:
        allowed = list(kind)
        if isinstance(kind, type):
            if raw in {str(k) for k in allowed}:
                return kind(raw)
        elif raw in kind:
            return raw
        raise InputError("選択肢にない値です", "not one of the choices", field=name)

    return read


@dataclass(frozen=True, slots=True)
class StepForm:
    """One form of a step: the event it records and its fields."""

    event: type[IncidentEvent]
    step: Step
    fields: Mapping[str, Reader]

    def parse(self, form: Mapping[str, str], now: datetime) -> dict[str, Any]:
        """Read the submitted fields, naming the first one that is missing or wrong."""
        return {name: read(form.get(name, ""), name, now) for name, read in self.fields.items()}


FORMS: dict[str, StepForm] = {
    "officer-told": StepForm(OfficerNotified, Step.DISCOVERY, {"officer": _text}),
    "team": StepForm(
        TeamMemberAssigned, Step.INITIAL_RESPONSE, {"role": _text, "person": _text, "contact": _text}
    ),
    "first-aid": StepForm(
        FirstAidDone,
        Step.INITIAL_RESPONSE,
        {"action": _choice(FirstAid), "done_by": _text, "done_at": _when_or_now, "note": _optional},
    ),
    "finding": StepForm(FindingRecorded, Step.INVESTIGATION, {"question": _choice(Inquiry), "answer": _text}),
    "timeline": StepForm(
        TimelineEntryAdded, Step.INVESTIGATION, {"occurred_at": _when_or_now, "text": _text}
    ),
    "secondary-damage": StepForm(SecondaryDamageAssessed, Step.INVESTIGATION, {"text": _text}),
    "task": StepForm(
        NotificationTaskOpened,
        Step.NOTIFICATION,
        {"audience": _choice(Audience), "description": _text, "due": _when_or_none},
    ),
    "task-done": StepForm(
        NotificationTaskDone,
        Step.NOTIFICATION,
        {"audience": _choice(Audience), "done_at": _when_or_now, "reference": _optional},
    ),
    "contain": StepForm(ContainmentRecorded, Step.RECOVERY, {"measure": _text, "done_at": _when_or_now}),
    "help-desk": StepForm(HelpDeskOpened, Step.RECOVERY, {"contact": _text, "hours": _text}),
    "recovered": StepForm(RecoveryConfirmed, Step.RECOVERY, {"note": _text}),
    "after-action": StepForm(
        AfterActionRecorded, Step.AFTER_ACTION, {"field": _choice(AFTER_ACTION_FIELDS), "text": _text}
    ),
}

URGENCY_CLASS = {
    Urgency.DONE: "yes",
    Urgency.OK: "",
    Urgency.DUE_SOON: "soon",
    Urgency.DUE_TODAY: "overdue",
    Urgency.OVERDUE: "overdue",
}


def incident_context() -> dict[str, Any]:
    """Return the label tables the incident templates use (each value a (ja, en) pair)."""
    return {
        "CAUSE": CAUSE_LABELS,
        "ROUTE": ROUTE_LABELS,
        "EVENT": EVENT_LABELS,
        "SIZE": SIZE_LABELS,
        "CATEGORY": CATEGORY_LABELS,
        "AUDIENCE": AUDIENCE_LABELS,
        "FIRST_AID": FIRST_AID_LABELS,
        "INQUIRY": INQUIRY_LABELS,
        "URGENCY": URGENCY_CLASS,
        "JST": JST,
    }
