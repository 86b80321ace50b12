"""Incident use cases: each reads the log, lets the domain decide, and appends the new events.

The store appends and audits in one transaction and refuses if the log moved on meanwhile
(optimistic concurrency), so two officers recording at once cannot lose an entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any, TypeVar

from mamori.domain.calendar import JST, jst_date
from mamori.domain.config import DEFAULT_CONFIG, PolicyConfig
from mamori.domain.incidents.classification import Audience, InfectionRoute, OrgSize
from mamori.domain.incidents.deadlines import Countdown, countdowns
from mamori.domain.incidents.events import (
    EvidenceAttached,
    FactsAmended,
    ImpactComputed,
    IncidentEvent,
    IncidentOpened,
    NotificationTaskOpened,
)
from mamori.domain.incidents.facts import IncidentFacts
from mamori.domain.incidents.impact import Impact, compute_impact, facts_with_impact
from mamori.domain.incidents.reportability import Reportability
from mamori.domain.incidents.state import Incident, amend_facts, apply, check_recordable, fold, open_incident
from mamori.domain.incidents.steps import Missing, advance, missing
from mamori.domain.items import DataItem
from mamori.errors import InputError
from mamori.services.incidents.ports import Clock, EvidenceStore, IncidentStore, LineageReader

E = TypeVar("E", bound=IncidentEvent)


@dataclass(frozen=True, slots=True)
class IncidentView:
    """An incident with what the officer needs to see: decision, countdowns, what is missing."""

    incident: Incident
    assessment: Reportability
    countdowns: tuple[Countdown, ...]
    missing: tuple[Missing, ...]


class IncidentService:
    """The incident use cases over a store, a clock and (optionally) evidence and lineage."""

    def __init__(
        self,
        store: IncidentStore,
        clock: Clock,
        evidence: EvidenceStore | None = None,
        lineage: LineageReader | None = None,
        config: PolicyConfig = DEFAULT_CONFIG,
    ) -> None:
        self.store, self.clock, self.evidence, self.lineage, self.config = (
            store,
            clock,
            evidence,
            lineage,
            config,
        )

    # reading -------------------------------------------------------------------------------
    def get(self, incident_id: str) -> Incident:
        """Return an incident's current state, naming the id when it is unknown."""
        events = self.store.events(incident_id)
        if not events:
            raise InputError(
                f"事案がありません: {incident_id}", f"no such incident: {incident_id}", field="id"
            )
        return fold(events)

    def view(self, incident_id: str, today: date | None = None) -> IncidentView:
        """Return the incident with its decision, deadline countdowns and missing fields."""
        incident = self.get(incident_id)
        day = today or jst_date(self.clock.now())
        return IncidentView(
            incident,
            incident.assessment(self.config),
            countdowns(incident, day, self.config),
            missing(incident, self.config),
        )

    def all(self) -> list[Incident]:
        """Return every incident (for statistics and lists)."""
        return [self.get(i) for i in self.store.incident_ids()]

    # writing -------------------------------------------------------------------------------
    def open(
        self,
        actor: str,
        *,
        title: str,
        facts: IncidentFacts,
        discovered_by: str,
        summary: str,
        officer_told: bool = False,
        organisation: str = "",
        org_size: OrgSize = OrgSize.LARGE,
        route: InfectionRoute = InfectionRoute.UNKNOWN,
    ) -> Incident:
        """Open an incident (step 1) and decide its reportability from the first facts."""
        now = self.clock.now()
        opened = IncidentOpened(
            incident_id=self.store.next_id(jst_date(now).year),
            at=now,
            actor=actor,
            title=title,
            facts=facts,
            discovered_by=discovered_by,
            summary=summary,
            officer_notified_at=now if officer_told else None,
            organisation=organisation,
            org_size=org_size,
            route=route,
        )
        return self._commit(None, open_incident(opened, self.config))

    def record(self, incident_id: str, actor: str, kind: type[E], **fields: Any) -> Incident:
        """Record one event of `kind` now, on behalf of an actor."""
        incident = self.get(incident_id)
        event = kind(incident_id=incident_id, at=self.clock.now(), actor=actor, **fields)
        return self._commit(incident, [event])

    def amend_facts(self, incident_id: str, actor: str, reason: str, **changes: Any) -> Incident:
        """Change some facts and re-decide reportability (persons found later, cause confirmed)."""
        incident = self.get(incident_id)
        route = changes.pop("route", None)
        amended = FactsAmended(
            incident_id=incident_id,
            at=self.clock.now(),
            actor=actor,
            facts=replace(incident.facts, **changes),
            reason=reason,
            route=route,
        )
        return self._commit(incident, amend_facts(incident, amended, self.config))

    def attach_evidence(
        self, incident_id: str, actor: str, filename: str, data: bytes, description: str = ""
    ) -> Incident:
        """Store an evidence file and record it by the hash the store computed."""
        if self.evidence is None:
            raise InputError("証拠の保管先が設定されていません", "no evidence store is configured")
        stored = self.evidence.put(data)
        return self.record(
            incident_id,
            actor,
            EvidenceAttached,
            filename=filename,
            sha256=stored.sha256,
            size=stored.size,
            description=description,
        )

    def advance(self, incident_id: str, actor: str) -> Incident:
        """Close the current step and move on, refusing while required fields are empty."""
        incident = self.get(incident_id)
        return self._commit(incident, [advance(incident, self.clock.now(), actor, self.config)])

    def impact_from_lineage(
        self, incident_id: str, actor: str, sources: Sequence[str], catalogue: Mapping[str, DataItem]
    ) -> tuple[Incident, Impact]:
        """Compute the affected people from the leaked sources, record it, and feed it to reportability."""
        impact = self._impact(sources, catalogue)
        incident = self.get(incident_id)
        now = self.clock.now()
        computed = ImpactComputed(
            incident_id=incident_id,
            at=now,
            actor=actor,
            sources=impact.sources,
            persons=impact.persons,
            items=impact.items,
            sensitive_items=impact.sensitive_items,
            financial_items=impact.financial_items,
            minors=impact.minors,
            subjects_sha256=subjects_digest(impact.subjects),
        )
        events: list[IncidentEvent] = [computed]
        facts = facts_with_impact(incident.facts, impact)
        if facts != incident.facts:
            reason = f"lineage: {', '.join(impact.sources)} → {impact.persons} persons"
            amended = FactsAmended(incident_id=incident_id, at=now, actor=actor, facts=facts, reason=reason)
            events += amend_facts(apply(incident, computed), amended, self.config)
        return self._commit(incident, events), impact

    def affected(self, incident_id: str, catalogue: Mapping[str, DataItem]) -> Impact | None:
        """Derive the affected people again from the sources the last impact was computed from.

        Returns None before any impact was computed; lineage is append-only, so the list matches
        the digest recorded then (the caller may compare `subjects_digest`).
        """
        incident = self.get(incident_id)
        if incident.impact is None:
            return None
        return self._impact(incident.impact.sources, catalogue)

    def _impact(self, sources: Sequence[str], catalogue: Mapping[str, DataItem]) -> Impact:
        if self.lineage is None:
            raise InputError("系譜の読み取り先が設定されていません", "no lineage reader is configured")
        lineage = self.lineage
        pairs = [(source, row) for source in sources for row in lineage.rows(source)]
        return compute_impact(pairs, catalogue, jst_date(self.clock.now()))

    # the one write path ------------------------------------------------------------------------
    def _commit(self, incident: Incident | None, events: list[IncidentEvent]) -> Incident:
        state = incident
        for event in events:
            if state is not None:
                check_recordable(state, event)
            state = apply(state, event)
        assert state is not None  # events is never empty
        planned = self._planned_tasks(state, events[-1])
        for event in planned:
            state = apply(state, event)
        self.store.append(state.id, [*events, *planned], incident.version if incident else 0)
        return state

    def _planned_tasks(self, incident: Incident, last: IncidentEvent) -> list[IncidentEvent]:
        """Open the statutory notification tasks as soon as an incident is reportable.

        PPC-RULE-8-1 (preliminary), PPC-RULE-8-2 (final) and APPI-26-2 (the persons) become
        tasks with their due dates, so nothing depends on someone remembering them.
        """
        decision = incident.assessment(self.config)
        if not decision.reportable or decision.preliminary_due is None or decision.final_due is None:
            return []
        wanted = {
            Audience.PPC_PRELIMINARY: ("委員会への速報 / PPC preliminary report", decision.preliminary_due),
            Audience.PPC_FINAL: ("委員会への確報 / PPC final report", decision.final_due),
            Audience.SUBJECTS: ("本人への通知 / notice to the persons", None),
        }
        planned: list[IncidentEvent] = []
        for audience, (text, due) in wanted.items():
            deadline = _end_of(due) if due else None
            task = incident.tasks.get(audience)
            # Open a missing task, or move the due date of an open one when the facts moved it
            # (e.g. a cause confirmed as unlawful turns 30 days into 60).
            if task is None or (not task.done and task.due != deadline):
                planned.append(
                    NotificationTaskOpened(
                        incident_id=incident.id,
                        at=last.at,
                        actor="mamori",
                        audience=audience,
                        description=text,
                        due=deadline,
                    )
                )
        return planned


def subjects_digest(subjects: Sequence[str]) -> str:
    """Return the SHA-256 of an affected list (sorted ids, one per line)."""
    return hashlib.sha256("\n".join(sorted(subjects)).encode("utf-8")).hexdigest()


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=JST)
