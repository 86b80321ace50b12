"""The partner API (`/api/v1`): a recipient sees and files only its own requests."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from mamori.services.partners import file_partner_request
from mamori.services.portal_ports import PartnerRequest
from mamori.web.deps import Ctx, Now, PartnerKey, require_scope
from mamori.web.schemas import PartnerPublic, PartnerRequestCreate, PartnerRequestPublic

router = APIRouter(prefix="/api/v1", tags=["partner"])


def _public(r: PartnerRequest) -> PartnerRequestPublic:
    return PartnerRequestPublic(
        id=r.id, purpose=r.purpose, description=r.description, status=r.status, created_at=r.created_at
    )


@router.get("/me")
def me(key: PartnerKey) -> PartnerPublic:
    """Say which recipient the key speaks for and what it may do."""
    return PartnerPublic(recipient=key.recipient, scopes=sorted(key.scopes))


@router.get("/requests")
def list_requests(ctx: Ctx, key: PartnerKey) -> list[PartnerRequestPublic]:
    """List this recipient's requests (never another's)."""
    require_scope(key, "requests:read")
    return [_public(r) for r in ctx.portal.store.partner_requests(key.recipient)]


@router.post("/requests", status_code=status.HTTP_201_CREATED)
def create_request(ctx: Ctx, key: PartnerKey, now: Now, body: PartnerRequestCreate) -> PartnerRequestPublic:
    """File a request under a registered purpose."""
    require_scope(key, "requests:write")
    made = file_partner_request(
        ctx.platform.ledger, ctx.portal.store, key, body.purpose, body.description, now
    )
    return _public(made)


@router.get("/requests/{request_id}", responses={404: {"description": "not this recipient's request"}})
def get_request(ctx: Ctx, key: PartnerKey, request_id: str) -> PartnerRequestPublic:
    """Return one of this recipient's requests; another recipient's is "not found"."""
    require_scope(key, "requests:read")
    for r in ctx.portal.store.partner_requests(key.recipient):
        if r.id == request_id:
            return _public(r)
    raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
