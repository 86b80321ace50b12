"""`create_app(settings)`: the FastAPI application; nothing is built until it is called."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from mamori.bootstrap import build, build_portal
from mamori.errors import InputError, MamoriError, RefusedError
from mamori.services.accounts import RateLimitedError
from mamori.settings import Settings
from mamori.web.commits import AsyncGroupCommit
from mamori.web.context import WebContext
from mamori.web.deps import SignInRequiredError
from mamori.web.middleware import PortalState
from mamori.web.routes import (
    api,
    api_insight,
    api_provisions,
    auth,
    consents,
    console,
    console_lineage,
    console_records,
    home,
    incident_stats,
    incidents,
    notices,
    records,
    requests,
)
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
    portal = build_portal(platform)
    app.state.ctx = WebContext(
        platform,
        portal,
        provisions=portal.provisions,
        scores=portal.scores,
        commits=AsyncGroupCommit(platform.ledger.append_each, platform.ledger.append_each_now),
    )
    app.state.templates = make_templates()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (home, auth, consents, requests, records, console, api):
        app.include_router(module.router)
    for module in (console_records, console_lineage, api_insight, api_provisions):
        app.include_router(module.router)
    # Statistics first: its fixed path must win over the incident page's `/{incident_id}`.
    for module in (incident_stats, incidents, notices):
        app.include_router(module.router)
    app.add_middleware(PortalState, default_lang=platform.settings.lang)
    _install_errors(app)
    return app


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
