"""An in-memory InsightStore: the insight use case tested without a database."""

from __future__ import annotations

from dataclasses import dataclass, field

from mamori.domain.insight.budget import Budget
from mamori.errors import InputError
from mamori.services.insight import Account, ReleaseRecord, over_budget


@dataclass
class MemoryInsightStore:
    """Recipients, budgets and releases in dicts; the same refusals as the ledger's store."""

    recipients: dict[str, tuple[str, float]] = field(default_factory=dict)
    released: list[ReleaseRecord] = field(default_factory=list)

    def register_recipient(self, recipient_id: str, name: str, budget_epsilon: float, actor: str) -> None:
        """Register a recipient with its total ε."""
        if recipient_id in self.recipients:
            raise InputError(f"提供先 {recipient_id} は登録済みです", f"recipient {recipient_id} exists")
        self.recipients[recipient_id] = (name, budget_epsilon)

    def account(self, recipient_id: str) -> Account | None:
        """Return a recipient with what it has spent."""
        if recipient_id not in self.recipients:
            return None
        name, total = self.recipients[recipient_id]
        spent = sum(r.epsilon for r in self.released if r.recipient == recipient_id)
        return Account(recipient_id, name, Budget(total, spent))

    def record_release(self, record: ReleaseRecord, actor: str) -> int:
        """Charge ε and keep the record; refuse beyond the budget."""
        account = self.account(record.recipient)
        if account is None:
            raise InputError(
                f"未登録の提供先です：{record.recipient}", f"unknown recipient: {record.recipient}"
            )
        if record.epsilon > 0 and not account.budget.allows(record.epsilon):
            raise over_budget(account, record.epsilon)
        self.released.append(record)
        return len(self.released)
