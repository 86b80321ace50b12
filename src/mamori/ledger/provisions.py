"""Provisions in the ledger: written with their subjects and records in one audited transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import insert, select

from mamori.domain.calendar import jst_date
from mamori.domain.provision.records import Record
from mamori.ledger.event_lines import lines_digest
from mamori.ledger.mapping import aware
from mamori.ledger.sql_ledger import SqlLedger
from mamori.ledger.tables.provision import provision_records, provision_subjects, provisions
from mamori.services.provide import Provision


class _Decided(Protocol):
    """A provision as any search returns it: its lineage id and the ledger position it was decided at."""

    @property
    def lineage_id(self) -> str: ...
    @property
    def consent_position(self) -> int: ...


@dataclass(frozen=True, slots=True)
class ProvisionRow:
    """One provision as searched: who, what, when, how many, and its lineage id."""

    lineage_id: str
    kind: str
    purpose_id: str
    recipient_id: str
    recipient_name: str
    recipient_country: str
    provided_at: datetime
    items: list[str]
    subjects_allowed: int
    export_path: str
    consent_position: int = 0


def _row(r: Any) -> ProvisionRow:
    return ProvisionRow(
        r.lineage_id,
        r.kind,
        r.purpose_id,
        r.recipient_id,
        r.recipient_name,
        r.recipient_country,
        aware(r.provided_at),  # SQLite drops the offset; a naive value would be read as JST
        json.loads(r.items),
        int(r.subjects_allowed),
        r.export_path,
        int(r.consent_position),
    )


class SqlProvisionStore:
    """Provisions over the ledger's engine; writes go through the audited ledger transaction."""

    def __init__(self, ledger: SqlLedger) -> None:
        self.ledger = ledger

    def record(self, provision: Provision, actor: str) -> None:
        """Write a provision, its subjects and its records, and audit-chain it (append-only)."""
        request = provision.request
        recipient = request.recipient
        with self.ledger.transaction(actor) as tx:
            c = tx.connection
            c.execute(
                insert(provisions).values(
                    lineage_id=request.lineage_id,
                    kind=request.kind.value,
                    purpose_id=request.purpose,
                    recipient_id=recipient.id,
                    recipient_name=recipient.name,
                    recipient_address=recipient.address,
                    recipient_representative=recipient.representative,
                    recipient_country=recipient.country,
                    recipient_category=recipient.category,
                    relation=recipient.relation.value,
                    items=json.dumps(list(request.items), ensure_ascii=False),
                    provided_at=request.at,
                    consent_position=provision.consent_position,
                    subjects_allowed=len(provision.allowed),
                    subjects_denied=len(provision.denied),
                    export_path=provision.export_path,
                    decision_rules=json.dumps(provision.rules),
                )
            )
            c.execute(
                insert(provision_subjects),
                [{"lineage_id": request.lineage_id, "subject_id": s} for s in provision.allowed],
            )
            made_at = tx.clock.now()
            rows = [
                {
                    "lineage_id": request.lineage_id,
                    "kind": r.kind,
                    "rule": r.rule,
                    "items": json.dumps(r.items, ensure_ascii=False),
                    "keep_until": r.retention.keep_until,
                    "made_at": made_at,
                }
                for r in provision.records
            ]
            if provision.foreign_info is not None:
                info = {"ja": provision.foreign_info.ja, "en": provision.foreign_info.en}
                rows.append(
                    {
                        "lineage_id": request.lineage_id,
                        "kind": "foreign_info",
                        "rule": "APPI-28-1",
                        "items": json.dumps(info, ensure_ascii=False),
                        "keep_until": None,
                        "made_at": made_at,
                    }
                )
            if provision.notice is not None:
                rows.append(
                    {
                        "lineage_id": request.lineage_id,
                        "kind": "anonymized_notice",
                        "rule": "APPI-43-4",
                        "items": json.dumps(
                            {"ja": provision.notice.ja, "en": provision.notice.en}, ensure_ascii=False
                        ),
                        "keep_until": None,
                        "made_at": made_at,
                    }
                )
            if rows:
                c.execute(insert(provision_records), rows)
            tx.audit(
                "provision-recorded",
                actor,
                {
                    "lineage_id": request.lineage_id,
                    "recipient": recipient.id,
                    "purpose": request.purpose,
                    "subjects": len(provision.allowed),
                    "subjects_digest": lines_digest(f"{s}\n" for s in provision.allowed),
                    "records": [r["rule"] for r in rows],
                    "consent_snapshot": provision.snapshot.describe() if provision.snapshot else "",
                    "consent_position": provision.consent_position,
                },
            )

    def record_received(self, record: Record, actor: str) -> None:
        """Write the APPI-30-1 confirmation record of data mamori received, with its subjects."""
        with self.ledger.transaction(actor) as tx:
            c = tx.connection
            c.execute(
                insert(provision_records).values(
                    lineage_id=record.lineage_id,
                    kind=record.kind,
                    rule=record.rule,
                    items=json.dumps(record.items, ensure_ascii=False),
                    keep_until=record.retention.keep_until,
                    made_at=tx.clock.now(),
                )
            )
            tx.audit(
                "receipt-confirmed",
                actor,
                {
                    "lineage_id": record.lineage_id,
                    "provider": record.items.get("provider_name", ""),
                    "subjects": len(record.subjects),
                    "subjects_digest": lines_digest(f"{s}\n" for s in record.subjects),
                },
            )

    def search(
        self,
        *,
        subject: str | None = None,
        recipient: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[ProvisionRow]:
        """Find provisions by subject, recipient and date (JST calendar days, inclusive)."""
        query = select(provisions).order_by(provisions.c.provided_at)
        if subject is not None:
            inside = select(provision_subjects.c.lineage_id).where(provision_subjects.c.subject_id == subject)
            query = query.where(provisions.c.lineage_id.in_(inside))
        if recipient is not None:
            query = query.where(provisions.c.recipient_id == recipient)
        with self.ledger.engine.connect() as c:
            found = [_row(r) for r in c.execute(query)]
        return [
            p
            for p in found
            if (since is None or jst_date(p.provided_at) >= since)
            and (until is None or jst_date(p.provided_at) <= until)
        ]

    def subjects_of(self, lineage_id: str) -> list[str]:
        """List exactly who was in an export (for an incident)."""
        query = select(provision_subjects.c.subject_id).where(provision_subjects.c.lineage_id == lineage_id)
        with self.ledger.engine.connect() as c:
            return sorted(str(r[0]) for r in c.execute(query))

    def snapshot_of(self, row: _Decided) -> str:
        """Name the consent snapshot a provision was decided on (from its provider record)."""
        for record in self.records_of(row.lineage_id):
            if record["rule"] == "APPI-29-1" and record["items"].get("consent_snapshot"):
                return str(record["items"]["consent_snapshot"])
        return f"ledger position {row.consent_position}"

    def records_of(self, lineage_id: str) -> list[dict[str, Any]]:
        """Return the statutory records of a provision (for the regulator or the person)."""
        query = select(provision_records).where(provision_records.c.lineage_id == lineage_id)
        with self.ledger.engine.connect() as c:
            return [
                {
                    "kind": r.kind,
                    "rule": r.rule,
                    "items": json.loads(r.items),
                    "keep_until": r.keep_until.isoformat() if r.keep_until else None,
                    "made_at": r.made_at.isoformat(),
                }
                for r in c.execute(query.order_by(provision_records.c.id))
            ]
