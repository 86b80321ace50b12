"""Incident statistics for consultants: by cause, organisation size, infection route and month.

The same records and cross-tabulation as `mamori incident stats` (`domain.incidents.stats`),
drawn as server-side SVG bars (no script; the table beside each chart has the same numbers)
and exported as CSV. Records carry no personal data.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from mamori.domain.incidents.classification import InfectionRoute, OrgSize
from mamori.domain.incidents.facts import Cause
from mamori.domain.incidents.labels import CAUSE_LABELS, ROUTE_LABELS, SIZE_LABELS
from mamori.domain.incidents.stats import Dimension, IncidentRecord, Row, record_of, tabulate
from mamori.services.incidents.records import RecordBatch, read_records
from mamori.services.portal_ports import Account
from mamori.web.charts import PAD, PALETTE, WIDTH
from mamori.web.deps import Csrf, Ctx, Staff
from mamori.web.incident_forms import actor_of
from mamori.web.routes.incidents import incident_console
from mamori.web.templating import render

router = APIRouter(prefix="/console/incidents", include_in_schema=False)
SHOWN = (Dimension.CAUSE, Dimension.SIZE, Dimension.ROUTE, Dimension.MONTH)
TITLES = {
    Dimension.CAUSE: ("原因別", "By cause"),
    Dimension.SIZE: ("組織の規模別", "By organisation size"),
    Dimension.ROUTE: ("侵入・流出経路別", "By infection route"),
    Dimension.MONTH: ("月別の推移", "Over time (by month)"),
}
BAR, GAP, TOP = 26, 10, 8
RECORDS_LIMIT = 10 * 1024 * 1024  # bytes per uploaded records file


@dataclass(frozen=True, slots=True)
class Bar:
    """One horizontal bar: its label, count and place in the chart."""

    label: tuple[str, str]
    row: Row
    y: int
    width: float
    colour: str


def _label(dimension: Dimension, key: str) -> tuple[str, str]:
    match dimension:
        case Dimension.CAUSE:
            return CAUSE_LABELS[Cause(key)]
        case Dimension.SIZE:
            return SIZE_LABELS[OrgSize(key)]
        case Dimension.ROUTE:
            return ROUTE_LABELS[InfectionRoute(key)]
    return key, key


def bars(dimension: Dimension, rows: tuple[Row, ...]) -> list[Bar]:
    """Place one bar per row, scaled to the largest count (a month axis keeps time order)."""
    if dimension is not Dimension.MONTH:
        rows = tuple(sorted(rows, key=lambda r: (-r.incidents, r.key)))
    top = max((r.incidents for r in rows), default=1)
    span = WIDTH - 2 * PAD - 160
    return [
        Bar(_label(dimension, r.key[0]), r, TOP + n * (BAR + GAP), span * r.incidents / top, PALETTE[n % 2])
        for n, r in enumerate(rows)
    ]


def _records(ctx: Ctx) -> list[IncidentRecord]:
    return [record_of(i) for i in incident_console(ctx).service.all()]


@router.get("/stats", response_class=HTMLResponse)
def stats(request: Request, ctx: Ctx, staff: Staff) -> HTMLResponse:
    """Show tables and bar charts of this ledger's incidents by cause, size, route and month."""
    return _page(request, _records(ctx), [])


def _page(
    request: Request, records: list[IncidentRecord], batches: list[tuple[str, RecordBatch]]
) -> HTMLResponse:
    charts = [(d, TITLES[d], bars(d, tabulate(records, [d]))) for d in SHOWN]
    box = {"w": WIDTH, "pad": PAD, "top": TOP, "bar": BAR, "gap": GAP}
    context = {"charts": charts, "total": len(records), "box": box, "batches": batches}
    return render(request, "console/incidents/stats.html", context)


@router.post("/stats", response_class=HTMLResponse)
async def combined(
    request: Request,
    ctx: Ctx,
    staff: Staff,
    _: Csrf,
    records: list[UploadFile],
    fmt: Annotated[str, Form()] = "html",
    local: Annotated[bool, Form()] = False,
) -> Response:
    """Combine other organisations' records CSVs (`mamori incident records`) with this ledger's.

    Bad rows are quarantined with their line and field and listed (rows in = accepted +
    quarantined); nothing is stored: the consultant's files stay theirs.
    """
    mine: list[IncidentRecord] = _records(ctx) if local else []
    batches = []
    for upload in records:
        name = (upload.filename or "records.csv").rsplit("/", 1)[-1]
        text = (await upload.read(RECORDS_LIMIT)).decode("utf-8-sig", errors="replace")
        batch = read_records(text, name)
        batches.append((name, batch))
        mine += batch.accepted
    if fmt == "csv":
        return _csv(ctx, staff, mine, [Dimension.ORGANISATION, *SHOWN])
    return _page(request, mine, batches)


@router.get("/stats.csv")
def stats_csv(ctx: Ctx, staff: Staff, by: str = "cause") -> Response:
    """Export a table as CSV, the same columns as `mamori incident stats --csv`; audited."""
    try:
        dims = [Dimension(d.strip()) for d in by.split(",") if d.strip()]
    except ValueError:
        raise HTTPException(400, f"unknown dimension in: {by}") from None
    if not dims:
        raise HTTPException(400, "give at least one dimension")
    return _csv(ctx, staff, _records(ctx), dims)


def _csv(ctx: Ctx, staff: Account, records: list[IncidentRecord], dims: list[Dimension]) -> Response:
    rows = tabulate(records, dims)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([d.value for d in dims] + ["incidents", "reportable", "persons", "organisations"])
    writer.writerows([*r.key, r.incidents, r.reportable, r.persons, r.organisations] for r in rows)
    ctx.portal.store.audit("incident-stats-exported", actor_of(staff), {"by": [d.value for d in dims]})
    headers = {
        "Content-Disposition": f'attachment; filename="incident-stats-{"-".join(d.value for d in dims)}.csv"'
    }
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
