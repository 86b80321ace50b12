"""Use cases of the consent ledger: register purposes, publish terms, record a person's choice."""

from __future__ import annotations

from collections.abc import Sequence

from mamori.domain.consent import ConsentAction, ConsentEvent, grant_defect
from mamori.domain.purposes import Purpose, specificity_problems
from mamori.domain.subjects import Subject
from mamori.domain.terms import TermsHistory, TermsVersion
from mamori.errors import InputError, RefusedError
from mamori.services.ports import Ledger


def register_purpose(ledger: Ledger, purpose: Purpose, actor: str) -> int:
    """Register a purpose a person can picture (APPI-17-1, APPI-17-2); return its bit."""
    problems = specificity_problems(purpose)
    if problems:
        raise RefusedError(
            f"目的 {purpose.id} は具体的に特定されていません：{'; '.join(problems)}",
            f"purpose {purpose.id} is not specific enough: {'; '.join(problems)}",
            rules=("APPI-17-1", "APPI-17-2") if "recipient" in " ".join(problems) else ("APPI-17-1",),
        )
    with ledger.transaction(actor) as tx:
        return tx.add_purpose(purpose)


def publish_terms(ledger: Ledger, terms: TermsVersion, actor: str) -> None:
    """Publish a terms version; it grants nothing by itself (APPI-CONSENT-3)."""
    known = ledger.purposes()
    unknown = sorted(p for p in terms.purposes if p not in known)
    if unknown:
        raise InputError(
            f"規約版 {terms.version} が未登録の目的を含みます：{', '.join(unknown)}",
            f"terms version {terms.version} lists unregistered purposes: {', '.join(unknown)}",
            field="purposes",
        )
    with ledger.transaction(actor) as tx:
        tx.add_terms(terms)


def register_subjects(ledger: Ledger, people: Sequence[Subject], actor: str) -> int:
    """Register subjects (members) and their guardians."""
    with ledger.transaction(actor) as tx:
        return tx.add_subjects(people)


def record_choice(ledger: Ledger, event: ConsentEvent, actor: str) -> int:
    """Record one person's grant, withdrawal or objection by an explicit act (APPI-CONSENT-1)."""
    check_choice(ledger, event)
    return ledger.append_event(event, actor)


def check_choice(ledger: Ledger, event: ConsentEvent, terms: TermsHistory | None = None) -> None:
    """Refuse a choice that could not be recorded as valid (the terms history may be passed in).

    A grant that would not be valid (stale terms, a minor without the guardian) is refused
    here rather than stored as if it counted (MAMORI-1, APPI-CONSENT-4).
    """
    terms = terms if terms is not None else ledger.terms()
    listed = terms.get(event.terms)
    # A purpose a published terms version lists is registered (publish_terms refuses any
    # other), so only a purpose outside its terms needs the catalogue.
    if (listed is None or event.purpose not in listed.purposes) and event.purpose not in ledger.purposes():
        raise InputError(
            f"目的 {event.purpose} は登録されていません", f"unknown purpose {event.purpose}", field="purpose"
        )
    if event.action is ConsentAction.GRANT:
        defect = grant_defect(event, ledger.subject(event.subject), terms)
        if defect is not None:
            rules = (
                ("MAMORI-1", "APPI-CONSENT-4")
                if defect.value in ("minor_self", "no_guardian")
                else ("MAMORI-1", "APPI-CONSENT-3")
            )
            raise RefusedError(
                f"この同意は有効になりません（{defect.value}）",
                f"this grant would not be valid ({defect.value})",
                rules=rules,
            )
