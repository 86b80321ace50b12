"""Provision records for a regulator: the searched provisions with every item of their statutory records.

The PPC may ask a provider to produce its Art. 29 records (APPI-29-1, kept per APPI-29-3);
this builds that submission from the ledger, never by hand: each provision found by subject,
recipient and date, with every item of its provider record (and the Art. 31 / Art. 28 records
made with it), each item labelled in Japanese and English as the Rules name it. The CSV is for
people with a spreadsheet, so every cell goes through the formula guard (CWE-1236).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from mamori.domain.calendar import jst_date
from mamori.domain.decision import Text
from mamori.domain.provision.export import safe_cell
from mamori.domain.provision.records import ART31_LABELS, PROVIDER_LABELS, RECIPIENT_LABELS
from mamori.errors import InputError

FORMAT = "mamori-provision-records/1"
RULES = ("APPI-29-1", "APPI-29-3")
LABELS: dict[str, Mapping[str, Text]] = {
    "APPI-29-1": PROVIDER_LABELS,
    "APPI-30-1": RECIPIENT_LABELS,
    "APPI-31-3": ART31_LABELS,
    "APPI-28-1": {
        "ja": Text("外国にある第三者への提供に係る情報（日本語）", "information for provision abroad (ja)"),
        "en": Text("外国にある第三者への提供に係る情報（英語）", "information for provision abroad (en)"),
    },
}
CSV_COLUMNS = (
    "lineage_id", "provided_at", "provided_on_jst", "kind", "purpose", "recipient_id", "recipient_name",
    "recipient_country", "subjects", "rule", "record_kind", "keep_until", "item", "label_ja", "label_en", "value",
)  # fmt: skip


class ProvisionFacts(Protocol):
    """One provision as the ledger keeps it (the search result)."""

    @property
    def lineage_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def purpose_id(self) -> str: ...
    @property
    def recipient_id(self) -> str: ...
    @property
    def recipient_name(self) -> str: ...
    @property
    def recipient_country(self) -> str: ...
    @property
    def provided_at(self) -> datetime: ...
    @property
    def items(self) -> list[str]: ...
    @property
    def subjects_allowed(self) -> int: ...
    @property
    def export_path(self) -> str: ...
    @property
    def consent_position(self) -> int: ...


class ProvisionSearch(Protocol):
    """Searches provisions and reads their statutory records (the ledger implements it)."""

    def search(
        self,
        *,
        subject: str | None = None,
        recipient: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> Sequence[ProvisionFacts]:
        """Find provisions by subject, recipient and JST date."""
        ...

    def records_of(self, lineage_id: str) -> list[dict[str, Any]]:
        """Return the statutory records of one provision."""
        ...


@dataclass(frozen=True, slots=True)
class Filters:
    """What the officer searched for (every field optional)."""

    subject: str | None = None
    recipient: str | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def read(
        cls, subject: str | None, recipient: str | None, since: str | None, until: str | None
    ) -> Filters:
        """Read filters as typed by a person: blanks are no filter, dates are YYYY-MM-DD (JST days)."""
        return cls(
            subject=(subject or "").strip()[:100] or None,
            recipient=(recipient or "").strip()[:100] or None,
            since=_day(since, "since"),
            until=_day(until, "until"),
        )

    def describe(self) -> dict[str, str | None]:
        """Return the filters as plain data (for the document and the audit entry)."""
        return {
            "subject": self.subject,
            "recipient": self.recipient,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }


def _day(value: str | None, name: str) -> date | None:
    if not (value or "").strip():
        return None
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise InputError("日付は YYYY-MM-DD です", "a date is YYYY-MM-DD", field=name) from exc


def search(store: ProvisionSearch, filters: Filters) -> Sequence[ProvisionFacts]:
    """Find the provisions the filters select."""
    return store.search(
        subject=filters.subject, recipient=filters.recipient, since=filters.since, until=filters.until
    )


def labelled(rule: str, items: Mapping[str, Any]) -> list[dict[str, str]]:
    """Return a record's items with the names the Rules give them, in Japanese and English."""
    labels = LABELS.get(rule, {})
    out = []
    for key, value in items.items():
        label = labels.get(key)
        out.append(
            {
                "item": key,
                "label_ja": label.ja if label else key,
                "label_en": label.en if label else key,
                "value": value if isinstance(value, str) else str(value),
            }
        )
    return out


def regulator_document(store: ProvisionSearch, filters: Filters, generated_at: datetime) -> dict[str, Any]:
    """Return the submission: every provision found with every item of every record made with it."""
    provisions = []
    for p in search(store, filters):
        records = [
            {
                "rule": r["rule"],
                "kind": r["kind"],
                "keep_until": r["keep_until"],  # None: under legal hold (APPI-29-3)
                "made_at": r["made_at"],
                "items": labelled(r["rule"], r["items"]),
            }
            for r in store.records_of(p.lineage_id)
        ]
        provisions.append(
            {
                "lineage_id": p.lineage_id,
                "provided_at": p.provided_at.isoformat(),
                "provided_on_jst": jst_date(p.provided_at).isoformat(),
                "kind": p.kind,
                "purpose": p.purpose_id,
                "recipient_id": p.recipient_id,
                "recipient_name": p.recipient_name,
                "recipient_country": p.recipient_country,
                "items": list(p.items),
                "subjects": p.subjects_allowed,
                "records": records,
            }
        )
    return {
        "format": FORMAT,
        "generated_at": generated_at.isoformat(),
        "filters": filters.describe(),
        "rules": list(RULES),
        "provisions": provisions,
    }


def regulator_csv(document: Mapping[str, Any]) -> str:
    """Flatten the submission to one row per record item, every cell formula-safe (CWE-1236)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for p in document["provisions"]:
        head = [
            p["lineage_id"], p["provided_at"], p["provided_on_jst"], p["kind"], p["purpose"], p["recipient_id"],
            p["recipient_name"], p["recipient_country"], str(p["subjects"]),
        ]  # fmt: skip
        if not p["records"]:
            # A provision that needed no record (aggregate, anonymized) is still listed.
            writer.writerow([safe_cell(c) for c in (*head, "", "", "", "", "", "", "")])
        for r in p["records"]:
            for item in r["items"]:
                cells = (*head, r["rule"], r["kind"], r["keep_until"] or "", item["item"], item["label_ja"],
                         item["label_en"], item["value"])  # fmt: skip
                writer.writerow([safe_cell(c) for c in cells])
    return buffer.getvalue()


def export_summary(document: Mapping[str, Any], fmt: str, body: str) -> dict[str, Any]:
    """Return what the audit chain keeps of an export: filters, count, format and the body's digest."""
    return {
        "format": fmt,
        "filters": document["filters"],
        "provisions": len(document["provisions"]),
        "lineage_ids": [p["lineage_id"] for p in document["provisions"]][:200],
        "sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
    }
