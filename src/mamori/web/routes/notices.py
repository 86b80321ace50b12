"""The member's notices: incident notices delivered through the portal (APPI-26-2).

A member sees only notices delivered to them (or to a minor they are guardian of); any other id
answers 404, so notice ids cannot be probed. Opening a notice is written to the audit chain,
which shows the person could read it (the delivery rows themselves are append-only).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from mamori.domain.calendar import JST
from mamori.web.deps import ActingFor, Ctx, Member
from mamori.web.routes.incidents import incident_console
from mamori.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/notices", response_class=HTMLResponse)
def my_notices(request: Request, ctx: Ctx, member: Member, who: ActingFor) -> HTMLResponse:
    """List the notices delivered to the member (or their ward), newest first."""
    found = incident_console(ctx).notices.for_subject(who[0])
    for_ = who[0] if who[0] != member.subject else ""
    wards = ctx.portal.store.wards(who[0]) if not for_ else []
    context = {"notices": found, "for_": for_, "notice": None, "JST": JST, "wards": wards}
    return render(request, "notices.html", context)


@router.get("/notices/{notice_id}", response_class=HTMLResponse)
async def my_notice(
    request: Request, ctx: Ctx, member: Member, who: ActingFor, notice_id: str
) -> HTMLResponse:
    """Show one notice in full, if it was delivered to this member (or their ward)."""
    found = await run_in_threadpool(incident_console(ctx).notices.get, notice_id)
    if found is None or found.subject_id != who[0]:
        raise HTTPException(404, "not found")
    payload = {"notice": found.id, "incident_id": found.incident_id, "subject": who[0]}
    await run_in_threadpool(ctx.portal.store.audit, "portal-notice-read", f"member:{member.subject}", payload)
    for_ = who[0] if who[0] != member.subject else ""
    return render(
        request, "notices.html", {"notices": [], "for_": for_, "notice": found, "JST": JST, "wards": []}
    )
