"""A compact way to describe a policy world in tests."""

from __future__ import annotations

from datetime import date, datetime

from mamori.domain.calendar import JST
from mamori.domain.consent import Actor, ConsentAction, ConsentBook, ConsentEvent
from mamori.domain.items import DataItem
from mamori.domain.policy import PolicyWorld
from mamori.domain.purposes import Basis, Purpose, PurposeKind
from mamori.domain.recipients import Recipient, Relation
from mamori.domain.requests import Action, LegalException, PolicyRequest, ProvisionKind
from mamori.domain.subjects import Subject
from mamori.domain.terms import TermsHistory, TermsVersion

ADULT = Subject("alice", date(1990, 4, 1))
PURPOSES = {
    "analysis": Purpose("analysis", PurposeKind.INTERNAL_ANALYSIS),
    "ads": Purpose("ads", PurposeKind.THIRD_PARTY_PROVISION, frozenset({"ad_business"})),
    "ads_abroad": Purpose(
        "ads_abroad", PurposeKind.THIRD_PARTY_PROVISION, frozenset({"ad_business"}), foreign=True
    ),
    "list_sale": Purpose(
        "list_sale",
        PurposeKind.THIRD_PARTY_PROVISION,
        frozenset({"marketer"}),
        basis=Basis.OPT_OUT,
        ppc_notified=True,
    ),
    "unfiled": Purpose(
        "unfiled",
        PurposeKind.THIRD_PARTY_PROVISION,
        frozenset({"marketer"}),
        basis=Basis.OPT_OUT,
        ppc_notified=False,
    ),
    "group": Purpose("group", PurposeKind.JOINT_USE, frozenset({"group_company"})),
    "delivery": Purpose("delivery", PurposeKind.SERVICE),
    "tax": Purpose("tax", PurposeKind.MY_NUMBER_ADMIN),
}
ITEMS = {
    "purchase_history": DataItem("purchase_history"),
    "medical_history": DataItem("medical_history", sensitive=True),
    "my_number": DataItem("my_number", my_number=True),
    "browsing_history": DataItem("browsing_history", personal_related=True),
}
V1 = TermsVersion("v1", date(2020, 1, 1), frozenset(PURPOSES))


def at(text: str) -> datetime:
    """Read an ISO date-time as JST."""
    return datetime.fromisoformat(text).replace(tzinfo=JST)


def grant(
    purpose: str,
    when: str = "2021-01-01T10:00",
    subject: str = "alice",
    terms: str = "v1",
    by: Actor = Actor.SELF,
    action: ConsentAction = ConsentAction.GRANT,
) -> ConsentEvent:
    """Build a consent event."""
    return ConsentEvent(subject, purpose, action, at(when), terms, by)


def world(
    *events: ConsentEvent, subjects: tuple[Subject, ...] = (ADULT,), terms: tuple[TermsVersion, ...] = (V1,)
) -> PolicyWorld:
    """Build a world from consent events."""
    people = {s.id: s for s in subjects}
    return PolicyWorld(PURPOSES, ITEMS, ConsentBook(events, people, TermsHistory(terms)))


def use(
    purpose: str,
    items: tuple[str, ...] = ("purchase_history",),
    subject: str = "alice",
    when: str = "2022-01-01T10:00",
    exception: LegalException | None = None,
) -> PolicyRequest:
    """Build a use request."""
    return PolicyRequest("r", at(when), subject, Action.USE, purpose, items, exception=exception)


def provide(
    purpose: str,
    category: str = "ad_business",
    *,
    kind: ProvisionKind = ProvisionKind.PERSONAL_DATA,
    items: tuple[str, ...] = ("purchase_history",),
    country: str = "JP",
    relation: Relation = Relation.THIRD_PARTY,
    subject: str = "alice",
    when: str = "2022-01-01T10:00",
    will_link: bool = False,
    confirmed: bool = False,
    exception: LegalException | None = None,
) -> PolicyRequest:
    """Build a provide request."""
    recipient = Recipient("rcp", category, country, relation, will_link, confirmed)
    return PolicyRequest("r", at(when), subject, Action.PROVIDE, purpose, items, kind, recipient, exception)
