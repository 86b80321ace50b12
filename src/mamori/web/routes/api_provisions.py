"""Partner API: the provisions made to this key's recipient, and their export files; never another's.

A recipient fetching its export is itself a movement of personal data, so every download is
written to the audit chain with the key and the lineage id (APPI-29-1 records name the export).
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Any

from fastapi import APIRouter, HTTPException, Path, status
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from mamori.bootstrap import Records
from mamori.services.partner_data import export_file, provision_of, provisions_of
from mamori.services.regulator_export import ProvisionFacts
from mamori.web.deps import Ctx, PartnerKey, require_scope
from mamori.web.records_deps import RecordsDep
from mamori.web.schemas_partner import ProvisionPublic

router = APIRouter(prefix="/api/v1", tags=["partner"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "not this recipient's provision (or no such provision)"}
}
LineageId = Path(min_length=1, max_length=64, description="the lineage id stamped on the export")
MEDIA = {".csv": "text/csv; charset=utf-8", ".parquet": "application/vnd.apache.parquet"}


def _public(p: ProvisionFacts, records: Records) -> ProvisionPublic:
    return ProvisionPublic(
        lineage_id=p.lineage_id,
        provided_at=p.provided_at,
        kind=p.kind,
        purpose=p.purpose_id,
        items=list(p.items),
        subjects=p.subjects_allowed,
        file_available=export_file(records.exports, p) is not None,
    )


def _own(records: RecordsDep, recipient: str, lineage_id: str) -> ProvisionFacts:
    found = provision_of(records.provisions, recipient, lineage_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
    return found


@router.get("/provisions")
def list_provisions(records: RecordsDep, key: PartnerKey) -> list[ProvisionPublic]:
    """List the provisions made to this recipient, newest first."""
    require_scope(key, "provisions:read")
    return [_public(p, records) for p in provisions_of(records.provisions, key.recipient)]


@router.get("/provisions/{lineage_id}", responses=NOT_FOUND)
def get_provision(records: RecordsDep, key: PartnerKey, lineage_id: str = LineageId) -> ProvisionPublic:
    """Return one provision made to this recipient."""
    require_scope(key, "provisions:read")
    return _public(_own(records, key.recipient, lineage_id), records)


@router.get(
    "/provisions/{lineage_id}/file",
    responses={**NOT_FOUND, 200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}}},
    response_class=FileResponse,
)
async def download_provision(
    ctx: Ctx, records: RecordsDep, key: PartnerKey, lineage_id: str = LineageId
) -> FileResponse:
    """Download the export file of one provision made to this recipient (audit-chained)."""
    require_scope(key, "provisions:download")
    found = await run_in_threadpool(_own, records, key.recipient, lineage_id)
    kept = await run_in_threadpool(export_file, records.exports, found)
    if kept is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "the export file is no longer kept")
    path = FilePath(kept)
    payload = {"lineage_id": found.lineage_id, "recipient": key.recipient, "key": key.id}
    await run_in_threadpool(
        ctx.portal.store.audit, "provision-downloaded", f"partner:{key.recipient}", payload
    )
    return FileResponse(
        path,
        media_type=MEDIA.get(path.suffix.lower(), "application/octet-stream"),
        filename=f"{found.lineage_id}{path.suffix.lower()}",
    )
