"""Turn a validated policy scenario into the domain's world and requests."""

from __future__ import annotations

from mamori.conformance.models import PolicyScenario, RequestSpec
from mamori.domain.calendar import as_jst
from mamori.domain.consent import ConsentBook, ConsentEvent
from mamori.domain.items import DataItem
from mamori.domain.policy import PolicyWorld
from mamori.domain.purposes import Purpose
from mamori.domain.recipients import Recipient
from mamori.domain.requests import PolicyRequest
from mamori.domain.subjects import Subject
from mamori.domain.terms import TermsHistory, TermsVersion


def build_world(scenario: PolicyScenario) -> PolicyWorld:
    """Build the policy world a scenario describes."""
    purposes = {
        p.id: Purpose(
            id=p.id,
            kind=p.kind,
            recipients=frozenset(p.recipients),
            foreign=p.foreign,
            basis=p.basis,
            ppc_notified=p.ppc_notified,
            description_ja=p.description_ja,
            description_en=p.description_en,
        )
        for p in scenario.purposes
    }
    items = {i.id: DataItem(**i.model_dump()) for i in scenario.items}
    terms = TermsHistory(TermsVersion(t.version, t.effective, frozenset(t.purposes)) for t in scenario.terms)
    subjects = {s.id: Subject(s.id, s.birth_date, s.guardian) for s in scenario.subjects}
    events = [
        ConsentEvent(
            subject=e.subject,
            purpose=e.purpose,
            action=e.action,
            at=as_jst(e.at),
            terms=e.terms,
            by=e.by,
            channel=e.channel,
            seq=n,
        )
        for n, e in enumerate(scenario.events)
    ]
    return PolicyWorld(purposes=purposes, items=items, consents=ConsentBook(events, subjects, terms))


def build_request(spec: RequestSpec) -> PolicyRequest:
    """Build a domain request from its scenario form."""
    recipient = None
    if spec.recipient is not None:
        r = spec.recipient
        recipient = Recipient(
            id=r.id,
            category=r.category,
            country=r.country,
            relation=r.relation,
            will_link=r.will_link,
            consent_confirmed=r.consent_confirmed,
        )
    return PolicyRequest(
        id=spec.id,
        at=as_jst(spec.at),
        subject=spec.subject,
        action=spec.action,
        purpose=spec.purpose,
        items=tuple(spec.items),
        kind=spec.kind,
        recipient=recipient,
        exception=spec.exception,
    )
