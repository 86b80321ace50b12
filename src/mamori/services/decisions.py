"""One decision for one subject, from the ledger: the portal's and the CLI's path."""

from __future__ import annotations

from mamori.domain.consent import ConsentBook
from mamori.domain.decision import Decision
from mamori.domain.items import STANDARD_ITEMS
from mamori.domain.policy import PolicyWorld, decide
from mamori.domain.requests import PolicyRequest
from mamori.services.ports import Ledger


def decide_for_subject(ledger: Ledger, request: PolicyRequest) -> Decision:
    """Decide a request against the ledger's current record of the subject."""
    subject = ledger.subject(request.subject)
    people = {subject.id: subject} if subject else {}
    if subject is not None and subject.guardian:
        guardian = ledger.subject(subject.guardian)
        if guardian is not None:
            people[guardian.id] = guardian
    book = ConsentBook(ledger.events_for(request.subject), people, ledger.terms())
    return decide(PolicyWorld(ledger.purposes(), STANDARD_ITEMS, book), request)
