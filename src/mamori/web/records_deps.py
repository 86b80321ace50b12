"""Dependencies of the record pages and the partner data API: the wired record stores, and who may export."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, status

from mamori.bootstrap import Records, build_records
from mamori.services.portal_ports import Account, Role
from mamori.web.deps import Ctx, Staff


def get_records(ctx: Ctx) -> Records:
    """Return the record stores, wired on first use (so a test's clock is the one they read)."""
    found: Records | None = ctx.cache.get("records")
    if found is None:
        found = ctx.cache["records"] = build_records(ctx.platform)
    return found


RecordsDep = Annotated[Records, Depends(get_records)]

EXPORTERS = frozenset({Role.PRIVACY_OFFICER, Role.AUDITOR})


def require_exporter(account: Staff) -> Account:
    """Return a privacy officer or auditor: those who answer a regulator (operators run jobs, not submissions)."""
    if account.role not in EXPORTERS:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "privacy officer or auditor only")
    return account


Exporter = Annotated[Account, Depends(require_exporter)]
