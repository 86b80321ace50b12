"""The console's incident pages: the list with deadlines, filing, one incident's six steps, the report.

Every decision shown comes from the domain (reportability, countdowns, what a step still needs);
this module only reads forms and renders. Only the privacy officer changes an incident; the
other console roles read. Step records go through `IncidentService`, so each one is an incident
event in the ledger and the audit chain; reading personal data (the affected list) and printing
the report are audit-chained here as console actions.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mamori.bootstrap import IncidentConsole, build_incident_console
from mamori.domain.calendar import JST, jst_date
from mamori.domain.incidents.classification import Audience, FirstAid, InfectionRoute, Inquiry, OrgSize
from mamori.domain.incidents.facts import Cause, Encryption, EventType, IncidentFacts
from mamori.domain.incidents.flow import Step
from mamori.domain.incidents.report import Reporter, ReportKind, build_notice, build_report
from mamori.domain.incidents.state import AFTER_ACTION_FIELDS, Incident
from mamori.domain.incidents.steps import StepIncompleteError
from mamori.domain.items import STANDARD_ITEMS
from mamori.domain.provision.export import safe_cell
from mamori.errors import InputError
from mamori.services.incidents.notices import notify_affected
from mamori.services.incidents.usecases import IncidentService, subjects_digest
from mamori.web.deps import Csrf, Ctx, Officer, Staff
from mamori.web.incident_forms import FORMS, actor_of, incident_context, parse_instant
from mamori.web.templating import render

router = APIRouter(prefix="/console/incidents", include_in_schema=False)
EVIDENCE_LIMIT = 20 * 1024 * 1024  # bytes; larger evidence goes in with `mamori incident evidence`


def _service(ctx: Ctx) -> IncidentService:
    return incident_console(ctx).service


def incident_console(ctx: Ctx) -> IncidentConsole:
    """Return the console's incident wiring, built on first use (never at import time)."""
    if "incident-console" not in ctx.cache:
        ctx.cache["incident-console"] = build_incident_console(ctx.platform)
    console: IncidentConsole = ctx.cache["incident-console"]
    return console


def _known(svc: IncidentService, incident_id: str) -> str:
    """Return the id of an incident that exists; answer 404 for any other (pages, downloads)."""
    if not svc.store.events(incident_id):
        raise HTTPException(404, "not found")
    return incident_id


def _back(incident_id: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/console/incidents/{quote(incident_id)}{anchor}", status_code=303)


@router.get("", response_class=HTMLResponse)
def incidents(request: Request, ctx: Ctx, staff: Staff) -> HTMLResponse:
    """List incidents with step, reportability (rule ids), countdowns and overdue warnings."""
    svc = _service(ctx)
    today = jst_date(svc.clock.now())
    views = [svc.view(i, today) for i in svc.store.incident_ids()]
    views.sort(key=lambda v: (v.incident.step is Step.CLOSED, -v.incident.opened_at.timestamp()))
    context = {
        "views": views,
        "today": today,
        "causes": list(Cause),
        "events": list(EventType),
        "routes": list(InfectionRoute),
        "sizes": list(OrgSize),
        "now_local": svc.clock.now().astimezone(JST).strftime("%Y-%m-%dT%H:%M"),
        **incident_context(),
    }
    return render(request, "console/incidents/list.html", context)


@router.post("")
def file_incident(
    ctx: Ctx,
    officer: Officer,
    _: Csrf,
    title: Annotated[str, Form(min_length=1, max_length=200)],
    cause: Annotated[Cause, Form()],
    discovered_by: Annotated[str, Form(min_length=1, max_length=200)],
    summary: Annotated[str, Form(min_length=1, max_length=4000)],
    persons: Annotated[int, Form(ge=0)] = 0,
    event: Annotated[EventType, Form()] = EventType.LEAK,
    items: Annotated[str, Form(max_length=2000)] = "",
    aware_at: Annotated[str, Form(max_length=40)] = "",
    suspected: Annotated[bool, Form()] = False,
    sensitive: Annotated[bool, Form()] = False,
    financial: Annotated[bool, Form()] = False,
    encryption: Annotated[Encryption, Form()] = Encryption.NONE,
    backup: Annotated[bool, Form()] = False,
    officer_told: Annotated[bool, Form()] = False,
    organisation: Annotated[str, Form(max_length=200)] = "",
    org_size: Annotated[OrgSize, Form()] = OrgSize.LARGE,
    route: Annotated[InfectionRoute, Form()] = InfectionRoute.UNKNOWN,
) -> Response:
    """File a new incident (step 1) and decide its reportability at once (PPC-RULE-7-1..4)."""
    svc = _service(ctx)
    facts = IncidentFacts(
        aware_at=parse_instant(aware_at, "aware_at") or svc.clock.now(),
        event=event,
        cause=cause,
        persons=persons,
        items=tuple(i.strip() for i in items.split(",") if i.strip()),
        suspected=suspected,
        sensitive=sensitive,
        financial=financial,
        encryption=encryption,
        backup=backup,
    )
    incident = svc.open(
        actor_of(officer),
        title=title.strip(),
        facts=facts,
        discovered_by=discovered_by.strip(),
        summary=summary.strip(),
        officer_told=officer_told,
        organisation=organisation.strip(),
        org_size=org_size,
        route=route,
    )
    return _back(incident.id)


@router.get("/{incident_id}", response_class=HTMLResponse)
def incident(request: Request, ctx: Ctx, staff: Staff, incident_id: str) -> HTMLResponse:
    """Show one incident: decision, countdowns, the six steps with their forms, impact, report."""
    return _page(request, ctx, incident_id)


def _page(request: Request, ctx: Ctx, incident_id: str, error: str = "", status: int = 200) -> HTMLResponse:
    console = incident_console(ctx)
    svc = console.service
    view = svc.view(_known(svc, incident_id))
    sources = console.lineage_sources()
    recorded = view.incident.impact.sources if view.incident.impact else ()
    context = {
        # An impact computed from leaked files (`mamori incident impact --file`) is shown, but
        # its list can only be derived again from the ledger's own lineage.
        "from_ledger": bool(recorded) and set(recorded) <= set(sources),
        "v": view,
        "inc": view.incident,
        "steps": [s for s in Step if s is not Step.CLOSED],
        "sources": sources[-50:],
        "portal_count": console.notices.count(incident_id),
        "error": error,
        "first_aids": list(FirstAid),
        "inquiries": list(Inquiry),
        "audiences": list(Audience),
        "after_fields": AFTER_ACTION_FIELDS,
        "causes": list(Cause),
        "routes": list(InfectionRoute),
        "now_local": svc.clock.now().astimezone(JST).strftime("%Y-%m-%dT%H:%M"),
        **incident_context(),
    }
    return render(request, "console/incidents/detail.html", context, status)


@router.post("/{incident_id}/advance", response_class=HTMLResponse)
def advance(request: Request, ctx: Ctx, officer: Officer, _: Csrf, incident_id: str) -> Response:
    """Close the current step; the domain refuses while its required fields are empty."""
    try:
        _service(ctx).advance(incident_id, actor_of(officer))
    except StepIncompleteError as exc:
        return _page(request, ctx, incident_id, exc.message(request.state.lang), 409)
    return _back(incident_id)


@router.post("/{incident_id}/facts")
def amend(
    ctx: Ctx,
    officer: Officer,
    _: Csrf,
    incident_id: str,
    reason: Annotated[str, Form(min_length=1, max_length=2000)],
    persons: Annotated[int, Form(ge=0)],
    cause: Annotated[Cause, Form()],
    route: Annotated[InfectionRoute, Form()],
    encryption: Annotated[Encryption, Form()] = Encryption.NONE,
    suspected: Annotated[bool, Form()] = False,
    sensitive: Annotated[bool, Form()] = False,
    financial: Annotated[bool, Form()] = False,
) -> Response:
    """Record new facts and re-decide reportability (persons found later, cause confirmed)."""
    changes = {
        "persons": persons,
        "cause": cause,
        "route": route,
        "encryption": encryption,
        "suspected": suspected,
        "sensitive": sensitive,
        "financial": financial,
    }
    _service(ctx).amend_facts(incident_id, actor_of(officer), reason.strip(), **changes)
    return _back(incident_id)


@router.post("/{incident_id}/impact")
def impact(
    ctx: Ctx, officer: Officer, _: Csrf, incident_id: str, sources: Annotated[list[str], Form()]
) -> Response:
    """Compute the affected people from the leaked exports' lineage and re-decide (APPI-26-1)."""
    _service(ctx).impact_from_lineage(incident_id, actor_of(officer), sources, STANDARD_ITEMS)
    return _back(incident_id, "#impact")


@router.get("/{incident_id}/affected.csv")
def affected_csv(ctx: Ctx, staff: Staff, incident_id: str) -> Response:
    """Download the affected people (subject_id, items), derived again from lineage; audited."""
    svc = _service(ctx)
    inc = svc.get(_known(svc, incident_id))
    found = svc.affected(incident_id, STANDARD_ITEMS)
    if found is None or inc.impact is None:
        raise HTTPException(404, "no impact computed yet")
    digest = subjects_digest(found.subjects)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["subject_id", "items"])
    for subject in found.subjects:
        items = ";".join(sorted(found.items_by_subject.get(subject, ())))
        writer.writerow([safe_cell(subject), safe_cell(items)])  # opened in spreadsheets (CWE-1236)
    payload = {"incident_id": incident_id, "persons": found.persons, "sha256": digest}
    ctx.portal.store.audit("affected-list-downloaded", actor_of(staff), payload)
    headers = {
        "Content-Disposition": f'attachment; filename="{incident_id}-affected.csv"',
        # Lineage is append-only: a differing digest means the records behind it changed.
        "X-Mamori-Matches-Recorded": str(digest == inc.impact.subjects_sha256).lower(),
    }
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


@router.post("/{incident_id}/evidence")
async def evidence(
    ctx: Ctx,
    officer: Officer,
    _: Csrf,
    incident_id: str,
    file: UploadFile,
    description: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Store an evidence file read-only and record the SHA-256 the store computed (step 3)."""
    data = await file.read(EVIDENCE_LIMIT + 1)
    if len(data) > EVIDENCE_LIMIT or not data:
        raise InputError(
            "証拠ファイルは空でなく 20 MB 以下にしてください（大きいものは CLI で）",
            "evidence must be non-empty and at most 20 MB (use the CLI for larger files)",
            field="file",
        )
    name = (file.filename or "evidence").rsplit("/", 1)[-1][:200]
    svc = _service(ctx)
    await run_in_threadpool(svc.attach_evidence, incident_id, actor_of(officer), name, data, description)
    return _back(incident_id, "#step-investigation")


@router.post("/{incident_id}/notices")
def notices(ctx: Ctx, officer: Officer, _: Csrf, incident_id: str) -> Response:
    """Send every affected person the notice through the portal and the email outbox (APPI-26-2)."""
    from mamori.documents.render import to_text

    console = incident_console(ctx)
    svc = console.service
    found = svc.affected(incident_id, STANDARD_ITEMS)
    emails = console.notices.member_emails(found.subjects if found else ())
    portal = {subject: subject for subject in emails}  # reachable on the portal: has an account

    def text(incident: Incident, today: date, items: tuple[str, ...] | None) -> str:
        return to_text(build_notice(incident, today, items))

    notify_affected(
        svc,
        incident_id,
        actor_of(officer),
        catalogue=STANDARD_ITEMS,
        channels=[(console.portal_outbox(incident_id), portal), (console.email_outbox(incident_id), emails)],
        text=text,
    )
    return _back(incident_id, "#step-notification")


@router.get("/{incident_id}/report/{kind}.{fmt}")
def report(
    ctx: Ctx,
    staff: Staff,
    incident_id: str,
    kind: ReportKind,
    fmt: str,
    business: str = "",
    address: str = "",
    representative: str = "",
    contact: str = "",
) -> Response:
    """The PPC report's nine items (PPC-RULE-8-3) as printable HTML, PDF or JSON; audited."""
    from mamori.documents.render import to_html, to_json, to_pdf

    if fmt not in ("html", "pdf", "json"):
        raise HTTPException(404, "not found")
    svc = _service(ctx)
    inc = svc.get(_known(svc, incident_id))
    given = (business.strip(), address.strip(), representative.strip(), contact.strip())
    reporter = Reporter(given[0] or inc.organisation, *given[1:]) if any(given) else None
    doc = build_report(inc, kind, jst_date(svc.clock.now()), reporter=reporter)
    ctx.portal.store.audit(
        "ppc-report-printed", actor_of(staff), {"incident_id": incident_id, "kind": kind.value, "format": fmt}
    )
    name = f"{incident_id}-report-{kind.value}.{fmt}"
    if fmt == "html":
        return HTMLResponse(to_html(doc))
    if fmt == "json":
        import json

        body = json.dumps(to_json(doc), ensure_ascii=False, indent=1)
        return Response(body, media_type="application/json")
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(to_pdf(doc), media_type="application/pdf", headers=headers)


@router.post("/{incident_id}/{action}")
async def record(
    request: Request, ctx: Ctx, officer: Officer, _: Csrf, incident_id: str, action: str
) -> Response:
    """Record one step entry from its form (team, first aid, 5W1H, tasks, ...), as an incident event."""
    form = FORMS.get(action)
    if form is None:
        raise HTTPException(404, "not found")
    data = await request.form()
    fields = form.parse({k: v for k, v in data.items() if isinstance(v, str)}, _service(ctx).clock.now())
    svc = _service(ctx)
    await run_in_threadpool(lambda: svc.record(incident_id, actor_of(officer), form.event, **fields))
    return _back(incident_id, f"#step-{form.step.value}")
