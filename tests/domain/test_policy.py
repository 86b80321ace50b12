"""The policy decision, rule by rule (each test names the rule id it exercises)."""

from __future__ import annotations

from datetime import UTC, date

import pytest

from mamori.domain.consent import Actor, ConsentAction
from mamori.domain.policy import decide
from mamori.domain.recipients import Relation
from mamori.domain.requests import LegalException, ProvisionKind
from mamori.domain.subjects import Subject
from mamori.domain.terms import TermsVersion
from tests.domain.world import ADULT, V1, grant, provide, use, world


def test_MAMORI_1_and_APPI_18_1_use_needs_a_valid_grant() -> None:
    decision = decide(world(), use("analysis"))
    assert not decision.allowed
    assert decision.rules == ("MAMORI-1", "APPI-18-1")
    assert decision.explanation.ja and decision.explanation.en
    assert decide(world(grant("analysis")), use("analysis")).allowed


def test_APPI_CONSENT_2_silence_is_not_consent() -> None:
    # A subject who never acted has no grant, however long the service is used.
    assert not decide(world(), use("analysis", when="2030-01-01T00:00")).allowed


def test_MAMORI_1_withdrawal_ends_the_grant_and_a_new_grant_restores_it() -> None:
    events = (
        grant("analysis"),
        grant("analysis", "2021-06-01T00:00", action=ConsentAction.WITHDRAW),
        grant("analysis", "2021-09-01T00:00"),
    )
    assert not decide(world(*events), use("analysis", when="2021-07-01T00:00")).allowed
    assert decide(world(*events), use("analysis", when="2021-10-01T00:00")).allowed


def test_MAMORI_1_a_grant_after_the_request_does_not_count() -> None:
    assert not decide(world(grant("analysis", "2023-01-01T00:00")), use("analysis")).allowed


def test_APPI_CONSENT_3_a_terms_change_carries_no_consent_over() -> None:
    v2 = TermsVersion("v2", date(2021, 7, 1), frozenset({"analysis", "ads"}))
    v1 = TermsVersion("v1", date(2020, 1, 1), frozenset({"analysis"}))
    w = world(grant("analysis", "2020-05-01T00:00"), terms=(v1, v2))
    assert decide(w, use("analysis")).allowed
    assert not decide(w, provide("ads")).allowed


def test_MAMORI_1_grant_under_superseded_or_future_terms_is_not_a_grant() -> None:
    v2 = TermsVersion("v2", date(2021, 7, 1), frozenset({"analysis"}))
    stale = world(grant("analysis", "2021-08-01T00:00", terms="v1"), terms=(V1, v2))
    early = world(grant("analysis", "2021-06-01T00:00", terms="v2"), terms=(V1, v2))
    assert not decide(stale, use("analysis")).allowed
    assert not decide(early, use("analysis")).allowed
    # The effective date is a JST calendar date: 00:30 JST on 1 July is already v2's day.
    fresh = world(grant("analysis", "2021-07-01T00:30", terms="v2"), terms=(V1, v2))
    assert decide(fresh, use("analysis")).allowed


def test_APPI_CONSENT_4_children_consent_through_their_guardian() -> None:
    child = Subject("ken", date(2010, 6, 1), guardian="alice")
    orphan = Subject("mio", date(2010, 6, 1))
    w = world(
        grant("analysis", subject="ken"),
        grant("analysis", subject="mio", by=Actor.GUARDIAN),
        subjects=(ADULT, child, orphan),
    )
    assert not decide(w, use("analysis", subject="ken")).allowed
    assert not decide(w, use("analysis", subject="mio")).allowed
    w2 = world(grant("analysis", subject="ken", by=Actor.GUARDIAN), subjects=(ADULT, child))
    assert decide(w2, use("analysis", subject="ken")).allowed


def test_APPI_CONSENT_4_age_counts_in_whole_years_on_the_japan_date() -> None:
    teen = Subject("sho", date(2005, 1, 1))
    # 2020-12-31T20:00 UTC is already 2021-01-01 in Japan: sho is 16 there.
    from datetime import datetime

    from mamori.domain.consent import ConsentEvent

    event = ConsentEvent(
        "sho", "analysis", ConsentAction.GRANT, datetime(2020, 12, 31, 20, 0, tzinfo=UTC), "v1"
    )
    assert decide(world(event, subjects=(teen,)), use("analysis", subject="sho")).allowed


def test_APPI_18_3_statutory_exception_allows_use_without_consent() -> None:
    decision = decide(world(), use("analysis", exception=LegalException.LIFE))
    assert decision.allowed and decision.rules == ("APPI-18-3",)


def test_APPI_27_1_provision_needs_a_provision_purpose_naming_the_category() -> None:
    w = world(grant("ads"), grant("analysis"))
    allowed = decide(w, provide("ads"))
    assert allowed.allowed and allowed.obligations == ("APPI-29-1", "APPI-30-1")
    assert decide(w, provide("ads", "insurer")).rules == ("APPI-27-1",)
    assert decide(w, provide("analysis")).rules == ("APPI-27-1",)


def test_APPI_27_1_statutory_exception_allows_provision_without_record() -> None:
    decision = decide(world(), provide("delivery", "police", exception=LegalException.LAW))
    assert decision.allowed and decision.obligations == ()


def test_APPI_28_1_recipient_abroad_needs_consent_to_provision_abroad() -> None:
    w = world(grant("ads"), grant("ads_abroad"))
    assert decide(w, provide("ads", country="US")).rules == ("APPI-28-1",)
    assert decide(w, provide("ads_abroad", country="US")).allowed
    # The EU/EEA and the UK count as domestic.
    assert decide(w, provide("ads", country="DE")).allowed
    assert decide(w, provide("ads", country="GB")).allowed


def test_APPI_27_5_entrustee_is_not_a_third_party_unless_abroad() -> None:
    w = world(grant("delivery"))
    courier = decide(w, provide("delivery", "logistics", relation=Relation.ENTRUSTEE))
    assert courier.allowed and courier.obligations == ()
    abroad = decide(w, provide("delivery", "logistics", relation=Relation.ENTRUSTEE, country="SG"))
    assert abroad.rules == ("APPI-28-1",)


def test_APPI_27_5_joint_use_needs_a_joint_use_purpose_naming_the_category() -> None:
    w = world(grant("group"), grant("delivery"))
    assert decide(w, provide("group", "group_company", relation=Relation.JOINT_USER)).allowed
    refused = decide(w, provide("delivery", "group_company", relation=Relation.JOINT_USER))
    assert not refused.allowed and "APPI-27-5" in refused.rules


def test_APPI_27_2_opt_out_stops_on_objection_and_never_covers_sensitive_items() -> None:
    objection = grant("list_sale", subject="alice", action=ConsentAction.OBJECT)
    plain = decide(world(), provide("list_sale", "marketer"))
    assert plain.allowed and plain.obligations == ("APPI-29-1", "APPI-30-1")
    sensitive = decide(world(), provide("list_sale", "marketer", items=("medical_history",)))
    assert sensitive.rules == ("APPI-27-2",)
    assert decide(world(objection), provide("list_sale", "marketer")).rules == ("APPI-27-2",)


def test_APPI_27_2_opt_out_without_ppc_filing_is_consent_based() -> None:
    assert decide(world(), provide("unfiled", "marketer")).rules == ("MAMORI-1",)


def test_APPI_31_1_and_APPI_31_3_linked_personal_related_information() -> None:
    w = world(grant("ads"))
    kind = ProvisionKind.PERSONAL_RELATED
    items = ("browsing_history",)
    assert decide(w, provide("ads", kind=kind, items=items, will_link=True)).rules == ("APPI-31-1",)
    ok = decide(w, provide("ads", kind=kind, items=items, will_link=True, confirmed=True))
    assert ok.allowed and ok.obligations == ("APPI-31-3",)
    unlinked = decide(w, provide("ads", kind=kind, items=items))
    assert unlinked.allowed and unlinked.obligations == ()


def test_APPI_42_1_pseudonymized_data_never_goes_to_a_third_party() -> None:
    decision = decide(world(grant("ads")), provide("ads", kind=ProvisionKind.PSEUDONYMIZED))
    assert decision.rules == ("APPI-42-1",)


def test_PPC_RULE_34_APPI_43_3_APPI_43_4_anonymized_provision_obligations() -> None:
    decision = decide(world(grant("analysis")), provide("analysis", "maker", kind=ProvisionKind.ANONYMIZED))
    assert decision.obligations == ("PPC-RULE-34", "APPI-43-3", "APPI-43-4")
    assert decide(world(), provide("analysis", "maker", kind=ProvisionKind.ANONYMIZED)).rules == ("MAMORI-1",)


def test_MAMORI_AGG_1_aggregate_needs_a_grant_and_carries_minimum_persons() -> None:
    decision = decide(world(grant("analysis")), provide("analysis", "maker", kind=ProvisionKind.AGGREGATE))
    assert decision.obligations == ("MAMORI-AGG-1",)
    assert not decide(world(), provide("analysis", "maker", kind=ProvisionKind.AGGREGATE)).allowed


@pytest.mark.parametrize(
    ("request_", "rule_id"),
    [
        (use("analysis", items=("my_number", "purchase_history")), "MYNUM-9"),
        (provide("ads", items=("my_number",)), "MYNUM-19"),
    ],
)
def test_MYNUM_9_and_MYNUM_19_individual_numbers(request_: object, rule_id: str) -> None:
    w = world(grant("analysis"), grant("ads"), grant("tax"))
    assert decide(w, request_).rules == (rule_id,)  # type: ignore[arg-type]
    assert decide(w, use("tax", items=("my_number",))).allowed


def test_unknown_purpose_is_refused_under_APPI_18_1() -> None:
    assert decide(world(), use("nothing")).rules == ("APPI-18-1",)


def test_APPI_28_1_and_MAMORI_1_every_broken_rule_is_cited() -> None:
    # No grant and abroad without consent to provision abroad: both rules decide.
    decision = decide(world(), provide("delivery", "logistics", relation=Relation.ENTRUSTEE, country="SG"))
    assert decision.rules == ("MAMORI-1", "APPI-28-1")
    related = decide(
        world(),
        provide("ads", kind=ProvisionKind.PERSONAL_RELATED, items=("browsing_history",), will_link=True),
    )
    assert related.rules == ("MAMORI-1", "APPI-31-1")
    third = decide(world(), provide("analysis", "ad_business", country="US"))
    assert third.rules == ("MAMORI-1", "APPI-27-1", "APPI-28-1")
