"""Incident statistics for consultants: counts across organisations by cause, size, route, period.

A P-mark consultant sees many client organisations; the questions are "what causes most
incidents at SMEs?", "how many came in through VPN appliances this year?". Each incident is
reduced to an `IncidentRecord` (no personal data: no names, no subjects) and cross-tabulated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mamori.domain.calendar import jst_date
from mamori.domain.config import DEFAULT_CONFIG, PolicyConfig
from mamori.domain.incidents.classification import InfectionRoute, OrgSize
from mamori.domain.incidents.facts import Cause
from mamori.domain.incidents.state import Incident


@dataclass(frozen=True, slots=True)
class IncidentRecord:
    """One incident as statistics see it."""

    organisation: str
    org_size: OrgSize
    cause: Cause
    route: InfectionRoute
    aware_on: date
    persons: int
    reportable: bool


class Dimension(StrEnum):
    """What a table can be broken down by."""

    CAUSE = "cause"
    SIZE = "size"
    ROUTE = "route"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    ORGANISATION = "organisation"


@dataclass(frozen=True, slots=True)
class Row:
    """One cell group of a table: its key (one value per dimension) and the counts."""

    key: tuple[str, ...]
    incidents: int
    reportable: int
    persons: int
    organisations: int


def record_of(incident: Incident, config: PolicyConfig = DEFAULT_CONFIG) -> IncidentRecord:
    """Reduce an incident to what statistics need."""
    return IncidentRecord(
        organisation=incident.organisation,
        org_size=incident.org_size,
        cause=incident.facts.cause,
        route=incident.route,
        aware_on=jst_date(incident.facts.aware_at),
        persons=incident.facts.persons,
        reportable=incident.assessment(config).reportable,
    )


def _value(record: IncidentRecord, dimension: Dimension) -> str:
    day = record.aware_on
    match dimension:
        case Dimension.CAUSE:
            return record.cause.value
        case Dimension.SIZE:
            return record.org_size.value
        case Dimension.ROUTE:
            return record.route.value
        case Dimension.MONTH:
            return f"{day.year:04d}-{day.month:02d}"
        case Dimension.QUARTER:
            return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
        case Dimension.YEAR:
            return f"{day.year:04d}"
        case Dimension.ORGANISATION:
            return record.organisation
    raise ValueError(dimension)


def tabulate(records: Iterable[IncidentRecord], by: Sequence[Dimension]) -> tuple[Row, ...]:
    """Cross-tabulate records by the given dimensions, sorted by key; counts sum to the input."""
    groups: dict[tuple[str, ...], list[IncidentRecord]] = {}
    for record in records:
        groups.setdefault(tuple(_value(record, d) for d in by), []).append(record)
    return tuple(
        Row(
            key=key,
            incidents=len(group),
            reportable=sum(r.reportable for r in group),
            persons=sum(r.persons for r in group),
            organisations=len({r.organisation for r in group}),
        )
        for key, group in sorted(groups.items())
    )
