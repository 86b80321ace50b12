"""Console: provision records search by subject, recipient and date, and the export for a regulator.

The export is the officer's answer when the PPC asks for the Art. 29 records (APPI-29-1): the
filtered provisions with every item of their records, as JSON or as spreadsheet-safe CSV.
Each export is written to the audit chain with its filters and the SHA-256 of what was handed over.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mamori.domain.calendar import jst_date
from mamori.services.portal_ports import Account
from mamori.services.regulator_export import (
    Filters,
    export_summary,
    regulator_csv,
    regulator_document,
    search,
)
from mamori.web.deps import Ctx, Now, Staff
from mamori.web.records_deps import Exporter, RecordsDep
from mamori.web.templating import render

router = APIRouter(prefix="/console", include_in_schema=False)


def actor_of(account: Account) -> str:
    """Name a staff member in the audit chain by role and a hash of the address (not the address)."""
    return f"{account.role.value}:{hashlib.sha256(account.email.encode()).hexdigest()[:12]}"


def search_filters(subject: str = "", recipient: str = "", since: str = "", until: str = "") -> Filters:
    """Read the search form (empty fields are no filter; dates are JST calendar days)."""
    return Filters.read(subject, recipient, since, until)


SearchFilters = Annotated[Filters, Depends(search_filters)]


@router.get("/provisions", response_class=HTMLResponse)
def provisions(request: Request, records: RecordsDep, staff: Staff, filters: SearchFilters) -> HTMLResponse:
    """Search provision records by subject, recipient and JST date (APPI-29-1)."""
    searched = any(v is not None for v in filters.describe().values())
    found = search(records.provisions, filters) if searched else []
    query = request.url.query
    context = {
        "found": list(reversed(found)),
        # APPI-29-1 / PPC-RULE-20: the consent snapshot each provision was decided on.
        "snapshots": {p.lineage_id: records.provisions.snapshot_of(p) for p in found},
        "searched": searched,
        "filters": filters.describe(),
        "query": query,
        "jst": jst_date,
    }
    return render(request, "console/provisions.html", context)


@router.get("/provisions/export.{fmt}")
async def export(
    ctx: Ctx,
    records: RecordsDep,
    exporter: Exporter,
    now: Now,
    fmt: Literal["json", "csv"],
    filters: SearchFilters,
) -> Response:
    """Download the filtered provisions with every item of their records, audit-chained."""
    document = await run_in_threadpool(regulator_document, records.provisions, filters, now)
    if fmt == "json":
        body = json.dumps(document, ensure_ascii=False, indent=2)
        media = "application/json"
    else:
        # A BOM so that Excel reads the Japanese CSV as UTF-8 (as lake.export does for people).
        body = "\ufeff" + regulator_csv(document)
        media = "text/csv; charset=utf-8"
    summary = export_summary(document, fmt, body)  # the digest of exactly what was handed over
    await run_in_threadpool(ctx.portal.store.audit, "provision-records-exported", actor_of(exporter), summary)
    name = f"provision-records-{jst_date(now):%Y%m%d}.{fmt}"
    return Response(
        body.encode("utf-8"),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )
