"""Consent events (an append-only log) and their fold into a standing as of any instant.

A grant is valid only when it was given under the terms version in effect at that moment,
lists the purpose, and came from the subject (old enough) or the registered guardian.
Nothing else creates consent: not silence (APPI-CONSENT-2), not a terms change
(APPI-CONSENT-3).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from mamori.domain.calendar import age_on, as_jst, jst_date
from mamori.domain.config import DEFAULT_CONFIG, PolicyConfig
from mamori.domain.subjects import Subject
from mamori.domain.terms import TermsHistory


class ConsentAction(StrEnum):
    """What a consent event does."""

    GRANT = "grant"
    WITHDRAW = "withdraw"
    OBJECT = "object"  # opt-out objection (Art. 27(2)): stops provision at once


class Actor(StrEnum):
    """Who expressed the will: the subject or the subject's guardian."""

    SELF = "self"
    GUARDIAN = "guardian"


@dataclass(frozen=True, slots=True)
class ConsentEvent:
    """One grant, withdrawal or objection, with the evidence APPI-CONSENT-1 asks to keep."""

    subject: str
    purpose: str
    action: ConsentAction
    at: datetime
    terms: str
    by: Actor = Actor.SELF
    channel: str = "unknown"
    text_hash: str = ""  # hash of the text that was shown when the person acted
    seq: int = 0  # ledger position; breaks ties between events at the same instant

    @property
    def name(self) -> str:
        """Return the kebab-case event name used in the audit chain."""
        return {"grant": "consent-granted", "withdraw": "consent-withdrawn", "object": "consent-objected"}[
            self.action.value
        ]


class GrantDefect(StrEnum):
    """Why a recorded grant is not a valid grant."""

    UNKNOWN_TERMS = "unknown_terms"
    TERMS_NOT_IN_EFFECT = "terms_not_in_effect"  # superseded, or not yet in effect
    PURPOSE_NOT_IN_TERMS = "purpose_not_in_terms"
    MINOR_SELF = "minor_self"  # below the guardian age, given by the subject
    NO_GUARDIAN = "no_guardian"  # a guardian event for a subject with no registered guardian
    UNKNOWN_SUBJECT = "unknown_subject"


@dataclass(frozen=True, slots=True)
class Standing:
    """A subject's consent for one purpose at one instant."""

    grant: ConsentEvent | None  # the valid grant in force, if any
    objected: bool = False
    withdrawn_at: datetime | None = None
    defect: GrantDefect | None = None  # why the latest grant attempt did not count

    @property
    def granted(self) -> bool:
        """Tell whether a valid grant is in force."""
        return self.grant is not None


NO_STANDING = Standing(grant=None)


def grant_defect(
    event: ConsentEvent,
    subject: Subject | None,
    terms: TermsHistory,
    config: PolicyConfig = DEFAULT_CONFIG,
) -> GrantDefect | None:
    """Say why a grant event is not a valid grant, or None when it is (MAMORI-1)."""
    if subject is None:
        return GrantDefect.UNKNOWN_SUBJECT
    version = terms.get(event.terms)
    if version is None:
        return GrantDefect.UNKNOWN_TERMS
    on = jst_date(event.at)
    in_effect = terms.in_effect(on)
    if in_effect is None or in_effect.version != version.version:
        return GrantDefect.TERMS_NOT_IN_EFFECT
    if event.purpose not in version.purposes:
        return GrantDefect.PURPOSE_NOT_IN_TERMS
    if event.by is Actor.GUARDIAN:
        return None if subject.guardian else GrantDefect.NO_GUARDIAN
    if subject.birth_date is not None and age_on(subject.birth_date, on) < config.guardian_age.at(on):
        return GrantDefect.MINOR_SELF
    return None


class ConsentBook:
    """The consent events of a world, indexed so that a standing is a short scan."""

    def __init__(
        self,
        events: Iterable[ConsentEvent],
        subjects: Mapping[str, Subject],
        terms: TermsHistory,
        config: PolicyConfig = DEFAULT_CONFIG,
    ) -> None:
        self._subjects = subjects
        self._terms = terms
        self._config = config
        self._by_key: dict[tuple[str, str], list[ConsentEvent]] = defaultdict(list)
        ordered = sorted(enumerate(events), key=lambda ie: (as_jst(ie[1].at), ie[1].seq, ie[0]))
        for _, event in ordered:
            self._by_key[(event.subject, event.purpose)].append(event)

    def events_for(self, subject: str, purpose: str) -> list[ConsentEvent]:
        """Return one subject's events for one purpose, in time order."""
        return self._by_key.get((subject, purpose), [])

    def keys(self) -> Iterable[tuple[str, str]]:
        """Return every (subject, purpose) pair that has events."""
        return self._by_key.keys()

    def standing(self, subject: str, purpose: str, at: datetime) -> Standing:
        """Fold the events up to and including `at` into a standing (MAMORI-1)."""
        events = self._by_key.get((subject, purpose))
        if not events:
            return NO_STANDING
        return fold(events, at, self._subjects.get(subject), self._terms, self._config)


def fold(
    events: Iterable[ConsentEvent],
    at: datetime,
    subject: Subject | None,
    terms: TermsHistory,
    config: PolicyConfig = DEFAULT_CONFIG,
) -> Standing:
    """Fold one (subject, purpose)'s time-ordered events into its standing as of `at`."""
    at = as_jst(at)
    grant: ConsentEvent | None = None
    objected = False
    withdrawn_at: datetime | None = None
    defect: GrantDefect | None = None
    for event in events:
        if as_jst(event.at) > at:
            break
        if event.action is ConsentAction.GRANT:
            defect = grant_defect(event, subject, terms, config)
            if defect is None:
                grant, objected, withdrawn_at = event, False, None
        elif event.action is ConsentAction.WITHDRAW:
            grant, withdrawn_at = None, event.at
        else:  # an objection says NO as clearly as a withdrawal does
            grant, objected, withdrawn_at = None, True, event.at
    return Standing(
        grant=grant, objected=objected, withdrawn_at=withdrawn_at, defect=None if grant else defect
    )
