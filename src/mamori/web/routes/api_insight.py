"""Partner API: insight requests and their results; a key only ever reaches its own recipient's.

A request is the spec of `mamori insight run SPEC.yaml` as JSON; the recipient is the key's, so a
partner spends only its own budget (MAMORI-DP-1). Consent (MAMORI-1) and the minimum-persons
rule with complementary suppression (MAMORI-AGG-1) are applied by the insight service.
Another recipient's release id is answered "not found", so ids cannot be probed.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter, HTTPException, Path, status
from fastapi.responses import Response

from mamori.domain.provision.export import safe_cell
from mamori.errors import InputError
from mamori.services.partner_data import ReleaseView, release_of, releases_of, request_insight, rows_of
from mamori.web.deps import Ctx, PartnerKey, require_scope
from mamori.web.records_deps import RecordsDep
from mamori.web.schemas_partner import (
    BudgetPublic,
    InsightReleasePublic,
    InsightRequestCreate,
    InsightResultPublic,
)

router = APIRouter(prefix="/api/v1", tags=["partner"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "not this recipient's release (or no such release)"}
}
ReleaseId = Path(ge=1, le=2**31 - 1, description="a release id of this recipient")


def _public(r: ReleaseView, kept: tuple[list[str], list[dict[str, Any]]] | None) -> InsightReleasePublic:
    return InsightReleasePublic(
        release_id=r.release_id,
        at=r.at,
        purpose=r.purpose,
        spec=r.spec,
        snapshot_position=r.snapshot_position,
        snapshot_taken_at=r.snapshot_taken_at,
        cells=r.cells,
        suppressed_cells=len(r.suppressed),
        epsilon=r.epsilon,
        result_sha256=r.result_digest,
        rows_kept=kept is not None,
        columns=kept[0] if kept else None,
        rows=kept[1] if kept else None,
    )


def _own(records: RecordsDep, recipient: str, release_id: int) -> ReleaseView:
    found = release_of(records.insight, recipient, release_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
    return found


@router.post("/insight", status_code=status.HTTP_201_CREATED, responses={400: {"description": "bad spec"}})
def create_insight(
    ctx: Ctx, records: RecordsDep, key: PartnerKey, body: InsightRequestCreate
) -> InsightResultPublic:
    """Run an insight request for this key's recipient and return the released rows."""
    require_scope(key, "insight:write")
    floor = ctx.platform.settings.policy.min_persons.entries[-1][1]
    release = request_insight(
        body.spec_document(),
        key.recipient,
        floor,
        records.runner,
        records.results,
        f"partner:{key.recipient}:{key.id}",
    )
    view = _own(records, key.recipient, release.release_id)
    outcome = release.outcome
    public = _public(view, (list(outcome.columns), outcome.rows))
    return InsightResultPublic(
        **public.model_dump(), remaining_epsilon=release.remaining_epsilon, rules=list(release.rules)
    )


@router.get("/insight")
def list_insight(records: RecordsDep, key: PartnerKey) -> list[InsightReleasePublic]:
    """List this recipient's releases, newest first (without rows; fetch one to get them)."""
    require_scope(key, "insight:read")
    return [_public(r, None) for r in releases_of(records.insight, key.recipient)]


@router.get("/insight/{release_id}", responses=NOT_FOUND)
def get_insight(records: RecordsDep, key: PartnerKey, release_id: int = ReleaseId) -> InsightReleasePublic:
    """Return one of this recipient's releases with its rows (checked against the ledger's digest)."""
    require_scope(key, "insight:read")
    view = _own(records, key.recipient, release_id)
    return _public(view, rows_of(records.results, view))


@router.get(
    "/insight/{release_id}/result.csv",
    responses={**NOT_FOUND, 200: {"content": {"text/csv": {}}, "description": "the rows as CSV"}},
    response_class=Response,
)
def get_insight_csv(records: RecordsDep, key: PartnerKey, release_id: int = ReleaseId) -> Response:
    """Download one of this recipient's results as CSV (spreadsheet-safe, UTF-8 with BOM)."""
    require_scope(key, "insight:read")
    view = _own(records, key.recipient, release_id)
    kept = rows_of(records.results, view)
    if kept is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "the rows of this release were not kept")
    columns, rows = kept
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell(_cell(row.get(c))) for c in columns])
    name = f"insight-{view.release_id}.csv"
    return Response(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@router.get("/budget")
def get_budget(records: RecordsDep, key: PartnerKey) -> BudgetPublic:
    """Return this recipient's privacy budget: total, spent, remaining ε (MAMORI-DP-1)."""
    require_scope(key, "insight:read")
    account = records.insight.account(key.recipient)
    if account is None:
        raise InputError(
            f"統計情報の提供先として登録されていません：{key.recipient}",
            f"not registered as an insight recipient: {key.recipient}",
            field="recipient",
        )
    b = account.budget
    return BudgetPublic(recipient=account.id, total=b.total, spent=b.spent, remaining=b.remaining)
