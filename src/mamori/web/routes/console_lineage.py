"""Console: datasets and lineage, insight releases and privacy budgets (read by every console role).

Lineage answers "where did this come from and where did it go": a dataset's provenance
(APPI-30-1), a provision's consent position, export, recipient and subjects (APPI-29-1).
The insight page shows each release's record and each recipient's ε (MAMORI-AGG-1, MAMORI-DP-1).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Path, Request, status
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from mamori.services.lineage_view import lineage_index, lineage_of
from mamori.services.partner_data import budgets, releases_of
from mamori.web.deps import Ctx, Staff
from mamori.web.records_deps import RecordsDep
from mamori.web.templating import render

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/lineage", response_class=HTMLResponse)
async def lineage(request: Request, ctx: Ctx, records: RecordsDep, staff: Staff) -> HTMLResponse:
    """List the lake's datasets, the provisions (exports) and the receipts, with their lineage ids."""
    index = await run_in_threadpool(lineage_index, ctx.platform.catalog, records.provisions)
    return render(request, "console/lineage.html", index)


@router.get("/lineage/{lineage_id:path}", response_class=HTMLResponse)  # dataset ids hold "/"
async def lineage_one(
    request: Request,
    ctx: Ctx,
    records: RecordsDep,
    staff: Staff,
    lineage_id: str = Path(max_length=200),
) -> HTMLResponse:
    """Show one dataset's or export's lineage: where from, which run, which export, who, how many."""
    found = await run_in_threadpool(
        lineage_of, lineage_id, ctx.platform.catalog, records.provisions, records.exports
    )
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
    return render(request, "console/lineage_one.html", {"lineage": found})


@router.get("/insight", response_class=HTMLResponse)
async def insight(request: Request, records: RecordsDep, staff: Staff) -> HTMLResponse:
    """List insight releases (who, spec, snapshot, suppressed cells, ε) and every recipient's budget."""
    log = records.insight
    releases = await run_in_threadpool(releases_of, log)
    accounts = await run_in_threadpool(budgets, log, await run_in_threadpool(log.recipients))
    return render(request, "console/insight.html", {"releases": releases, "accounts": accounts})
