"""The "My consents" page as data: every purpose of the terms in effect, and what changed.

When a new terms version adds a purpose the person never had the chance to answer, the page
asks about that purpose only; nothing is carried over from the old answers (APPI-CONSENT-3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mamori.domain.calendar import jst_date
from mamori.domain.consent import Actor, ConsentAction, ConsentBook, ConsentEvent, Standing
from mamori.domain.purposes import Purpose
from mamori.domain.terms import TermsVersion
from mamori.errors import InputError
from mamori.services.consent import check_choice
from mamori.services.ports import Ledger


@dataclass(frozen=True, slots=True)
class PurposeChoice:
    """One purpose on the page, with the person's standing and whether it is new to them."""

    purpose: Purpose
    standing: Standing
    new: bool  # added by a terms version after the one the person last answered under
    answered: bool  # the person has ever answered this purpose


@dataclass(frozen=True, slots=True)
class ConsentPage:
    """Everything the "My consents" page shows for one subject."""

    subject: str
    terms: TermsVersion | None
    previous: TermsVersion | None  # the version the person last answered under, if older
    choices: tuple[PurposeChoice, ...]

    @property
    def changed(self) -> tuple[PurposeChoice, ...]:
        """Return the purposes to ask about after a terms change."""
        return tuple(c for c in self.choices if c.new)


def consent_page(ledger: Ledger, subject: str, now: datetime) -> ConsentPage:
    """Build the page for one subject as of now."""
    terms = ledger.terms()
    current = terms.in_effect(jst_date(now))
    purposes = ledger.purposes()
    events = ledger.events_for(subject)
    person = ledger.subject(subject)
    people = {subject: person} if person else {}
    book = ConsentBook(events, people, terms)
    answered = {e.purpose for e in events}
    previous: TermsVersion | None = None
    if current is not None and events:
        last = terms.get(events[-1].terms)
        if last is not None and last.version != current.version and last.effective < current.effective:
            previous = last
    added = terms.added_purposes(previous.version, current.version) if previous and current else frozenset()
    listed = sorted(current.purposes, key=lambda p: list(purposes).index(p)) if current else []
    choices = tuple(
        PurposeChoice(
            purposes[p],
            book.standing(subject, p, now),
            new=p in added and p not in answered,
            answered=p in answered,
        )
        for p in listed
        if p in purposes
    )
    return ConsentPage(subject, current, previous, choices)


def choose(
    ledger: Ledger, subject: str, purpose: str, grant: bool, now: datetime, by: Actor, actor: str
) -> int:
    """Record a yes or a no under the terms in effect; return the ledger position (APPI-CONSENT-1)."""
    return ledger.append_event(choice_event(ledger, subject, purpose, grant, now, by), actor)


def choice_event(
    ledger: Ledger, subject: str, purpose: str, grant: bool, now: datetime, by: Actor
) -> ConsentEvent:
    """Return the checked event of a yes or a no under the terms in effect (APPI-CONSENT-1).

    Separate from `choose` so that a web server can check a choice on the request and hand
    the event to its group commit.
    """
    terms = ledger.terms()
    current = terms.in_effect(jst_date(now))
    if current is None:
        raise InputError("公開中の規約がありません", "no terms are in effect", field="terms")
    if purpose not in current.purposes:
        raise InputError(
            f"目的 {purpose} は現在の規約にありません",
            f"purpose {purpose} is not in the terms in effect",
            field="purpose",
        )
    event = ConsentEvent(
        subject=subject,
        purpose=purpose,
        action=ConsentAction.GRANT if grant else ConsentAction.WITHDRAW,
        at=now,
        terms=current.version,
        by=by,
        channel="portal",
        text_hash=current.text_hash,
    )
    check_choice(ledger, event, terms)
    return event
