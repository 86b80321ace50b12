"""Who was affected, from lineage: the people and data items in what leaked.

The ledger recorded every dataset and export, so "exactly which people were in what leaked?"
has an answer; this module turns that answer into the facts reportability needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from mamori.domain.calendar import age_on
from mamori.domain.incidents.facts import IncidentFacts
from mamori.domain.items import DataItem

ADULT_AGE = 18  # Civil Code Art. 4 since April 2022


@dataclass(frozen=True, slots=True)
class Exposure:
    """One subject in one leaked source, with the items it carried."""

    subject_id: str
    items: frozenset[str]
    birth_date: date | None = None


@dataclass(frozen=True, slots=True)
class Impact:
    """The affected people and what of theirs was exposed."""

    subjects: tuple[str, ...]
    items: tuple[str, ...]
    sensitive_items: tuple[str, ...]
    financial_items: tuple[str, ...]
    my_number_items: tuple[str, ...]
    minors: int
    sources: tuple[str, ...]
    items_by_subject: Mapping[str, frozenset[str]] = field(default_factory=dict)  # for personal notices

    @property
    def persons(self) -> int:
        """Return the number of distinct persons (PPC-RULE-7-4 counts persons, not rows)."""
        return len(self.subjects)


def compute_impact(
    exposures: Iterable[tuple[str, Exposure]], catalogue: Mapping[str, DataItem], on: date
) -> Impact:
    """Fold (source, exposure) pairs into distinct persons, items and flags.

    A person in two leaked exports counts once; their items are the union. Items missing from
    the catalogue are kept but carry no flag, so an unknown item never hides a person.
    """
    # Hot loop on a 1M-member world: item sets are shared frozensets (union only on overlap),
    # and ages are computed once per distinct birth date.
    per_subject: dict[str, frozenset[str]] = {}
    births: dict[str, date] = {}
    sources: set[str] = set()
    for source, exposure in exposures:
        sources.add(source)
        known = per_subject.get(exposure.subject_id)
        if known is None or known is exposure.items:
            per_subject[exposure.subject_id] = exposure.items
        else:
            per_subject[exposure.subject_id] = known | exposure.items
        if exposure.birth_date is not None:
            births[exposure.subject_id] = exposure.birth_date
    items = sorted(frozenset().union(*set(per_subject.values())))
    minor_by_birth: dict[date, bool] = {}
    minors = 0
    for born in births.values():
        minor = minor_by_birth.get(born)
        if minor is None:
            minor = minor_by_birth[born] = age_on(born, on) < ADULT_AGE
        minors += minor

    def flagged(flag: str) -> tuple[str, ...]:
        return tuple(i for i in items if i in catalogue and getattr(catalogue[i], flag))

    return Impact(
        subjects=tuple(sorted(per_subject)),
        items=tuple(items),
        sensitive_items=flagged("sensitive"),
        financial_items=flagged("financial"),
        my_number_items=flagged("my_number"),
        minors=minors,
        sources=tuple(sorted(sources)),
        items_by_subject=per_subject,
    )


def facts_with_impact(facts: IncidentFacts, impact: Impact) -> IncidentFacts:
    """Return the facts updated by what lineage found (never lowering what is already known).

    Suspected exposure counts like certain exposure, and an officer may know of people outside
    the ledger, so the count is the larger of the two (PPC-RULE-7-4: unknown → possible maximum).
    """
    return replace(
        facts,
        persons=max(facts.persons, impact.persons),
        items=tuple(sorted(set(facts.items) | set(impact.items))),
        sensitive=facts.sensitive or bool(impact.sensitive_items),
        financial=facts.financial or bool(impact.financial_items),
    )
