"""Incident records exchanged between organisations as CSV (for consultants' statistics).

A consultant gathers records from many client organisations; each row is checked and a bad
row is quarantined with its line and field, never dropped silently: rows in = accepted +
quarantined.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeVar

from mamori.domain.incidents.classification import InfectionRoute, OrgSize
from mamori.domain.incidents.facts import Cause
from mamori.domain.incidents.stats import IncidentRecord
from mamori.errors import InputError

E = TypeVar("E", bound=StrEnum)
COLUMNS = ("organisation", "org_size", "cause", "route", "aware_on", "persons", "reportable")


@dataclass(slots=True)
class RecordBatch:
    """What a CSV gave: accepted records and quarantined rows (with the reason)."""

    accepted: list[IncidentRecord] = field(default_factory=list)
    quarantined: list[InputError] = field(default_factory=list)

    @property
    def rows_in(self) -> int:
        """Return how many data rows were read."""
        return len(self.accepted) + len(self.quarantined)


def write_records(records: Iterable[IncidentRecord]) -> str:
    """Return records as CSV text with a header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in records:
        writer.writerow(
            [
                r.organisation,
                r.org_size,
                r.cause,
                r.route,
                r.aware_on.isoformat(),
                r.persons,
                str(r.reportable).lower(),
            ]
        )
    return buffer.getvalue()


def _enum(kind: type[E], raw: str, name: str, file: str, line: int) -> E:
    try:
        return kind(raw.strip().lower())
    except ValueError:
        allowed = ", ".join(kind)
        raise InputError(
            f"値が不正です（{allowed}）",
            f"invalid value (one of {allowed})",
            file=file,
            line=line,
            field=name,
        ) from None


def read_records(text: str, file: str) -> RecordBatch:
    """Parse CSV text into records, quarantining each bad row with its line and field."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError("列がありません", "missing columns", file=file, line=1, field=",".join(missing))
    batch = RecordBatch()
    for row in reader:
        line = reader.line_num
        try:
            batch.accepted.append(_record(row, file, line))
        except InputError as exc:
            batch.quarantined.append(exc)
    return batch


def _record(row: dict[str, str], file: str, line: int) -> IncidentRecord:
    def bad(name: str, ja: str, en: str) -> InputError:
        return InputError(ja, en, file=file, line=line, field=name)

    organisation = (row["organisation"] or "").strip()
    if not organisation:
        raise bad("organisation", "組織名が空です", "organisation is empty")
    try:
        aware_on = date.fromisoformat((row["aware_on"] or "").strip())
    except ValueError:
        raise bad("aware_on", "日付は YYYY-MM-DD で記入してください", "date must be YYYY-MM-DD") from None
    persons_raw = (row["persons"] or "").strip().replace(",", "")
    if not persons_raw.isdigit():
        raise bad("persons", "人数は0以上の整数です", "persons must be a whole number >= 0")
    reportable = (row["reportable"] or "").strip().lower()
    if reportable not in ("true", "false"):
        raise bad("reportable", "true か false で記入してください", "must be true or false")
    return IncidentRecord(
        organisation=organisation,
        org_size=_enum(OrgSize, row["org_size"] or "", "org_size", file, line),
        cause=_enum(Cause, row["cause"] or "", "cause", file, line),
        route=_enum(InfectionRoute, row["route"] or "", "route", file, line),
        aware_on=aware_on,
        persons=int(persons_raw),
        reportable=reportable == "true",
    )
