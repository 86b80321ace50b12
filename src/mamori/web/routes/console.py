"""The officer console: coverage, re-consent, terms, requests, outbox, audit status (records: console_records).

Roles: privacy officer (everything), operator (works the request queue), auditor (reads only).
Every action, reading the outbox included, is written to the audit chain.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mamori.domain.calendar import jst_date
from mamori.domain.data_requests import TRANSITIONS, RequestStatus, is_overdue
from mamori.domain.terms import TermsVersion
from mamori.services.consent import publish_terms
from mamori.services.coverage import coverage_over_time, reconsent_progress
from mamori.services.data_requests import move_request
from mamori.services.partners import SCOPES, issue_key
from mamori.web.charts import HEIGHT, PAD, WIDTH, lines
from mamori.web.deps import Csrf, Ctx, Now, Officer, Staff, Writer
from mamori.web.templating import render

router = APIRouter(prefix="/console", include_in_schema=False)


def _actor(account: Staff) -> str:
    return f"{account.role.value}:{hashlib.sha256(account.email.encode()).hexdigest()[:12]}"


@router.get("", response_class=HTMLResponse)
def overview(request: Request, ctx: Ctx, staff: Staff, now: Now) -> HTMLResponse:
    """Show the request queue's health and the audit chain's last verification."""
    today = jst_date(now)
    found = ctx.portal.store.requests()
    open_ = [r for r in found if TRANSITIONS[r.status]]
    overdue = [r for r in open_ if is_overdue(r.status, r.due_on, today)]
    context = {"open": len(open_), "overdue": len(overdue), "verified": ctx.cache.get("audit")}
    return render(request, "console/overview.html", context)


@router.post("/audit/verify")
async def verify(ctx: Ctx, staff: Staff, now: Now, _: Csrf) -> Response:
    """Verify the audit chain now and record that it was done."""
    broken = await run_in_threadpool(ctx.platform.ledger.verify_audit)
    result = {"at": now, "ok": broken is None, "detail": None if broken is None else str(broken)}
    ctx.cache["audit"] = result
    payload = {"ok": broken is None}
    await run_in_threadpool(ctx.portal.store.audit, "audit-verified", _actor(staff), payload)
    return RedirectResponse("/console", status_code=303)


@router.get("/coverage", response_class=HTMLResponse)
async def coverage(request: Request, ctx: Ctx, staff: Staff, now: Now) -> HTMLResponse:
    """Chart consent coverage per purpose over time; show re-consent progress after the last change."""
    ledger = ctx.platform.ledger
    key = ("coverage", ledger.position(), jst_date(now))
    if key not in ctx.cache:
        points = await run_in_threadpool(
            coverage_over_time, ledger, ctx.platform.snapshots, now, ctx.platform.settings.policy
        )
        ctx.cache[key] = (points, await run_in_threadpool(reconsent_progress, ledger))
    points, progress = ctx.cache[key]
    context = {
        "points": points,
        "lines": lines(points),
        "progress": progress,
        "box": {"w": WIDTH, "h": HEIGHT, "pad": PAD},
    }
    return render(request, "console/coverage.html", context)


@router.get("/terms", response_class=HTMLResponse)
def terms(request: Request, ctx: Ctx, staff: Staff) -> HTMLResponse:
    """Show every terms version and what each changed from the one before."""
    ledger = ctx.platform.ledger
    versions = list(ledger.terms().versions)
    diffs = [
        (new, sorted(new.purposes - old.purposes), sorted(old.purposes - new.purposes))
        for old, new in itertools.pairwise(versions)
    ]
    purposes = ledger.purposes()
    context = {"versions": versions, "diffs": list(reversed(diffs)), "purposes": purposes}
    return render(request, "console/terms.html", context)


@router.post("/terms")
def publish(
    ctx: Ctx,
    officer: Officer,
    _: Csrf,
    version: Annotated[str, Form(min_length=1, max_length=100)],
    effective: Annotated[date, Form()],
    purposes: Annotated[list[str], Form()],
    text: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    """Publish a new terms version; it grants nothing by itself (APPI-CONSENT-3)."""
    text_hash = hashlib.sha256(text.encode()).hexdigest() if text else ""
    new = TermsVersion(version.strip(), effective, frozenset(purposes), text_hash)
    publish_terms(ctx.platform.ledger, new, _actor(officer))
    return RedirectResponse("/console/terms", status_code=303)


@router.get("/requests", response_class=HTMLResponse)
def queue(request: Request, ctx: Ctx, staff: Staff, now: Now) -> HTMLResponse:
    """Show the data-subject request queue, the overdue first."""
    today = jst_date(now)
    rows = [
        (r, is_overdue(r.status, r.due_on, today), [s for s in RequestStatus if s in TRANSITIONS[r.status]])
        for r in ctx.portal.store.requests()
    ]
    rows.sort(key=lambda row: (not row[1], not TRANSITIONS[row[0].status], row[0].due_on))
    return render(request, "console/requests.html", {"rows": rows, "today": today})


@router.post("/requests/{request_id}")
def move(
    ctx: Ctx,
    writer: Writer,
    now: Now,
    _: Csrf,
    request_id: str,
    status: Annotated[RequestStatus, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Move a request along its lifecycle (the domain's transition table decides)."""
    move_request(ctx.portal.store, request_id, status, note, _actor(writer), now)
    return RedirectResponse("/console/requests", status_code=303)


@router.get("/outbox", response_class=HTMLResponse)
async def outbox(request: Request, ctx: Ctx, staff: Staff) -> HTMLResponse:
    """Show the outbox (the embedded default's mail), and record that it was read."""
    if staff.role.value == "auditor":
        raise HTTPException(403, "the outbox holds sign-in codes; auditors do not read it")
    await run_in_threadpool(ctx.portal.store.audit, "outbox-read", _actor(staff), {})
    return render(request, "console/outbox.html", {"mails": ctx.portal.store.mails()})


@router.get("/partners", response_class=HTMLResponse)
def partners(request: Request, staff: Staff) -> HTMLResponse:
    """Show the form to issue a partner key."""
    return render(request, "console/partners.html", {"scopes": sorted(SCOPES), "secret": None})


@router.post("/partners", response_class=HTMLResponse)
def issue(
    request: Request,
    ctx: Ctx,
    officer: Officer,
    now: Now,
    _: Csrf,
    recipient: Annotated[str, Form(min_length=1, max_length=100)],
    scopes: Annotated[list[str], Form()],
) -> HTMLResponse:
    """Issue a key for a recipient; the secret is shown once, only its hash is stored."""
    secret = issue_key(ctx.portal.store, recipient.strip(), frozenset(scopes), _actor(officer), now)
    context = {"scopes": sorted(SCOPES), "secret": secret, "recipient": recipient}
    return render(request, "console/partners.html", context)
