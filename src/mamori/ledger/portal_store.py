"""The portal's storage over the ledger's engine; every state change is audit-chained."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, desc, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from mamori.domain.data_requests import DataRequest, RequestKind, RequestStatus
from mamori.errors import InputError
from mamori.ledger.engine import writing
from mamori.ledger.fast_read import FastRead
from mamori.ledger.sql_ledger import SqlLedger
from mamori.ledger.tables.consent import subjects
from mamori.ledger.tables.portal import (
    api_keys,
    data_requests,
    member_accounts,
    outbox,
    partner_requests,
    sign_in_codes,
    web_sessions,
)
from mamori.services.portal_ports import (
    Account,
    ApiKey,
    Mail,
    PartnerRequest,
    Role,
    SignInCode,
    WebSession,
)

# Every request looks its session up: compiled once, run as a FastRead.
_SESSION = (
    select(web_sessions, member_accounts.c.subject_id, member_accounts.c.role)
    .join(member_accounts, member_accounts.c.email == web_sessions.c.email)
    .where(web_sessions.c.token_hash == bindparam("token_hash"))
)


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; the ledger stores UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _pseudonym(email: str) -> str:
    """Name an account in the audit chain without writing the email address into it."""
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def _request_from(r: Row[Any]) -> DataRequest:
    return DataRequest(
        r.id,
        r.subject_id,
        RequestKind(r.kind),
        RequestStatus(r.status),
        r.received_on,
        r.due_on,
        r.detail,
        r.note,
    )


class SqlPortalStore:
    """Accounts, sign-in codes, sessions, outbox, requests and partner keys in the ledger database."""

    def __init__(self, ledger: SqlLedger) -> None:
        self.ledger = ledger
        self.engine = ledger.engine
        self._session = FastRead(self.engine, _SESSION)

    def account(self, email: str) -> Account | None:
        """Return the account of an email."""
        with self.engine.connect() as c:
            r = c.execute(select(member_accounts).where(member_accounts.c.email == email)).first()
        return Account(r.email, Role(r.role), r.subject_id) if r else None

    def accounts(self, role: Role | None = None, limit: int = 100) -> list[Account]:
        """Return accounts, optionally of one role."""
        query = select(member_accounts).order_by(member_accounts.c.email).limit(limit)
        if role is not None:
            query = query.where(member_accounts.c.role == role.value)
        with self.engine.connect() as c:
            return [Account(r.email, Role(r.role), r.subject_id) for r in c.execute(query)]

    def accounts_of(self, subject: str) -> list[Account]:
        """Return the accounts that sign in as one subject."""
        query = select(member_accounts).where(member_accounts.c.subject_id == subject)
        with self.engine.connect() as c:
            return [Account(r.email, Role(r.role), r.subject_id) for r in c.execute(query)]

    def add_accounts(self, accounts: Sequence[Account], actor: str) -> int:
        """Create accounts; return how many."""
        rows = [
            {"email": a.email, "subject_id": a.subject, "role": a.role.value, "created_at": datetime.now(UTC)}
            for a in accounts
        ]
        with self.ledger.transaction(actor) as tx:
            try:
                tx.connection.execute(insert(member_accounts), rows)
            except IntegrityError as exc:
                raise InputError(
                    "このメールアドレスは登録済みです", "this email address is taken", field="email"
                ) from exc
            tx.audit(
                "accounts-created", actor, {"count": len(rows), "roles": sorted({a.role for a in accounts})}
            )
        return len(rows)

    def wards(self, guardian: str) -> list[str]:
        """Return the subjects whose registered guardian is `guardian`."""
        with self.engine.connect() as c:
            query = select(subjects.c.id).where(subjects.c.guardian_id == guardian).order_by(subjects.c.id)
            return [str(r.id) for r in c.execute(query)]

    def add_code(self, email: str, client: str, code_hash: str, now: datetime, expires: datetime) -> None:
        """Store a sign-in code's hash."""
        row = {"email": email, "client": client[:64], "code_hash": code_hash, "created_at": now}
        with writing(self.engine) as c:
            c.execute(insert(sign_in_codes).values(**row, expires_at=expires, attempts=0, used=0))

    def codes_since(self, since: datetime, email: str | None = None, client: str | None = None) -> int:
        """Count codes issued since an instant, for one email or one client."""
        query = select(func.count()).select_from(sign_in_codes).where(sign_in_codes.c.created_at >= since)
        if email is not None:
            query = query.where(sign_in_codes.c.email == email)
        if client is not None:
            query = query.where(sign_in_codes.c.client == client)
        with self.engine.connect() as c:
            return int(c.execute(query).scalar_one())

    def live_code(self, email: str, now: datetime) -> SignInCode | None:
        """Return the newest unused, unexpired code of an email."""
        query = (
            select(sign_in_codes)
            .where(sign_in_codes.c.email == email, sign_in_codes.c.used == 0)
            .order_by(desc(sign_in_codes.c.id))
            .limit(1)
        )
        with self.engine.connect() as c:
            r = c.execute(query).first()
        if r is None or _aware(r.expires_at) < now:
            return None
        return SignInCode(int(r.id), r.email, r.code_hash, _aware(r.expires_at), int(r.attempts))

    def note_attempt(self, code_id: int, used: bool) -> None:
        """Count one attempt at a code; mark it used when it matched."""
        values: dict[str, Any] = {"attempts": sign_in_codes.c.attempts + 1}
        if used:
            values["used"] = 1
        with writing(self.engine) as c:
            c.execute(update(sign_in_codes).where(sign_in_codes.c.id == code_id).values(**values))

    def add_session(self, token_hash: str, email: str, csrf: str, now: datetime, expires: datetime) -> None:
        """Store a session (audit-chained as a sign-in)."""
        with self.ledger.transaction("portal") as tx:
            tx.connection.execute(
                insert(web_sessions).values(
                    token_hash=token_hash, email=email, csrf=csrf, created_at=now, expires_at=expires
                )
            )
            tx.audit("account-signed-in", "portal", {"account": _pseudonym(email)})

    def session(self, token_hash: str) -> tuple[WebSession, Account] | None:
        """Return a session and its account by the token's hash (one query: every page asks)."""
        r = self._session.first(token_hash=token_hash)
        if r is None:
            return None
        account = Account(r["email"], Role(r["role"]), r["subject_id"])
        return WebSession(r["email"], r["csrf"], _aware(r["expires_at"])), account

    def drop_session(self, token_hash: str) -> None:
        """End a session."""
        with writing(self.engine) as c:
            c.execute(delete(web_sessions).where(web_sessions.c.token_hash == token_hash))

    def add_mail(self, to: str, subject: str, body: str, now: datetime) -> None:
        """Put a message in the outbox."""
        with writing(self.engine) as c:
            c.execute(insert(outbox).values(to_addr=to, subject=subject, body=body, created_at=now))

    def mails(self, limit: int = 50) -> list[Mail]:
        """Return the newest messages in the outbox."""
        with self.engine.connect() as c:
            rows = c.execute(select(outbox).order_by(desc(outbox.c.id)).limit(limit))
            return [Mail(int(r.id), r.to_addr, r.subject, r.body, _aware(r.created_at)) for r in rows]

    def add_request(self, request: DataRequest, actor: str, now: datetime) -> None:
        """Store a new data-subject request."""
        with self.ledger.transaction(actor) as tx:
            tx.connection.execute(
                insert(data_requests).values(
                    id=request.id,
                    subject_id=request.subject,
                    kind=request.kind.value,
                    status=request.status.value,
                    detail=request.detail,
                    note=request.note,
                    received_on=request.received_on,
                    due_on=request.due_on,
                    created_at=now,
                    updated_at=now,
                )
            )
            tx.audit(
                "data-request-received",
                actor,
                {"request": request.id, "subject": request.subject, "kind": request.kind.value},
            )

    def requests(self, subject: str | None = None) -> list[DataRequest]:
        """Return requests, of one subject or all, newest first."""
        query = select(data_requests).order_by(desc(data_requests.c.created_at), data_requests.c.id)
        if subject is not None:
            query = query.where(data_requests.c.subject_id == subject)
        with self.engine.connect() as c:
            return [_request_from(r) for r in c.execute(query)]

    def request(self, request_id: str) -> DataRequest | None:
        """Return one request."""
        with self.engine.connect() as c:
            r = c.execute(select(data_requests).where(data_requests.c.id == request_id)).first()
        return _request_from(r) if r else None

    def set_status(
        self, request_id: str, status: RequestStatus, note: str, actor: str, now: datetime
    ) -> None:
        """Change a request's status (the caller has checked the transition)."""
        with self.ledger.transaction(actor) as tx:
            tx.connection.execute(
                update(data_requests)
                .where(data_requests.c.id == request_id)
                .values(status=status.value, note=note, updated_at=now)
            )
            tx.audit("data-request-" + status.value.replace("_", "-"), actor, {"request": request_id})

    def add_api_key(self, key: ApiKey, key_hash: str, actor: str, now: datetime) -> None:
        """Store a partner key's hash."""
        with self.ledger.transaction(actor) as tx:
            tx.connection.execute(
                insert(api_keys).values(
                    id=key.id,
                    recipient=key.recipient,
                    scopes=" ".join(sorted(key.scopes)),
                    key_hash=key_hash,
                    created_at=now,
                )
            )
            tx.audit("api-key-issued", actor, {"key": key.id, "recipient": key.recipient})

    def api_key(self, key_hash: str) -> ApiKey | None:
        """Return the key with this hash."""
        with self.engine.connect() as c:
            r = c.execute(select(api_keys).where(api_keys.c.key_hash == key_hash)).first()
        return ApiKey(r.id, r.recipient, frozenset(r.scopes.split())) if r else None

    def add_partner_request(self, request: PartnerRequest, actor: str) -> None:
        """Store a partner's request."""
        with self.ledger.transaction(actor) as tx:
            tx.connection.execute(
                insert(partner_requests).values(
                    id=request.id,
                    recipient=request.recipient,
                    purpose_id=request.purpose,
                    description=request.description,
                    status=request.status,
                    created_at=request.created_at,
                )
            )
            tx.audit(
                "partner-request-received", actor, {"request": request.id, "recipient": request.recipient}
            )

    def partner_requests(self, recipient: str) -> list[PartnerRequest]:
        """Return one recipient's requests."""
        query = (
            select(partner_requests)
            .where(partner_requests.c.recipient == recipient)
            .order_by(desc(partner_requests.c.created_at))
        )
        with self.engine.connect() as c:
            return [
                PartnerRequest(r.id, r.recipient, r.purpose_id, r.description, r.status, _aware(r.created_at))
                for r in c.execute(query)
            ]

    def audit(self, kind: str, actor: str, payload: Mapping[str, Any]) -> None:
        """Append a console action to the audit chain."""
        with self.ledger.transaction(actor) as tx:
            tx.audit(kind, actor, payload)
