"""Resolve language, session and CSRF token before each page's route runs.

A plain ASGI middleware rather than `@app.middleware("http")`: Starlette's BaseHTTPMiddleware
runs the app in a separate task with its own streams, a cost every consent change paid.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mamori.services import accounts
from mamori.web.context import WebContext
from mamori.web.security import LANG_COOKIE, PRE_CSRF_COOKIE, SESSION_COOKIE, new_pre_csrf, set_cookie

_NO_SESSION = ("/static/", "/api/", "/openapi.json")
_YEAR = 60 * 60 * 24 * 365


class PortalState:
    """Put `lang`, `account`, `session` and `csrf` on request.state; set the cookies they need."""

    def __init__(self, app: ASGIApp, default_lang: str) -> None:
        self.app = app
        self.default_lang = default_lang

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        # scope values rather than request.url / query_params: building those on every request
        # showed in the profile of the consent change.
        chosen = request.query_params.get("lang") if b"lang=" in scope.get("query_string", b"") else None
        lang = chosen if chosen in ("ja", "en") else request.cookies.get(LANG_COOKIE, self.default_lang)
        request.state.lang = "en" if lang == "en" else "ja"
        request.state.account = None
        if str(scope["path"]).startswith(_NO_SESSION):
            await self.app(scope, receive, send)
            return
        ctx: WebContext = request.app.state.ctx
        token = request.cookies.get(SESSION_COOKIE)
        found = None
        if token:
            found = await ctx.read(accounts.current, ctx.portal.store, ctx.platform.clock, token)
        cookies = Response()
        if found is not None:
            # Signed in: forms carry the session's own token, so no pre-sign-in cookie is made.
            request.state.session, request.state.account = found
            request.state.csrf = found[0].csrf
        else:
            pre = request.cookies.get(PRE_CSRF_COOKIE)
            if pre is None:
                pre = new_pre_csrf()
                set_cookie(request, cookies, PRE_CSRF_COOKIE, pre, None)
            request.state.csrf = pre
        if token and found is None:
            cookies.delete_cookie(SESSION_COOKIE, path="/")
        if chosen in ("ja", "en"):
            set_cookie(request, cookies, LANG_COOKIE, chosen, _YEAR)
        extra = [v for k, v in cookies.raw_headers if k == b"set-cookie"]

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start" and extra:
                headers = MutableHeaders(scope=message)
                for value in extra:
                    headers.append("set-cookie", value.decode("latin-1"))
            await send(message)

        await self.app(scope, receive, send_with_cookies if extra else send)
