"""Cookies, the CSRF check and the client address the sign-in rate limit counts by.

Sessions are server-side (the cookie holds a random token whose hash is stored), so they can
expire and be ended. Forms carry a CSRF token: the session's own, or before sign-in a
double-submit token held in its own cookie.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "mamori_session"
PRE_CSRF_COOKIE = "mamori_csrf"
LANG_COOKIE = "mamori_lang"


def client_of(request: Request) -> str:
    """Return the client address (the rate limit's key)."""
    return request.client.host if request.client else "unknown"


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None) -> None:
    """Set a cookie that scripts cannot read, sent only over HTTPS when the site is on HTTPS."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def new_pre_csrf() -> str:
    """Return a fresh token for forms shown before sign-in."""
    return secrets.token_urlsafe(24)


def csrf_ok(request: Request, sent: str | None) -> bool:
    """Tell whether a form's token matches what this browser was given."""
    expected = getattr(request.state, "csrf", "")
    return bool(sent) and bool(expected) and hmac.compare_digest(str(sent), str(expected))
