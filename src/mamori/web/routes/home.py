"""The landing page: anonymous visitors get a Japanese welcome; members get their overview."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from mamori.web.deps import Ctx
from mamori.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def landing(request: Request, ctx: Ctx) -> HTMLResponse:
    """Show the welcome page (or the member's overview when signed in)."""
    account = getattr(request.state, "account", None)
    wards = ctx.portal.store.wards(account.subject) if account and account.subject else []
    return render(request, "home.html", {"wards": wards})


@router.get("/healthz", response_class=HTMLResponse)
def health() -> HTMLResponse:
    """Answer that the server is up."""
    return HTMLResponse("ok")
