"""What happens to an incident, as frozen events; the same records feed the audit chain.

An incident's state is the fold of its events (see `state.py`), so the store keeps the events
and nothing else can drift from them. Each event has a kebab-case `name`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from mamori.domain.incidents.classification import Audience, FirstAid, InfectionRoute, Inquiry, OrgSize
from mamori.domain.incidents.facts import IncidentFacts
from mamori.domain.incidents.flow import Step


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentEvent:
    """Fields every incident event carries."""

    name: ClassVar[str] = "incident-event"
    incident_id: str
    at: datetime
    actor: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentOpened(IncidentEvent):
    """Step 1: someone found something; the privacy officer is told at once."""

    name: ClassVar[str] = "incident-opened"
    title: str
    facts: IncidentFacts
    discovered_by: str
    summary: str
    officer_notified_at: datetime | None = None
    organisation: str = ""
    org_size: OrgSize = OrgSize.LARGE
    route: InfectionRoute = InfectionRoute.UNKNOWN


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficerNotified(IncidentEvent):
    """The privacy officer (個人情報保護管理者) was told."""

    name: ClassVar[str] = "incident-officer-notified"
    officer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FactsAmended(IncidentEvent):
    """The facts changed (persons found later, cause confirmed); the whole new set is kept."""

    name: ClassVar[str] = "incident-facts-amended"
    facts: IncidentFacts
    reason: str
    route: InfectionRoute | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Reassessed(IncidentEvent):
    """Reportability was decided anew; `reportable_since` starts the report clock."""

    name: ClassVar[str] = "incident-reassessed"
    reportable: bool
    categories: tuple[int, ...]
    rules: tuple[str, ...]
    reportable_since: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamMemberAssigned(IncidentEvent):
    """Step 2a: a role on the response team."""

    name: ClassVar[str] = "incident-team-member-assigned"
    role: str
    person: str
    contact: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FirstAidDone(IncidentEvent):
    """Step 2b: a first-aid action, who did it and when."""

    name: ClassVar[str] = "incident-first-aid-done"
    action: FirstAid
    done_by: str
    done_at: datetime
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class FindingRecorded(IncidentEvent):
    """Step 3: the answer to one of the 5W1H questions (a later answer replaces an earlier one)."""

    name: ClassVar[str] = "incident-finding-recorded"
    question: Inquiry
    answer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEntryAdded(IncidentEvent):
    """Step 3: something that happened, placed on the timeline."""

    name: ClassVar[str] = "incident-timeline-entry-added"
    occurred_at: datetime
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EvidenceAttached(IncidentEvent):
    """Step 3: an evidence file, identified by the SHA-256 the store computed on upload."""

    name: ClassVar[str] = "incident-evidence-attached"
    filename: str
    sha256: str
    size: int
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ImpactComputed(IncidentEvent):
    """Step 3: the affected people computed from lineage (APPI-26-1).

    The list itself is not copied into the event: lineage is append-only, so it is derived again
    from `sources` whenever it is needed, and `subjects_sha256` proves it is the same list.
    """

    name: ClassVar[str] = "incident-impact-computed"
    sources: tuple[str, ...]
    persons: int
    items: tuple[str, ...]
    sensitive_items: tuple[str, ...] = ()
    financial_items: tuple[str, ...] = ()
    minors: int = 0
    subjects_sha256: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SecondaryDamageAssessed(IncidentEvent):
    """Step 3: secondary damage or its risk (report item 5)."""

    name: ClassVar[str] = "incident-secondary-damage-assessed"
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NotificationTaskOpened(IncidentEvent):
    """Step 4: someone must be told; `due` is the legal or planned date, if any."""

    name: ClassVar[str] = "incident-notification-task-opened"
    audience: Audience
    description: str
    due: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NotificationTaskDone(IncidentEvent):
    """Step 4: they were told; `reference` is the receipt number, letter id or URL."""

    name: ClassVar[str] = "incident-notification-task-done"
    audience: Audience
    done_at: datetime
    reference: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class NoticesDelivered(IncidentEvent):
    """Step 4: notices handed to a channel in bulk; the manifest lists each delivery by subject."""

    name: ClassVar[str] = "incident-notices-delivered"
    channel: str  # "email-outbox", "portal", ...
    delivered: int
    undeliverable: int  # no contact: needs the substitute measure (APPI-26-2)
    manifest_sha256: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ContainmentRecorded(IncidentEvent):
    """Step 5: a containment or recovery measure taken."""

    name: ClassVar[str] = "incident-containment-recorded"
    measure: str
    done_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class HelpDeskOpened(IncidentEvent):
    """Step 5: the inquiry desk for affected people (also the APPI-26-2 substitute measure)."""

    name: ClassVar[str] = "incident-help-desk-opened"
    contact: str
    hours: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RecoveryConfirmed(IncidentEvent):
    """Step 5: service and data are back to normal."""

    name: ClassVar[str] = "incident-recovery-confirmed"
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AfterActionRecorded(IncidentEvent):
    """Step 6: one after-action field (root cause, measures, apology, compensation, lessons)."""

    name: ClassVar[str] = "incident-after-action-recorded"
    field: str  # one of state.AFTER_ACTION_FIELDS
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StepAdvanced(IncidentEvent):
    """The incident moved on in the flow (the last one closes it)."""

    name: ClassVar[str] = "incident-step-advanced"
    from_step: Step
    to_step: Step


EVENT_TYPES: dict[str, type[IncidentEvent]] = {
    cls.name: cls
    for cls in (
        IncidentOpened,
        OfficerNotified,
        FactsAmended,
        Reassessed,
        TeamMemberAssigned,
        FirstAidDone,
        FindingRecorded,
        TimelineEntryAdded,
        EvidenceAttached,
        ImpactComputed,
        SecondaryDamageAssessed,
        NotificationTaskOpened,
        NotificationTaskDone,
        NoticesDelivered,
        ContainmentRecorded,
        HelpDeskOpened,
        RecoveryConfirmed,
        AfterActionRecorded,
        StepAdvanced,
    )
}
