"""Per-member records the portal shows, from the provision ledger: who received my data."""

from __future__ import annotations

from typing import Any

from mamori.ledger.provisions import SqlProvisionStore


class ProvisionsOfSubject:
    """The provisions that included one subject (the RecordSource port of the portal)."""

    def __init__(self, store: SqlProvisionStore) -> None:
        self.store = store

    def for_subject(self, subject: str) -> list[dict[str, Any]]:
        """Return date, recipient, country, items, purpose and kind of each provision."""
        return [
            {
                "date": p.provided_at.date().isoformat(),
                "recipient": p.recipient_name,
                "recipient_id": p.recipient_id,
                "country": p.recipient_country,
                "items": p.items,
                "basis": p.purpose_id,
                "kind": p.kind,
                "terms": p.lineage_id[:12],
                "consent_snapshot": self.store.snapshot_of(p),
            }
            for p in self.store.search(subject=subject)
        ]
