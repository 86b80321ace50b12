"""Requests: disclosure download (JSON, CSV), correction, stop use, deletion, stop provision."""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mamori.domain.calendar import jst_date
from mamori.domain.data_requests import RequestKind, RequestStatus, is_open, is_overdue
from mamori.services.data_requests import disclosure, disclosure_csv, file_request, move_request
from mamori.web.deps import ActingFor, Csrf, Ctx, Member, Now
from mamori.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/requests", response_class=HTMLResponse)
def my_requests(request: Request, ctx: Ctx, member: Member, who: ActingFor, now: Now) -> HTMLResponse:
    """Show the member's requests with status and due date, and the forms to file one."""
    found = ctx.portal.store.requests(who[0])
    today = jst_date(now)
    rows = [(r, is_open(r.status), is_overdue(r.status, r.due_on, today)) for r in found]
    return render(request, "requests.html", {"rows": rows, "kinds": list(RequestKind), "for_": who[0]})


@router.post("/requests")
def new_request(
    request: Request,
    ctx: Ctx,
    member: Member,
    who: ActingFor,
    now: Now,
    _: Csrf,
    kind: Annotated[RequestKind, Form()],
    detail: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """File a request (APPI-33-1, APPI-34-1, APPI-35-1)."""
    made = file_request(ctx.portal.store, who[0], kind, detail, now, f"member:{member.subject}")
    query = {"filed": made.id} | ({"for": who[0]} if who[0] != member.subject else {})
    return RedirectResponse(f"/requests?{urlencode(query)}", status_code=303)


@router.post("/requests/{request_id}/withdraw")
def withdraw_request(
    request: Request, ctx: Ctx, member: Member, who: ActingFor, now: Now, _: Csrf, request_id: str
) -> Response:
    """Withdraw one of the member's own open requests."""
    found = ctx.portal.store.request(request_id)
    if found is None or found.subject != who[0]:
        raise HTTPException(404, "not found")
    move_request(ctx.portal.store, request_id, RequestStatus.WITHDRAWN, "", f"member:{member.subject}", now)
    query = {"for": who[0]} if who[0] != member.subject else {}
    return RedirectResponse(f"/requests?{urlencode(query)}", status_code=303)


@router.get("/requests/disclosure.{fmt}")
async def download(ctx: Ctx, member: Member, who: ActingFor, now: Now, fmt: str) -> Response:
    """Download everything held on the member, as JSON or CSV (APPI-33-1, APPI-33-5)."""
    if fmt not in ("json", "csv"):
        raise HTTPException(404, "not found")
    store = ctx.portal.store
    document = await run_in_threadpool(
        disclosure, ctx.platform.ledger, store, who[0], now, ctx.provisions, ctx.scores
    )
    await run_in_threadpool(
        store.audit, "disclosure-downloaded", f"member:{member.subject}", {"subject": who[0], "format": fmt}
    )
    name = f"mamori-disclosure-{who[0]}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "json":
        body = json.dumps(document, ensure_ascii=False, indent=2)
        return Response(body, media_type="application/json", headers=headers)
    return Response(disclosure_csv(document), media_type="text/csv; charset=utf-8", headers=headers)
