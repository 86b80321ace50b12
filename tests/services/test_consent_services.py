"""The consent use cases on the in-memory ledger (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from mamori.domain.consent import Actor, ConsentAction, ConsentEvent
from mamori.domain.recipients import Recipient
from mamori.domain.requests import Action, PolicyRequest, ProvisionKind
from mamori.domain.subjects import Subject
from mamori.errors import RefusedError
from mamori.lake.synth.purposes import PURPOSES, TERMS
from mamori.services.consent import publish_terms, record_choice, register_purpose, register_subjects
from mamori.services.decisions import decide_for_subject
from mamori.testing.ledger import InMemoryLedger
from tests.domain.world import at


def seeded() -> InMemoryLedger:
    ledger = InMemoryLedger()
    for purpose in PURPOSES:
        register_purpose(ledger, purpose, "officer")
    for terms in TERMS:
        publish_terms(ledger, terms, "officer")
    register_subjects(
        ledger,
        [Subject("yui", date(2012, 1, 1), guardian="mama"), Subject("mama", date(1980, 1, 1))],
        "operator",
    )
    return ledger


def test_APPI_CONSENT_4_guardian_grants_for_a_child_and_the_child_cannot() -> None:
    ledger = seeded()
    child_self = ConsentEvent("yui", "analysis", ConsentAction.GRANT, at("2022-05-01T10:00"), "v2")
    with pytest.raises(RefusedError) as refused:
        record_choice(ledger, child_self, "yui")
    assert "APPI-CONSENT-4" in refused.value.rules
    record_choice(
        ledger,
        ConsentEvent("yui", "analysis", ConsentAction.GRANT, at("2022-05-01T10:00"), "v2", Actor.GUARDIAN),
        "mama",
    )
    request = PolicyRequest("r", at("2022-06-01T10:00"), "yui", Action.USE, "analysis")
    assert decide_for_subject(ledger, request).allowed
    assert ledger.verify_audit() is None


def test_APPI_27_1_provision_after_withdrawal_is_denied() -> None:
    ledger = seeded()
    for action, when in (
        (ConsentAction.GRANT, "2022-05-01T10:00"),
        (ConsentAction.WITHDRAW, "2022-07-01T10:00"),
    ):
        record_choice(ledger, ConsentEvent("mama", "provide_partners", action, at(when), "v2"), "mama")
    request = PolicyRequest(
        "r",
        at("2022-08-01T10:00"),
        "mama",
        Action.PROVIDE,
        "provide_partners",
        ("purchase_history",),
        ProvisionKind.PERSONAL_DATA,
        Recipient("ad", "ad_business"),
    )
    decision = decide_for_subject(ledger, request)
    assert not decision.allowed
    assert decision.rules == ("MAMORI-1",)
