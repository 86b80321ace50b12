"""Partner keys and partner requests: a recipient only ever sees its own."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from mamori.errors import InputError
from mamori.services.accounts import digest
from mamori.services.portal_ports import ApiKey, PartnerRequest, PortalStore
from mamori.services.ports import Ledger

SCOPES = frozenset(
    {
        "requests:read",
        "requests:write",
        "insight:read",
        "insight:write",
        "provisions:read",
        "provisions:download",
    }
)


def issue_key(store: PortalStore, recipient: str, scopes: frozenset[str], actor: str, now: datetime) -> str:
    """Create a key for a recipient; return the secret (shown once, only its hash is kept)."""
    unknown = scopes - SCOPES
    if unknown or not scopes:
        raise InputError(
            f"不明なスコープ：{sorted(unknown)}", f"unknown scopes: {sorted(unknown)}", field="scopes"
        )
    key = ApiKey(f"K-{uuid.uuid4().hex[:10]}", recipient, scopes)
    secret = f"mk_{secrets.token_urlsafe(32)}"
    store.add_api_key(key, digest(secret), actor, now)
    return secret


def authenticate(store: PortalStore, secret: str) -> ApiKey | None:
    """Return the key a secret belongs to."""
    return store.api_key(digest(secret)) if secret else None


def file_partner_request(
    ledger: Ledger, store: PortalStore, key: ApiKey, purpose: str, description: str, now: datetime
) -> PartnerRequest:
    """Receive a partner's request for a purpose that names the partner's category (APPI-17-2)."""
    known = ledger.purposes().get(purpose)
    if known is None:
        raise InputError(
            f"目的 {purpose} は登録されていません", f"unknown purpose {purpose}", field="purpose"
        )
    request = PartnerRequest(
        f"P-{uuid.uuid4().hex[:12]}", key.recipient, purpose, description[:2000], "received", now
    )
    store.add_partner_request(request, f"partner:{key.recipient}")
    return request
