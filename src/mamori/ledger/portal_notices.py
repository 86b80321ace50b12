"""Notices delivered through the member portal: the `portal` channel of the bulk send (APPI-26-2).

Messages are buffered and written in one transaction when the manifest arrives (the bulk send
hands it over last), so a notice to 1,000 persons is one insert, not a thousand transactions.
Each row is the record of one delivery; the manifest's hash reaches the audit chain through the
incident's `incident-notices-delivered` event.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlalchemy import Row, desc, func, insert, select

from mamori.ledger.sql_ledger import SqlLedger
from mamori.ledger.tables.consent import subjects as subjects_table
from mamori.ledger.tables.notices import portal_notices
from mamori.ledger.tables.portal import member_accounts
from mamori.services.incidents.notices import Message, PortalNotice

_CHUNK = 500  # bound parameters per IN (...) query, well under SQLite's limit


def _notice(r: Row[Any]) -> PortalNotice:
    at = r.delivered_at if r.delivered_at.tzinfo else r.delivered_at.replace(tzinfo=UTC)
    return PortalNotice(r.id, r.incident_id, r.subject_id, r.title, r.body, at)


class PortalOutbox:
    """The `Outbox` that delivers to members' portal pages; the manifest is kept beside as a file."""

    channel = "portal"

    def __init__(self, ledger: SqlLedger, incident_id: str, folder: Path) -> None:
        self.ledger = ledger
        self.folder = folder / incident_id
        self.pending: list[dict[str, Any]] = []

    def put(self, message: Message) -> str:
        """Queue one notice for the person's portal page; return its id."""
        notice_id = f"PN-{secrets.token_hex(8)}"
        self.pending.append(
            {
                "id": notice_id,
                "subject_id": message.subject_id,
                "title": message.subject,
                "body": message.body,
            }
        )
        return notice_id

    def put_manifest(self, incident_id: str, text: str) -> None:
        """Write every queued notice in one transaction, then the manifest file."""
        now = self.ledger.clock.now()
        rows = [{**row, "incident_id": incident_id, "delivered_at": now} for row in self.pending]
        if rows:
            with self.ledger.transaction("mamori") as tx:
                tx.connection.execute(insert(portal_notices), rows)
        self.pending = []
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{incident_id}-portal-deliveries.csv").write_text(text, encoding="utf-8")


class SqlPortalNotices:
    """Reads delivered notices for the member portal, and who can be reached there."""

    def __init__(self, ledger: SqlLedger) -> None:
        self.ledger = ledger

    def for_subject(self, subject_id: str) -> list[PortalNotice]:
        """Return one person's notices, newest first."""
        query = (
            select(portal_notices)
            .where(portal_notices.c.subject_id == subject_id)
            .order_by(desc(portal_notices.c.delivered_at), portal_notices.c.id)
        )
        with self.ledger.engine.connect() as c:
            return [_notice(r) for r in c.execute(query)]

    def get(self, notice_id: str) -> PortalNotice | None:
        """Return one notice by id."""
        with self.ledger.engine.connect() as c:
            r = c.execute(select(portal_notices).where(portal_notices.c.id == notice_id)).first()
        return _notice(r) if r else None

    def count(self, incident_id: str) -> int:
        """Return how many portal deliveries an incident has."""
        query = select(func.count()).where(portal_notices.c.incident_id == incident_id)
        with self.ledger.engine.connect() as c:
            return int(c.execute(query).scalar_one())

    def member_emails(self, subjects: Iterable[str]) -> Mapping[str, str]:
        """Return where each person can be reached: their own member account, else their guardian's.

        A minor without an account is told through the registered guardian (the legal
        representative, APPI-CONSENT-4), who reads the notice on the portal acting for the minor.
        """
        wanted = sorted(set(subjects))
        found: dict[str, str] = {}
        own = select(member_accounts.c.subject_id, member_accounts.c.email)
        through_guardian = select(subjects_table.c.id, member_accounts.c.email).join(
            member_accounts, member_accounts.c.subject_id == subjects_table.c.guardian_id
        )
        with self.ledger.engine.connect() as c:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                for query in (
                    own.where(member_accounts.c.subject_id.in_(chunk)),
                    through_guardian.where(subjects_table.c.id.in_(chunk)),
                ):
                    query = query.where(member_accounts.c.role == "member").order_by(member_accounts.c.email)
                    for subject_id, email in c.execute(query):
                        found.setdefault(subject_id, email)
        return found
