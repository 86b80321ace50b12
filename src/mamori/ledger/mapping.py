"""Rows of the ledger to domain objects and back."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row

from mamori.domain.consent import Actor, ConsentAction, ConsentEvent
from mamori.domain.purposes import Basis, Purpose, PurposeKind
from mamori.domain.subjects import Subject
from mamori.domain.terms import TermsVersion


def aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes; the ledger stores UTC, so attach it."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def purpose_row(purpose: Purpose, bit: int, now: datetime) -> dict[str, Any]:
    """Return the row of a purpose."""
    return {
        "id": purpose.id,
        "bit": bit,
        "kind": purpose.kind.value,
        "recipients": json.dumps(sorted(purpose.recipients), ensure_ascii=False),
        "foreign": purpose.foreign,
        "countries": json.dumps(list(purpose.countries)),
        "basis": purpose.basis.value,
        "ppc_notified": purpose.ppc_notified,
        "description_ja": purpose.description_ja,
        "description_en": purpose.description_en,
        "items": json.dumps(list(purpose.items), ensure_ascii=False),
        "created_at": now,
    }


def purpose_from(row: Row[Any]) -> Purpose:
    """Rebuild a purpose from its row."""
    return Purpose(
        id=row.id,
        kind=PurposeKind(row.kind),
        recipients=frozenset(json.loads(row.recipients)),
        foreign=bool(row.foreign),
        basis=Basis(row.basis),
        ppc_notified=bool(row.ppc_notified),
        description_ja=row.description_ja,
        description_en=row.description_en,
        items=tuple(json.loads(row.items)),
        countries=tuple(json.loads(row.countries)),
    )


def terms_from(row: Row[Any]) -> TermsVersion:
    """Rebuild a terms version from its row."""
    return TermsVersion(row.version, row.effective, frozenset(json.loads(row.purposes)), row.text_hash)


def subject_from(row: Row[Any]) -> Subject:
    """Rebuild a subject from its row."""
    return Subject(row.id, row.birth_date, row.guardian_id)


def event_row(seq: int, event: ConsentEvent) -> dict[str, Any]:
    """Return the row of a consent event at a ledger position."""
    return {
        "seq": seq,
        "subject_id": event.subject,
        "purpose_id": event.purpose,
        "action": event.action.value,
        "at": event.at.astimezone(UTC),
        "terms_version": event.terms,
        "actor": event.by.value,
        "channel": event.channel,
        "text_hash": event.text_hash,
    }


def event_from(row: Row[Any]) -> ConsentEvent:
    """Rebuild a consent event from its row."""
    return ConsentEvent(
        subject=row.subject_id,
        purpose=row.purpose_id,
        action=ConsentAction(row.action),
        at=aware(row.at),
        terms=row.terms_version,
        by=Actor(row.actor),
        channel=row.channel,
        text_hash=row.text_hash,
        seq=row.seq,
    )
