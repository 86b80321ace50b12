"""My consents: every purpose on one page, yes or no per purpose, nothing pre-selected."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mamori.services.member_consent import choice_event, consent_page
from mamori.web.deps import ActingFor, Csrf, Ctx, Member, Now
from mamori.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/consents", response_class=HTMLResponse)
def my_consents(request: Request, ctx: Ctx, member: Member, who: ActingFor, now: Now) -> HTMLResponse:
    """Show every purpose of the terms in effect, the changes first (APPI-CONSENT-2, APPI-CONSENT-3)."""
    subject, by = who
    page = consent_page(ctx.platform.ledger, subject, now)
    done = request.query_params.get("done")
    return render(request, "consents.html", {"page": page, "by": by, "for_": subject, "done": done})


@router.post("/consents", response_class=HTMLResponse)
async def change_consent(
    request: Request,
    ctx: Ctx,
    member: Member,
    who: ActingFor,
    now: Now,
    _: Csrf,
    purpose: Annotated[str, Form(max_length=100)],
    choice: Annotated[Literal["grant", "withdraw"], Form()],
) -> Response:
    """Record a yes or a no by an explicit act (APPI-CONSENT-1); guardians act for minors (APPI-CONSENT-4)."""
    subject, by = who
    ledger = ctx.platform.ledger
    actor = f"member:{member.subject}"
    event = await ctx.read(choice_event, ledger, subject, purpose, choice == "grant", now, by)
    if ctx.commits is not None:
        await ctx.commits.append(event, actor)
    else:
        await run_in_threadpool(ledger.append_event, event, actor)
    if request.headers.get("hx-request"):
        page = await run_in_threadpool(consent_page, ledger, subject, now)
        card = next(c for c in page.choices if c.purpose.id == purpose)
        version = page.terms.version if page.terms else "—"
        context = {"c": card, "by": by, "for_": subject, "done": purpose, "terms_version": version}
        return render(request, "_purpose.html", context)
    query = {"done": purpose} | ({"for": subject} if subject != member.subject else {})
    return RedirectResponse(f"/consents?{urlencode(query)}#p-{purpose}", status_code=303)
