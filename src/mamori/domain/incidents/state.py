"""An incident's state: the fold of its events, and the commands that produce new events.

Nothing sets a field directly: `apply` is the only way state changes, so the stored events,
the audit chain and what the console shows cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from mamori.domain.config import DEFAULT_CONFIG, PolicyConfig
from mamori.domain.incidents.classification import Audience, FirstAid, InfectionRoute, Inquiry, OrgSize
from mamori.domain.incidents.events import (
    AfterActionRecorded,
    ContainmentRecorded,
    EvidenceAttached,
    FactsAmended,
    FindingRecorded,
    FirstAidDone,
    HelpDeskOpened,
    ImpactComputed,
    IncidentEvent,
    IncidentOpened,
    NoticesDelivered,
    NotificationTaskDone,
    NotificationTaskOpened,
    OfficerNotified,
    Reassessed,
    RecoveryConfirmed,
    SecondaryDamageAssessed,
    StepAdvanced,
    TeamMemberAssigned,
    TimelineEntryAdded,
)
from mamori.domain.incidents.facts import IncidentFacts
from mamori.domain.incidents.flow import Step
from mamori.domain.incidents.reportability import Reportability, assess
from mamori.errors import InputError

AFTER_ACTION_FIELDS: dict[str, tuple[str, str]] = {
    "root_cause": ("根本原因", "root cause"),
    "recurrence_done": ("実施済みの再発防止策", "measures against recurrence, done"),
    "recurrence_planned": ("今後の再発防止策", "measures against recurrence, planned"),
    "apology": ("謝罪の方法", "apology"),
    "compensation": ("補償の方針", "compensation"),
    "lessons": ("教訓", "lessons learned"),
}


@dataclass(frozen=True, slots=True)
class TeamMember:
    """A role on the response team and who holds it."""

    role: str
    person: str
    contact: str


@dataclass(frozen=True, slots=True)
class FirstAidEntry:
    """A first-aid action with who did it and when."""

    action: FirstAid
    done_by: str
    done_at: datetime
    note: str


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One moment on the investigation's timeline."""

    occurred_at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """An evidence file, by the hash computed when it was stored."""

    filename: str
    sha256: str
    size: int
    description: str
    attached_at: datetime
    attached_by: str


@dataclass(frozen=True, slots=True)
class Task:
    """Someone who must be told, and whether they were."""

    audience: Audience
    description: str
    due: datetime | None
    opened_at: datetime
    done_at: datetime | None = None
    reference: str = ""

    @property
    def done(self) -> bool:
        """Tell whether the task is finished."""
        return self.done_at is not None


@dataclass(frozen=True, slots=True)
class Incident:
    """Everything known about one incident, at one point of its event log."""

    id: str
    title: str
    opened_at: datetime
    opened_by: str
    facts: IncidentFacts
    discovered_by: str
    summary: str
    organisation: str
    org_size: OrgSize
    route: InfectionRoute
    officer_notified_at: datetime | None = None
    step: Step = Step.DISCOVERY
    reportable_since: datetime | None = None
    team: tuple[TeamMember, ...] = ()
    first_aid: tuple[FirstAidEntry, ...] = ()
    findings: dict[Inquiry, str] = field(default_factory=dict)
    timeline: tuple[TimelineEntry, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    secondary_damage: str = ""
    tasks: dict[Audience, Task] = field(default_factory=dict)
    containment: tuple[tuple[str, datetime], ...] = ()
    help_desk: str = ""
    recovery_note: str = ""
    after_action: dict[str, str] = field(default_factory=dict)
    closed_at: datetime | None = None
    deliveries: tuple[tuple[str, int, int, str], ...] = ()  # (channel, delivered, undeliverable, manifest)
    impact: ImpactComputed | None = None  # the last impact computed from lineage
    version: int = 0  # number of events folded in

    def assessment(self, config: PolicyConfig = DEFAULT_CONFIG) -> Reportability:
        """Decide reportability now, counting deadlines from when it became reportable."""
        facts = self.facts
        if self.reportable_since is not None:
            facts = replace(facts, aware_at=self.reportable_since)
        return assess(facts, config)


def apply(incident: Incident | None, event: IncidentEvent) -> Incident:
    """Fold one event into the state (the only place state changes)."""
    if isinstance(event, IncidentOpened):
        if incident is not None:
            raise InputError(
                "事案は既に開始されています", "the incident is already open", field="incident_id"
            )
        return Incident(
            id=event.incident_id,
            title=event.title,
            opened_at=event.at,
            opened_by=event.actor,
            facts=event.facts,
            discovered_by=event.discovered_by,
            summary=event.summary,
            organisation=event.organisation,
            org_size=event.org_size,
            route=event.route,
            officer_notified_at=event.officer_notified_at,
            version=1,
        )
    if incident is None:
        raise InputError("事案が開始されていません", "the incident was never opened", field="incident_id")
    return replace(_apply(incident, event), version=incident.version + 1)


def _apply(inc: Incident, event: IncidentEvent) -> Incident:
    match event:
        case OfficerNotified():
            return replace(inc, officer_notified_at=event.at)
        case FactsAmended():
            return replace(inc, facts=event.facts, route=event.route or inc.route)
        case Reassessed():
            return replace(inc, reportable_since=event.reportable_since)
        case TeamMemberAssigned():
            kept = tuple(m for m in inc.team if m.role != event.role)
            return replace(inc, team=(*kept, TeamMember(event.role, event.person, event.contact)))
        case FirstAidDone():
            entry = FirstAidEntry(event.action, event.done_by, event.done_at, event.note)
            return replace(inc, first_aid=(*inc.first_aid, entry))
        case FindingRecorded():
            return replace(inc, findings={**inc.findings, event.question: event.answer})
        case TimelineEntryAdded():
            timeline = sorted((*inc.timeline, TimelineEntry(event.occurred_at, event.text)), key=_when)
            return replace(inc, timeline=tuple(timeline))
        case EvidenceAttached():
            item = Evidence(
                event.filename, event.sha256, event.size, event.description, event.at, event.actor
            )
            return replace(inc, evidence=(*inc.evidence, item))
        case SecondaryDamageAssessed():
            return replace(inc, secondary_damage=event.text)
        case ImpactComputed():
            return replace(inc, impact=event)
        case NotificationTaskOpened():
            task = Task(event.audience, event.description, event.due, event.at)
            return replace(inc, tasks={**inc.tasks, event.audience: task})
        case NotificationTaskDone():
            done = replace(inc.tasks[event.audience], done_at=event.done_at, reference=event.reference)
            return replace(inc, tasks={**inc.tasks, event.audience: done})
        case NoticesDelivered():
            batch = (event.channel, event.delivered, event.undeliverable, event.manifest_sha256)
            return replace(inc, deliveries=(*inc.deliveries, batch))
        case ContainmentRecorded():
            return replace(inc, containment=(*inc.containment, (event.measure, event.done_at)))
        case HelpDeskOpened():
            return replace(inc, help_desk=f"{event.contact} ({event.hours})")
        case RecoveryConfirmed():
            return replace(inc, recovery_note=event.note)
        case AfterActionRecorded():
            return replace(inc, after_action={**inc.after_action, event.field: event.text})
        case StepAdvanced():
            closed_at = event.at if event.to_step is Step.CLOSED else None
            return replace(inc, step=event.to_step, closed_at=closed_at)
    raise InputError(f"未知の事象です: {event.name}", f"unknown event: {event.name}")


def _when(entry: TimelineEntry) -> datetime:
    return entry.occurred_at


def fold(events: Iterable[IncidentEvent]) -> Incident:
    """Rebuild an incident from its event log."""
    incident: Incident | None = None
    for event in events:
        incident = apply(incident, event)
    if incident is None:
        raise InputError("事象がありません", "no events for this incident", field="incident_id")
    return incident


def check_recordable(incident: Incident, event: IncidentEvent) -> None:
    """Refuse events that do not fit the incident as it stands."""
    if event.incident_id != incident.id:
        raise InputError("別の事案の事象です", "the event belongs to another incident", field="incident_id")
    if incident.step is Step.CLOSED:
        raise InputError("終結した事案は変更できません", "a closed incident cannot change", field="step")
    if isinstance(event, NotificationTaskDone) and event.audience not in incident.tasks:
        raise InputError(
            "開始されていない通知タスクです", "no such notification task was opened", field=event.audience
        )
    if isinstance(event, AfterActionRecorded) and event.field not in AFTER_ACTION_FIELDS:
        raise InputError("事後対応の項目が不正です", "unknown after-action field", field=event.field)
    if isinstance(event, EvidenceAttached) and not _is_sha256(event.sha256):
        raise InputError(
            "証拠のハッシュが SHA-256 ではありません", "evidence hash is not SHA-256", field="sha256"
        )


def _is_sha256(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def open_incident(opened: IncidentOpened, config: PolicyConfig = DEFAULT_CONFIG) -> list[IncidentEvent]:
    """Open an incident and decide reportability from the first facts."""
    decision = assess(opened.facts, config)
    since = opened.facts.aware_at if decision.reportable else None
    return [opened, _reassessed(opened, decision, since)]


def amend_facts(
    incident: Incident, amended: FactsAmended, config: PolicyConfig = DEFAULT_CONFIG
) -> list[IncidentEvent]:
    """Record new facts and re-decide; a case turning reportable starts its clock at that moment.

    PPC-RULE-7-4: "a count passing 1,000 makes it reportable at that moment" — the deadlines of
    PPC-RULE-8-1/8-2 then count from when the business learned the fact that made it reportable,
    not from when the incident was first noticed.
    """
    check_recordable(incident, amended)
    before = incident.assessment(config)
    after = assess(amended.facts, config)
    events: list[IncidentEvent] = [amended]
    if after.categories != before.categories or after.reportable != before.reportable:
        if not after.reportable:
            since = None
        elif incident.reportable_since is not None:
            since = incident.reportable_since
        else:
            since = amended.at
        events.append(_reassessed(amended, after, since))
    return events


def _reassessed(source: IncidentEvent, decision: Reportability, since: datetime | None) -> Reassessed:
    return Reassessed(
        incident_id=source.incident_id,
        at=source.at,
        actor=source.actor,
        reportable=decision.reportable,
        categories=decision.categories,
        rules=decision.rules,
        reportable_since=since,
    )
