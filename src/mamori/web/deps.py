"""Dependency aliases the routes declare (`Annotated`), so each route states what it needs.

The dependencies are `async def` although most do no I/O: FastAPI runs a plain `def`
dependency in the thread pool, a hand-off to another thread and back for every one of them on
every request (six per consent change); the one that may query hands only that query over.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Query, Request, status
from fastapi.security import APIKeyHeader

from mamori.domain.consent import Actor
from mamori.services.partners import authenticate
from mamori.services.portal_ports import Account, ApiKey, Role
from mamori.web.context import WebContext
from mamori.web.security import csrf_ok


async def get_ctx(request: Request) -> WebContext:
    """Return the application's wiring."""
    ctx: WebContext = request.app.state.ctx
    return ctx


Ctx = Annotated[WebContext, Depends(get_ctx)]


async def get_now(ctx: Ctx) -> datetime:
    """Return the current instant from the platform's clock."""
    return ctx.platform.clock.now()


Now = Annotated[datetime, Depends(get_now)]


class SignInRequiredError(Exception):
    """Raised when a page needs a signed-in account; the app answers with a redirect."""


async def require_account(request: Request) -> Account:
    """Return the signed-in account, or send the visitor to sign in."""
    account: Account | None = getattr(request.state, "account", None)
    if account is None:
        raise SignInRequiredError
    return account


async def require_member(account: Annotated[Account, Depends(require_account)]) -> Account:
    """Return the signed-in member (staff have no consents of their own)."""
    if account.subject is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "members only")
    return account


Member = Annotated[Account, Depends(require_member)]

STAFF = frozenset({Role.PRIVACY_OFFICER, Role.OPERATOR, Role.AUDITOR})
WRITERS = frozenset({Role.PRIVACY_OFFICER, Role.OPERATOR})


async def require_staff(account: Annotated[Account, Depends(require_account)]) -> Account:
    """Return the signed-in staff account (any console role)."""
    if account.role not in STAFF:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "console roles only")
    return account


Staff = Annotated[Account, Depends(require_staff)]


async def require_writer(account: Staff) -> Account:
    """Return a staff account that may act (auditors only read)."""
    if account.role not in WRITERS:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "auditors are read-only")
    return account


Writer = Annotated[Account, Depends(require_writer)]


async def require_officer(account: Staff) -> Account:
    """Return a privacy officer (terms and partner keys are theirs to change)."""
    if account.role is not Role.PRIVACY_OFFICER:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "privacy officer only")
    return account


Officer = Annotated[Account, Depends(require_officer)]


async def check_csrf(request: Request, csrf: Annotated[str, Form()] = "") -> None:
    """Refuse a form without this browser's CSRF token."""
    if not csrf_ok(request, csrf or request.headers.get("x-csrf-token")):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "CSRF token missing or wrong")


Csrf = Annotated[None, Depends(check_csrf)]


async def acting_for(
    ctx: Ctx, account: Member, for_: Annotated[str | None, Query(alias="for")] = None
) -> tuple[str, Actor]:
    """Return whose data the member acts on: their own, or a minor's they are guardian of (APPI-CONSENT-4).

    Anything else is answered as "not found", so ids of other people cannot be probed.
    """
    assert account.subject is not None
    if not for_ or for_ == account.subject:
        return account.subject, Actor.SELF
    ward = await ctx.read(ctx.platform.ledger.subject, for_)
    if ward is None or ward.guardian != account.subject:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
    return ward.id, Actor.GUARDIAN


ActingFor = Annotated[tuple[str, Actor], Depends(acting_for)]

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="a partner key (mk_...)")


def require_key(ctx: Ctx, secret: Annotated[str | None, Depends(api_key_header)]) -> ApiKey:
    """Return the partner key presented, or answer 401."""
    key = authenticate(ctx.portal.store, secret or "")
    if key is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a valid X-API-Key is required")
    return key


PartnerKey = Annotated[ApiKey, Depends(require_key)]


def require_scope(key: ApiKey, scope: str) -> None:
    """Refuse a key without the scope an endpoint needs."""
    if scope not in key.scopes:
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"scope {scope} required")
