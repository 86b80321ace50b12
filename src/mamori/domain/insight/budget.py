"""Privacy budget arithmetic for MAMORI-DP-1: ε adds up under sequential composition.

Every ε-DP release over the same members spends ε from the recipient's budget; basic
(sequential) composition says k releases are (Σε)-DP together, so the ledger keeps the sum and
refuses a request that would take it past the recipient's total.
"""

from __future__ import annotations

from dataclasses import dataclass

_SLACK = 1e-12  # float sums of decimal ε values must not refuse an exact fit


@dataclass(frozen=True, slots=True)
class Budget:
    """A recipient's total ε and what releases have spent."""

    total: float
    spent: float = 0.0

    @property
    def remaining(self) -> float:
        """Return the ε still available (never negative)."""
        return max(self.total - self.spent, 0.0)

    def allows(self, epsilon: float) -> bool:
        """Tell whether a release spending `epsilon` fits."""
        return epsilon > 0 and self.spent + epsilon <= self.total + _SLACK

    def charge(self, epsilon: float) -> Budget:
        """Return the budget after spending `epsilon` (the caller checked `allows`)."""
        if not self.allows(epsilon):
            raise ValueError(f"epsilon {epsilon} exceeds the remaining {self.remaining}")
        return Budget(self.total, self.spent + epsilon)


@dataclass(frozen=True, slots=True)
class BudgetDecision:
    """Whether a DP release may go ahead, with the rule that decided it."""

    allowed: bool
    remaining: float
    rules: tuple[str, ...] = ("MAMORI-DP-1",)


def decide_budget(budget: Budget, epsilon: float) -> BudgetDecision:
    """Decide whether a recipient may spend `epsilon` now (MAMORI-DP-1)."""
    return BudgetDecision(budget.allows(epsilon), budget.remaining)


def split_epsilon(epsilon: float, parts: int) -> float:
    """Return the ε of each of `parts` noisy measurements that together spend `epsilon`."""
    if parts < 1:
        raise ValueError("at least one measurement")
    return epsilon / parts
