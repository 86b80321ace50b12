"""`create_app(settings)`: the FastAPI application; nothing is built until it is called."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mamori.bootstrap import build, build_portal
from mamori.errors import InputError, MamoriError, RefusedError
from mamori.services import accounts
from mamori.services.accounts import RateLimitedError
from mamori.settings import Settings
from mamori.web.context import WebContext
from mamori.web.deps import SignInRequiredError
from mamori.web.routes import api, auth, consents, console, home, records, requests
from mamori.web.security import LANG_COOKIE, PRE_CSRF_COOKIE, SESSION_COOKIE, new_pre_csrf, set_cookie
from mamori.web.templating import make_templates, render

STATIC_DIR = Path(__file__).with_name("static")
_NO_SESSION = ("/static/", "/api/", "/openapi.json", "/docs", "/redoc")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Wire the platform and return the application (the ledger is migrated on first use)."""
    platform = build(settings)
    app = FastAPI(
        title="mamori",
        summary="Consent-first customer data platform for Japan — partner API",
        version="1",
        docs_url=None,  # Swagger UI loads from a CDN; the product runs offline
        redoc_url=None,
    )
    app.state.ctx = WebContext(platform, build_portal(platform))
    app.state.templates = make_templates()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (home, auth, consents, requests, records, console, api):
        app.include_router(module.router)
    _install_state(app, platform.settings.lang)
    _install_errors(app)
    return app


def _install_state(app: FastAPI, default_lang: str) -> None:
    @app.middleware("http")
    async def portal_state(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """Resolve language, session and CSRF token before the route runs."""
        chosen = request.query_params.get("lang")
        lang = chosen if chosen in ("ja", "en") else request.cookies.get(LANG_COOKIE, default_lang)
        request.state.lang = "en" if lang == "en" else "ja"
        request.state.account = None
        if request.url.path.startswith(_NO_SESSION):
            return await call_next(request)
        ctx: WebContext = request.app.state.ctx
        token = request.cookies.get(SESSION_COOKIE)
        found = await run_in_threadpool(accounts.current, ctx.portal.store, ctx.platform.clock, token)
        pre = request.cookies.get(PRE_CSRF_COOKIE) or new_pre_csrf()
        if found is not None:
            request.state.session, request.state.account = found
            request.state.csrf = found[0].csrf
        else:
            request.state.csrf = pre
        response = await call_next(request)
        if token and found is None:
            response.delete_cookie(SESSION_COOKIE, path="/")
        if PRE_CSRF_COOKIE not in request.cookies:
            set_cookie(request, response, PRE_CSRF_COOKIE, pre, None)
        if chosen in ("ja", "en"):
            set_cookie(request, response, LANG_COOKIE, chosen, 60 * 60 * 24 * 365)
        return response


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(SignInRequiredError)
    async def to_sign_in(request: Request, _exc: SignInRequiredError) -> Response:
        return RedirectResponse("/signin", status_code=303)

    @app.exception_handler(MamoriError)
    async def mamori_error(request: Request, exc: MamoriError) -> Response:
        code = 429 if isinstance(exc, RateLimitedError) else 400 if isinstance(exc, InputError) else 409
        if isinstance(exc, RefusedError) and not isinstance(exc, RateLimitedError):
            code = 409
        lang = getattr(request.state, "lang", "ja")
        if request.url.path.startswith("/api/"):
            rules = list(getattr(exc, "rules", ()))
            return JSONResponse({"detail": exc.message(lang), "rules": rules}, status_code=code)
        return render(request, "error.html", {"message": exc.message(lang), "status": code}, code)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith(("/api/", "/openapi.json")):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return render(
            request, "error.html", {"message": str(exc.detail), "status": exc.status_code}, exc.status_code
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": jsonable(exc.errors())}, status_code=422)
        return render(
            request, "error.html", {"message": "入力が正しくありません / invalid input", "status": 422}, 422
        )


def jsonable(errors: object) -> object:
    """Return validation errors in a form JSON can carry (pydantic puts exceptions in ctx)."""
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(errors, custom_encoder={Exception: str})
