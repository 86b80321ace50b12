"""Who received my data, what we think about you, and the minors a guardian looks after."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from mamori.web.deps import ActingFor, Ctx, Member
from mamori.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/received", response_class=HTMLResponse)
def who_received(request: Request, ctx: Ctx, member: Member, who: ActingFor) -> HTMLResponse:
    """List the provision records about the member (the records APPI-29-1 makes us keep, shown to the person)."""
    records = ctx.provisions.for_subject(who[0])
    return render(request, "received.html", {"records": records, "for_": who[0]})


@router.get("/scores", response_class=HTMLResponse)
def what_we_think(request: Request, ctx: Ctx, member: Member, who: ActingFor) -> HTMLResponse:
    """List the lifestyle scores held on the member, with the features behind each."""
    scores = ctx.scores.for_subject(who[0])
    return render(request, "scores.html", {"scores": scores, "for_": who[0]})


@router.get("/wards", response_class=HTMLResponse)
def wards(request: Request, ctx: Ctx, member: Member) -> HTMLResponse:
    """List the minors whose registered guardian the member is (APPI-CONSENT-4)."""
    assert member.subject is not None
    return render(request, "wards.html", {"wards": ctx.portal.store.wards(member.subject)})
