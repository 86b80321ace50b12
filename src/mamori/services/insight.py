"""Run an insight request: consent-filtered aggregates, thresholds, DP budget, and the release record.

The platform enforces every control; a spec can only ask. Order matters: the purpose and the
budget are checked before any data is read, and the budget is checked again, atomically, when
the release is recorded, so two concurrent requests cannot overspend (MAMORI-DP-1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyarrow as pa

from mamori.domain.insight.budget import Budget, decide_budget
from mamori.domain.insight.spec import InsightSpec, Population
from mamori.domain.purposes import PurposeKind
from mamori.errors import InputError, RefusedError
from mamori.services.ports import Ledger


@dataclass(frozen=True, slots=True)
class SnapshotRef:
    """The consent snapshot a release was computed from."""

    path: str
    position: int
    taken_at: str
    bits: dict[str, int]
    digest: str


@dataclass(frozen=True, slots=True)
class InsightOutcome:
    """What the engine computed: rows (released and suppressed cells) and what to record."""

    rows: list[dict[str, Any]]
    columns: list[str]
    suppressed: list[list[str]]
    primary: int
    snapshot: SnapshotRef
    epsilon: float
    digest: str


@dataclass(frozen=True, slots=True)
class Account:
    """A registered insight recipient and its privacy budget."""

    id: str
    name: str
    budget: Budget


@dataclass(frozen=True, slots=True)
class ReleaseRecord:
    """The record of one release: who, what spec, which snapshot, which cells hidden, ε spent."""

    recipient: str
    purpose: str
    spec: Mapping[str, Any]
    snapshot: SnapshotRef
    cells: int
    suppressed: list[list[str]]
    epsilon: float
    result_digest: str


@dataclass(frozen=True, slots=True)
class Release:
    """A recorded release and the rows it gave."""

    release_id: int
    outcome: InsightOutcome
    remaining_epsilon: float
    rules: tuple[str, ...] = field(default=("MAMORI-1", "MAMORI-AGG-1"))


class InsightStore(Protocol):
    """Recipients, their budgets, and the release records (the ledger implements it)."""

    def register_recipient(self, recipient_id: str, name: str, budget_epsilon: float, actor: str) -> None:
        """Register a recipient with its total ε."""
        ...

    def account(self, recipient_id: str) -> Account | None:
        """Return a recipient and what it has spent."""
        ...

    def record_release(self, record: ReleaseRecord, actor: str) -> int:
        """Charge ε and record the release in one audit-chained transaction; refuse beyond budget."""
        ...


class InsightEngine(Protocol):
    """Computes the cells of a request on the data plane."""

    def run(self, spec: InsightSpec, bit: int, population: pa.Table | None) -> InsightOutcome:
        """Aggregate consenting members (of the population) for a purpose bit."""
        ...


class PopulationSource(Protocol):
    """Resolves a spec's population to subject ids (match / PSI runs come from branch match)."""

    def subjects(self, population: Population, recipient: str) -> pa.Table | None:
        """Return a table with `subject_id`, or None for every consenting member."""
        ...


class AllMembers:
    """The population `all`; match and PSI overlaps are refused until those runs exist."""

    def subjects(self, population: Population, recipient: str) -> pa.Table | None:
        """Return None for `all`; refuse other kinds for now."""
        if population.kind == "all":
            return None
        raise InputError(
            f"母集団 {population.kind}:{population.run_id} はまだ利用できません（all のみ）",
            f"population {population.kind}:{population.run_id} is not available yet (only `all`)",
            field="population",
        )


def over_budget(account: Account, epsilon: float) -> RefusedError:
    """Return the refusal for a request beyond the recipient's budget, naming what remains."""
    remaining = account.budget.remaining
    return RefusedError(
        f"プライバシー予算を超えます：要求 ε={epsilon:g}、残り ε={remaining:g}（{account.id}）",
        f"over the privacy budget: asked ε={epsilon:g}, remaining ε={remaining:g} ({account.id})",
        rules=("MAMORI-DP-1",),
    )


def run_insight(
    spec: InsightSpec,
    ledger: Ledger,
    store: InsightStore,
    engine: InsightEngine,
    populations: PopulationSource,
    actor: str,
) -> Release:
    """Check the request, compute it, and record the release (audit-chained)."""
    account = store.account(spec.recipient)
    if account is None:
        raise InputError(
            f"登録されていない提供先です：{spec.recipient}",
            f"not a registered recipient: {spec.recipient}",
            field="recipient",
        )
    purpose = ledger.purposes().get(spec.purpose)
    if purpose is None:
        raise InputError(
            f"未登録の利用目的です：{spec.purpose}", f"unknown purpose: {spec.purpose}", field="purpose"
        )
    if purpose.kind is not PurposeKind.INTERNAL_ANALYSIS:
        # APPI-18-1: personal data is used only within the purpose; statistics come from analysis.
        raise RefusedError(
            f"目的 {spec.purpose} は統計分析（internal_analysis）ではありません",
            f"purpose {spec.purpose} is not an internal_analysis purpose",
            rules=("APPI-18-1", "MAMORI-1"),
        )
    if spec.dp is not None and not decide_budget(account.budget, spec.dp.epsilon).allowed:
        raise over_budget(account, spec.dp.epsilon)
    bits = ledger.purpose_bits()
    outcome = engine.run(spec, bits[spec.purpose], populations.subjects(spec.population, spec.recipient))
    if outcome.snapshot.bits.get(spec.purpose) != bits[spec.purpose]:
        raise RefusedError(
            "同意スナップショットの目的ビットが台帳と一致しません。スナップショットを取り直してください",
            "the consent snapshot's purpose bits disagree with the ledger; take a new snapshot",
            rules=("MAMORI-1",),
        )
    record = ReleaseRecord(
        recipient=spec.recipient,
        purpose=spec.purpose,
        spec=spec.describe(),
        snapshot=outcome.snapshot,
        cells=len(outcome.rows),
        suppressed=outcome.suppressed,
        epsilon=outcome.epsilon,
        result_digest=outcome.digest,
    )
    release_id = store.record_release(record, actor)
    rules: tuple[str, ...] = ("MAMORI-1", "MAMORI-AGG-1") + (("MAMORI-DP-1",) if spec.dp else ())
    remaining = account.budget.remaining - outcome.epsilon
    return Release(release_id, outcome, max(remaining, 0.0), rules)
