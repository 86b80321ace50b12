"""Read-only views of the provision and insight ledgers for the console's lineage and budget pages."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select

from mamori.ledger.insight_store import SqlInsightStore
from mamori.ledger.mapping import aware
from mamori.ledger.provisions import SqlProvisionStore
from mamori.ledger.sql_ledger import SqlLedger
from mamori.ledger.tables.insight import insight_recipients
from mamori.ledger.tables.provision import provision_records, provisions

_JSON_COLUMNS = ("items", "decision_rules")


def _provision(row: Any) -> dict[str, Any]:
    found = dict(row._mapping)
    for name in _JSON_COLUMNS:
        found[name] = json.loads(found[name])
    found["provided_at"] = aware(found["provided_at"])  # SQLite drops the offset
    return found


class SqlLineageReads(SqlProvisionStore):
    """Provisions by lineage id, every provision, and the receipts (APPI-30-1) of data received."""

    def __init__(self, ledger: SqlLedger) -> None:
        super().__init__(ledger)

    def provision(self, lineage_id: str) -> dict[str, Any] | None:
        """Return every column of one provision, or None."""
        query = select(provisions).where(provisions.c.lineage_id == lineage_id)
        with self.ledger.engine.connect() as c:
            row = c.execute(query).first()
        return _provision(row) if row is not None else None

    def provisions(self) -> list[dict[str, Any]]:
        """Return every provision, oldest first."""
        query = select(provisions).order_by(provisions.c.provided_at, provisions.c.lineage_id)
        with self.ledger.engine.connect() as c:
            return [_provision(r) for r in c.execute(query)]

    def receipts(self) -> list[dict[str, Any]]:
        """Return the confirmation records of data received, oldest first."""
        r = provision_records.c
        query = (
            select(r.lineage_id, r["items"], r.made_at).where(r.rule == "APPI-30-1").order_by(r.made_at, r.id)
        )
        with self.ledger.engine.connect() as c:
            return [
                {
                    "lineage_id": row.lineage_id,
                    "items": json.loads(row._mapping["items"]),
                    "made_at": aware(row.made_at),
                }
                for row in c.execute(query)
            ]


class SqlInsightLog(SqlInsightStore):
    """The insight store with the list of registered recipients (for the budgets page)."""

    def releases(self, recipient_id: str | None = None) -> list[dict[str, object]]:
        """Return the release records, oldest first, with aware instants (SQLite drops the offset)."""
        found = super().releases(recipient_id)
        for row in found:
            at = row["at"]
            if isinstance(at, datetime):
                row["at"] = aware(at)
        return found

    def recipients(self) -> list[str]:
        """Return every registered insight recipient's id, in order."""
        query = select(insight_recipients.c.id).order_by(insight_recipients.c.id)
        with self.ledger.engine.connect() as c:
            return [str(r[0]) for r in c.execute(query)]
