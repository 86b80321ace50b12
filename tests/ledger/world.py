"""A small ledger world shared by the ledger tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from mamori.bootstrap import Platform
from mamori.domain.calendar import JST
from mamori.domain.consent import Actor, ConsentAction, ConsentEvent
from mamori.domain.purposes import Purpose, PurposeKind
from mamori.domain.subjects import Subject
from mamori.domain.terms import TermsVersion
from mamori.services.consent import publish_terms, record_choice, register_purpose, register_subjects

ANALYSIS = Purpose(
    "analysis",
    PurposeKind.INTERNAL_ANALYSIS,
    description_ja="ポイントカードの購買履歴を集計し、店舗の品揃えの改善に利用します",
    description_en="Aggregate point-card purchases to improve the assortment of partner shops",
)
ADS = Purpose(
    "provide_ads",
    PurposeKind.THIRD_PARTY_PROVISION,
    frozenset({"ad_business"}),
    description_ja="購買履歴を広告事業者に提供し、広告事業者があなたに合った広告を配信します",
    description_en="Provide purchase history to advertising businesses so they can show you relevant ads",
)


def jst(text: str) -> datetime:
    """Read an ISO date-time as JST."""
    return datetime.fromisoformat(text).replace(tzinfo=JST)


MakePlatform = Callable[[str], Platform]


def seed(platform: Platform) -> None:
    """Register purposes, two terms versions, three subjects and a few choices."""
    ledger = platform.ledger
    register_purpose(ledger, ANALYSIS, "officer")
    register_purpose(ledger, ADS, "officer")
    publish_terms(ledger, TermsVersion("v1", date(2020, 1, 1), frozenset({"analysis"})), "officer")
    publish_terms(
        ledger, TermsVersion("v2", date(2021, 7, 1), frozenset({"analysis", "provide_ads"})), "officer"
    )
    register_subjects(
        ledger,
        [
            Subject("hanako", date(1985, 2, 10)),
            Subject("mother", date(1980, 1, 1)),
            Subject("ken", date(2012, 6, 1), guardian="mother"),
        ],
        "operator",
    )
    for event in (
        ConsentEvent(
            "hanako", "analysis", ConsentAction.GRANT, jst("2020-05-01T12:00:00"), "v1", channel="web"
        ),
        ConsentEvent(
            "ken", "analysis", ConsentAction.GRANT, jst("2021-08-01T12:00:00"), "v2", Actor.GUARDIAN
        ),
        ConsentEvent("hanako", "provide_ads", ConsentAction.GRANT, jst("2021-08-01T12:00:00"), "v2"),
        ConsentEvent("hanako", "provide_ads", ConsentAction.WITHDRAW, jst("2022-01-01T12:00:00"), "v2"),
    ):
        record_choice(ledger, event, "member")
