"""My consents: every purpose on one page, yes or no per purpose, nothing pre-selected."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mamori.services.member_consent import choice_event, consent_page
from mamori.web.deps import (
    ActingFor,
    Ctx,
    Member,
    Now,
    acting_for,
    check_csrf,
    get_ctx,
    get_now,
    require_account,
    require_member,
)
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
async def change_consent(request: Request) -> Response:
    """Record a yes or a no by an explicit act (APPI-CONSENT-1); guardians act for minors (APPI-CONSENT-4).

    The portal's busiest write takes its inputs itself rather than through seven FastAPI
    dependencies: solving them was a fifth of the request's CPU (measured with py-spy under
    bench/web_consent.py). The checks are the very functions those dependencies are.
    """
    ctx = await get_ctx(request)
    member = await require_member(await require_account(request))
    subject, by = await acting_for(ctx, member, request.query_params.get("for"))
    form = await form_fields(request)
    await check_csrf(request, form.get("csrf", ""))
    purpose, choice = form.get("purpose", ""), form.get("choice")
    if not 0 < len(purpose) <= 100 or choice not in ("grant", "withdraw"):
        raise RequestValidationError(
            [{"loc": ("body", "purpose" if choice else "choice"), "type": "value_error"}]
        )
    now = await get_now(ctx)
    ledger = ctx.platform.ledger
    event = await ctx.read(choice_event, ledger, subject, purpose, choice == "grant", now, by)
    actor = f"member:{member.subject}"
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


async def form_fields(request: Request) -> dict[str, str]:
    """Return a form's fields; the usual urlencoded body is parsed without python-multipart."""
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
