"""Sign-in with a one-time code sent by mail, and sign-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mamori.services import accounts
from mamori.services.portal_ports import Role
from mamori.web.deps import Csrf, Ctx
from mamori.web.security import SESSION_COOKIE, client_of, set_cookie
from mamori.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request) -> HTMLResponse:
    """Ask for the email address."""
    return render(request, "signin.html")


@router.post("/signin", response_class=HTMLResponse)
async def send_code(
    request: Request, ctx: Ctx, _: Csrf, email: Annotated[str, Form(max_length=254)]
) -> HTMLResponse:
    """Mail a code (the same answer whether or not the address is known)."""
    store, mailer, clock = ctx.portal.store, ctx.portal.mailer, ctx.platform.clock
    await run_in_threadpool(accounts.request_code, store, mailer, clock, email, client_of(request))
    return render(request, "code.html", {"email": accounts.normalize_email(email)})


@router.post("/signin/code", response_class=HTMLResponse)
async def check_code(
    request: Request,
    ctx: Ctx,
    _: Csrf,
    email: Annotated[str, Form(max_length=254)],
    code: Annotated[str, Form(max_length=12)],
) -> Response:
    """Open a session when the code matches."""
    signed = await run_in_threadpool(accounts.verify_code, ctx.portal.store, ctx.platform.clock, email, code)
    if signed is None:
        context = {"email": accounts.normalize_email(email), "wrong": True}
        return render(request, "code.html", context, status_code=400)
    target = "/consents" if signed.account.role is Role.MEMBER else "/console"
    response = RedirectResponse(target, status_code=303)
    max_age = int((signed.session.expires_at - ctx.platform.clock.now()).total_seconds())
    set_cookie(request, response, SESSION_COOKIE, signed.token, max_age)
    return response


@router.post("/signout")
def signout(request: Request, ctx: Ctx, _: Csrf) -> Response:
    """End the session."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        accounts.sign_out(ctx.portal.store, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
