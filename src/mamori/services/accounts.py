"""Sign-in by a one-time code sent by mail, sessions that expire, and the sign-in rate limit."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from mamori.errors import RefusedError
from mamori.services.portal_ports import Account, Mailer, PortalStore, WebSession
from mamori.services.ports import Clock

CODE_TTL = timedelta(minutes=10)
SESSION_TTL = timedelta(hours=2)
RATE_WINDOW = timedelta(minutes=15)
MAX_CODES_PER_EMAIL = 5  # per RATE_WINDOW
MAX_CODES_PER_CLIENT = 20  # per RATE_WINDOW: stops one address spraying many emails
MAX_ATTEMPTS = 5  # wrong guesses before a code is burnt


def digest(secret: str) -> str:
    """Hash a code, token or key for storage (the secret itself is never stored)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_email(email: str) -> str:
    """Return the comparable form of an email address."""
    return email.strip().lower()


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A new session: the cookie token (shown once) and the session it opens."""

    token: str
    session: WebSession
    account: Account


class RateLimitedError(RefusedError):
    """Too many sign-in attempts from one address or for one email."""


def _rate_limited() -> RefusedError:
    return RateLimitedError(
        "サインインの試行が多すぎます。しばらくしてからもう一度お試しください",
        "too many sign-in attempts; please wait a while and try again",
        rules=(),
    )


def request_code(store: PortalStore, mailer: Mailer, clock: Clock, email: str, client: str) -> None:
    """Mail a one-time code to a known address; unknown addresses get the same answer, no mail."""
    email = normalize_email(email)
    now = clock.now()
    since = now - RATE_WINDOW
    if (
        store.codes_since(since, email=email) >= MAX_CODES_PER_EMAIL
        or store.codes_since(since, client=client) >= MAX_CODES_PER_CLIENT
    ):
        raise _rate_limited()
    code = f"{secrets.randbelow(1_000_000):06d}"
    # The attempt counts toward the limit even for an unknown address, so the limit cannot be
    # used to learn which addresses are members.
    store.add_code(email, client, digest(code), now, now + CODE_TTL)
    if store.account(email) is None:
        return
    mailer.send(
        email,
        "mamori サインインコード / sign-in code",
        f"サインインコード：{code}\n有効期限は10分です。\n\nYour sign-in code: {code} (valid for 10 minutes).",
    )


def verify_code(store: PortalStore, clock: Clock, email: str, code: str) -> SignedIn | None:
    """Open a session when the code matches; a code dies after MAX_ATTEMPTS wrong guesses."""
    email = normalize_email(email)
    now = clock.now()
    live = store.live_code(email, now)
    account = store.account(email)
    if live is None or account is None or live.attempts >= MAX_ATTEMPTS:
        return None
    matched = hmac.compare_digest(live.code_hash, digest(code.strip()))
    store.note_attempt(live.id, used=matched)
    if not matched:
        return None
    token = secrets.token_urlsafe(32)
    session = WebSession(email, secrets.token_urlsafe(24), now + SESSION_TTL)
    store.add_session(digest(token), email, session.csrf, now, session.expires_at)
    return SignedIn(token, session, account)


def current(store: PortalStore, clock: Clock, token: str | None) -> tuple[WebSession, Account] | None:
    """Return the live session and account of a cookie token; expired sessions are ended."""
    if not token:
        return None
    found = store.session(digest(token))
    if found is None:
        return None
    if found[0].expires_at <= clock.now():
        store.drop_session(digest(token))
        return None
    return found


def sign_out(store: PortalStore, token: str) -> None:
    """End a session."""
    store.drop_session(digest(token))
