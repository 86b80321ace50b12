"""Data-subject requests: file one, move it along its lifecycle, and the disclosure itself.

Disclosure covers everything held on the person (APPI-33-1) and is given electronically, as
JSON or CSV, as the 2020 amendment lets the person choose (APPI-33-5).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from mamori.domain.calendar import jst_date
from mamori.domain.data_requests import DataRequest, RequestKind, RequestStatus, advance, due_date
from mamori.errors import InputError, RefusedError
from mamori.services.portal_ports import PortalStore
from mamori.services.ports import Ledger


class RecordSource(Protocol):
    """Per-member records another part of mamori keeps (provision records, lifestyle scores).

    The provision and insight work plug in here; until they land the portal shows an empty state.
    """

    def for_subject(self, subject: str) -> list[dict[str, Any]]:
        """Return the records about one subject, as plain JSON-able mappings."""
        ...


class NoRecords:
    """A source with nothing in it yet (the capability has not been built on this branch)."""

    def for_subject(self, subject: str) -> list[dict[str, Any]]:
        """Return no records."""
        return []


def file_request(
    store: PortalStore, subject: str, kind: RequestKind, detail: str, now: datetime, actor: str
) -> DataRequest:
    """Receive a request; it is due DUE_DAYS after receipt (JST)."""
    if kind is RequestKind.CORRECTION and not detail.strip():
        raise InputError("訂正の内容を書いてください", "say what should be corrected", field="detail")
    received = jst_date(now)
    request = DataRequest(
        f"R-{uuid.uuid4().hex[:12]}",
        subject,
        kind,
        RequestStatus.RECEIVED,
        received,
        due_date(received),
        detail[:2000],
    )
    store.add_request(request, actor, now)
    return request


def move_request(
    store: PortalStore, request_id: str, target: RequestStatus, note: str, actor: str, now: datetime
) -> DataRequest:
    """Move a request along its lifecycle (the domain's transition table decides)."""
    request = store.request(request_id)
    if request is None:
        raise InputError(f"請求 {request_id} はありません", f"no request {request_id}", field="request")
    try:
        advance(request.status, target)
    except ValueError as exc:
        raise RefusedError(
            f"請求の状態を {request.status} から {target} に変えることはできません",
            f"a request cannot go from {request.status} to {target}",
            rules=request.kind.rules,
        ) from exc
    store.set_status(request_id, target, note[:2000], actor, now)
    return store.request(request_id) or request


def disclosure(
    ledger: Ledger,
    store: PortalStore,
    subject: str,
    now: datetime,
    provisions: RecordSource,
    scores: RecordSource,
) -> dict[str, Any]:
    """Collect everything held on one subject (APPI-33-1)."""
    person = ledger.subject(subject)
    purposes = ledger.purposes()
    from mamori.services.member_consent import consent_page

    page = consent_page(ledger, subject, now)
    return {
        "generated_at": now.isoformat(),
        "rules": ["APPI-33-1", "APPI-33-5"],
        "profile": {
            "subject_id": subject,
            "birth_date": person.birth_date.isoformat() if person and person.birth_date else None,
            "guardian": person.guardian if person else None,
            "accounts": [a.email for a in store.accounts_of(subject)],
        },
        "consents": [
            {
                "purpose": c.purpose.id,
                "description_ja": c.purpose.description_ja,
                "granted": c.standing.granted,
                "terms": c.standing.grant.terms if c.standing.grant else None,
            }
            for c in page.choices
        ],
        "consent_events": [
            {
                "purpose": e.purpose,
                "action": e.action.value,
                "at": e.at.isoformat(),
                "terms": e.terms,
                "by": e.by.value,
                "channel": e.channel,
                "known_purpose": e.purpose in purposes,
            }
            for e in ledger.events_for(subject)
        ],
        "requests": [
            {
                "id": r.id,
                "kind": r.kind.value,
                "status": r.status.value,
                "received_on": r.received_on.isoformat(),
                "due_on": r.due_on.isoformat(),
            }
            for r in store.requests(subject)
        ],
        "scores": scores.for_subject(subject),
        "provisions": provisions.for_subject(subject),
    }


def disclosure_csv(document: Mapping[str, Any]) -> str:
    """Flatten a disclosure into one CSV (section, record, field, value): every value kept."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "record", "field", "value"])
    for section, content in document.items():
        records: Sequence[Any] = content if isinstance(content, list) else [content]
        for n, record in enumerate(records):
            fields = record.items() if isinstance(record, dict) else [("value", record)]
            for field, value in fields:
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                writer.writerow([section, n, field, text])
    return buffer.getvalue()
