"""Insight recipients, privacy budgets and release records in the ledger (MAMORI-DP-1).

A release and its ε charge are one row, written in the same transaction as its audit entry;
the budget is re-read inside that transaction (writers are serialized), so concurrent
requests cannot spend more than the total.
"""

from __future__ import annotations

import json

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from mamori.domain.insight.budget import Budget
from mamori.errors import InputError
from mamori.ledger.sql_ledger import SqlLedger
from mamori.ledger.tables.insight import insight_recipients, insight_releases
from mamori.services.insight import Account, ReleaseRecord, over_budget


class SqlInsightStore:
    """The InsightStore port over the SQL ledger."""

    def __init__(self, ledger: SqlLedger) -> None:
        self.ledger = ledger

    def register_recipient(self, recipient_id: str, name: str, budget_epsilon: float, actor: str) -> None:
        """Register a recipient with its total ε (audit-chained)."""
        if budget_epsilon < 0:
            raise InputError("予算は 0 以上です", "the budget must be at least 0", field="budget")
        row = {"id": recipient_id, "name": name, "budget_epsilon": float(budget_epsilon)}
        with self.ledger.transaction(actor) as tx:
            try:
                tx.connection.execute(
                    insert(insight_recipients).values(**row, created_at=self.ledger.clock.now())
                )
            except IntegrityError as exc:
                raise InputError(
                    f"提供先 {recipient_id} は登録済みです",
                    f"recipient {recipient_id} exists",
                    field="recipient",
                ) from exc
            tx.audit("insight-recipient-registered", actor, row)

    def account(self, recipient_id: str) -> Account | None:
        """Return a recipient with the ε it has spent."""
        with self.ledger.engine.connect() as c:
            row = c.execute(select(insight_recipients).where(insight_recipients.c.id == recipient_id)).first()
            if row is None:
                return None
            spent = c.execute(
                select(func.coalesce(func.sum(insight_releases.c.epsilon), 0.0)).where(
                    insight_releases.c.recipient_id == recipient_id
                )
            ).scalar_one()
        return Account(row.id, row.name, Budget(float(row.budget_epsilon), float(spent)))

    def record_release(self, record: ReleaseRecord, actor: str) -> int:
        """Charge ε and record the release with its audit entry; refuse beyond the budget."""
        with self.ledger.transaction(actor) as tx:
            c = tx.connection
            row = c.execute(
                select(insight_recipients).where(insight_recipients.c.id == record.recipient)
            ).first()
            if row is None:
                raise InputError(
                    f"未登録の提供先です：{record.recipient}", f"unknown recipient: {record.recipient}"
                )
            spent = float(
                c.execute(
                    select(func.coalesce(func.sum(insight_releases.c.epsilon), 0.0)).where(
                        insight_releases.c.recipient_id == record.recipient
                    )
                ).scalar_one()
            )
            budget = Budget(float(row.budget_epsilon), spent)
            if record.epsilon > 0 and not budget.allows(record.epsilon):
                raise over_budget(Account(row.id, row.name, budget), record.epsilon)
            seq = int(c.execute(select(func.coalesce(func.max(insight_releases.c.seq), 0))).scalar_one()) + 1
            values = {
                "seq": seq,
                "recipient_id": record.recipient,
                "purpose_id": record.purpose,
                "spec": json.dumps(record.spec, ensure_ascii=False, sort_keys=True),
                "snapshot_position": record.snapshot.position,
                "snapshot_taken_at": record.snapshot.taken_at,
                "snapshot_digest": record.snapshot.digest,
                "cells": record.cells,
                "suppressed": json.dumps(record.suppressed, ensure_ascii=False),
                "epsilon": record.epsilon,
                "result_digest": record.result_digest,
            }
            c.execute(insert(insight_releases).values(**values, at=self.ledger.clock.now()))
            tx.audit(
                "insight-released",
                actor,
                {
                    **{k: v for k, v in values.items() if k not in ("spec", "suppressed")},
                    "spec": record.spec,
                    "suppressed_cells": len(record.suppressed),
                    "suppressed": record.suppressed[:200],  # the full list is in the release row
                    "budget_remaining": budget.remaining - record.epsilon,
                },
            )
            return seq

    def releases(self, recipient_id: str | None = None) -> list[dict[str, object]]:
        """Return the release records, oldest first."""
        query = select(insight_releases).order_by(insight_releases.c.seq)
        if recipient_id is not None:
            query = query.where(insight_releases.c.recipient_id == recipient_id)
        with self.ledger.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(query)]
