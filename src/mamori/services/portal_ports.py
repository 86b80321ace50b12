"""What the portal's use cases need to store: accounts, codes, sessions, mail, requests, keys."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from mamori.domain.data_requests import DataRequest, RequestStatus


class Role(StrEnum):
    """Who an account is: a member, or staff in the console (auditors only read)."""

    MEMBER = "member"
    PRIVACY_OFFICER = "privacy_officer"
    OPERATOR = "operator"
    AUDITOR = "auditor"


@dataclass(frozen=True, slots=True)
class Account:
    """A sign-in identity: an email mapped to a subject (members) or a console role (staff)."""

    email: str
    role: Role
    subject: str | None = None


@dataclass(frozen=True, slots=True)
class SignInCode:
    """A one-time code waiting to be used (only its hash is stored)."""

    id: int
    email: str
    code_hash: str
    expires_at: datetime
    attempts: int


@dataclass(frozen=True, slots=True)
class WebSession:
    """A signed-in browser: the account and the CSRF token its forms must carry."""

    email: str
    csrf: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Mail:
    """A message in the outbox (the embedded default's mail delivery)."""

    id: int
    to: str
    subject: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A partner's key: which recipient it speaks for and what it may do."""

    id: str
    recipient: str
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True)
class PartnerRequest:
    """A recipient's request for an insight or a provision, seen only by that recipient."""

    id: str
    recipient: str
    purpose: str
    description: str
    status: str
    created_at: datetime


class Mailer(Protocol):
    """Sends a message (SMTP in production, the outbox in the embedded default)."""

    def send(self, to: str, subject: str, body: str) -> None:
        """Deliver one message."""
        ...


class PortalStore(Protocol):
    """The portal's storage; state changes are audit-chained by the adapter."""

    def account(self, email: str) -> Account | None:
        """Return the account of an email."""
        ...

    def accounts(self, role: Role | None = None, limit: int = 100) -> list[Account]:
        """Return accounts, optionally of one role."""
        ...

    def accounts_of(self, subject: str) -> list[Account]:
        """Return the accounts that sign in as one subject."""
        ...

    def add_accounts(self, accounts: Sequence[Account], actor: str) -> int:
        """Create accounts; return how many."""
        ...

    def wards(self, guardian: str) -> list[str]:
        """Return the subjects whose registered guardian is `guardian`."""
        ...

    def add_code(self, email: str, client: str, code_hash: str, now: datetime, expires: datetime) -> None:
        """Store a sign-in code's hash."""
        ...

    def codes_since(self, since: datetime, email: str | None = None, client: str | None = None) -> int:
        """Count codes issued since an instant, for one email or one client."""
        ...

    def live_code(self, email: str, now: datetime) -> SignInCode | None:
        """Return the newest unused, unexpired code of an email."""
        ...

    def note_attempt(self, code_id: int, used: bool) -> None:
        """Count one attempt at a code; mark it used when it matched."""
        ...

    def add_session(self, token_hash: str, email: str, csrf: str, now: datetime, expires: datetime) -> None:
        """Store a session (audit-chained as a sign-in)."""
        ...

    def session(self, token_hash: str) -> tuple[WebSession, Account] | None:
        """Return a session and its account by the token's hash."""
        ...

    def drop_session(self, token_hash: str) -> None:
        """End a session."""
        ...

    def add_mail(self, to: str, subject: str, body: str, now: datetime) -> None:
        """Put a message in the outbox."""
        ...

    def mails(self, limit: int = 50) -> list[Mail]:
        """Return the newest messages in the outbox."""
        ...

    def add_request(self, request: DataRequest, actor: str, now: datetime) -> None:
        """Store a new data-subject request."""
        ...

    def requests(self, subject: str | None = None) -> list[DataRequest]:
        """Return requests, of one subject or all, newest first."""
        ...

    def request(self, request_id: str) -> DataRequest | None:
        """Return one request."""
        ...

    def set_status(
        self, request_id: str, status: RequestStatus, note: str, actor: str, now: datetime
    ) -> None:
        """Change a request's status (the caller has checked the transition)."""
        ...

    def add_api_key(self, key: ApiKey, key_hash: str, actor: str, now: datetime) -> None:
        """Store a partner key's hash."""
        ...

    def api_key(self, key_hash: str) -> ApiKey | None:
        """Return the key with this hash."""
        ...

    def add_partner_request(self, request: PartnerRequest, actor: str) -> None:
        """Store a partner's request."""
        ...

    def partner_requests(self, recipient: str) -> list[PartnerRequest]:
        """Return one recipient's requests."""
        ...

    def audit(self, kind: str, actor: str, payload: Mapping[str, Any]) -> None:
        """Append a console action to the audit chain."""
        ...
