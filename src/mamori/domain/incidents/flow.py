"""The six-step action flow of an incident, as one transition table.

The steps follow the PPC guideline's immediate-response list (通則編 3-5-2) as practised in
Japanese incident handbooks: discovery and report, initial response, investigation,
notification/report/publication, containment and recovery, after-action. Status never
changes anywhere but through `TRANSITIONS`; services ask `can_advance` and record an event.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class Step(StrEnum):
    """Where an incident stands in the six-step flow."""

    DISCOVERY = "discovery"  # 1 発見・報告
    INITIAL_RESPONSE = "initial-response"  # 2 初動対応（体制・応急措置）
    INVESTIGATION = "investigation"  # 3 調査（5W1H）
    NOTIFICATION = "notification"  # 4 通知・報告・公表
    RECOVERY = "recovery"  # 5 抑制・復旧
    AFTER_ACTION = "after-action"  # 6 事後対応（再発防止）
    CLOSED = "closed"

    @property
    def number(self) -> int:
        """Return the step's number in the flow (1..6; 7 for closed)."""
        return list(Step).index(self) + 1

    @property
    def label(self) -> tuple[str, str]:
        """Return the step's name in Japanese and English."""
        return _LABELS[self]


_LABELS: dict[Step, tuple[str, str]] = {
    Step.DISCOVERY: ("発見・報告", "discovery and report"),
    Step.INITIAL_RESPONSE: ("初動対応", "initial response"),
    Step.INVESTIGATION: ("調査", "investigation"),
    Step.NOTIFICATION: ("通知・報告・公表", "notification, report and publication"),
    Step.RECOVERY: ("抑制・復旧", "containment and recovery"),
    Step.AFTER_ACTION: ("事後対応", "after-action"),
    Step.CLOSED: ("終結", "closed"),
}

# The one transition table. The flow is forward-only: new facts found later do not move an
# incident back, they amend the facts and re-decide reportability at whatever step it is in.
TRANSITIONS: Mapping[Step, frozenset[Step]] = MappingProxyType(
    {
        Step.DISCOVERY: frozenset({Step.INITIAL_RESPONSE}),
        Step.INITIAL_RESPONSE: frozenset({Step.INVESTIGATION}),
        Step.INVESTIGATION: frozenset({Step.NOTIFICATION}),
        Step.NOTIFICATION: frozenset({Step.RECOVERY}),
        Step.RECOVERY: frozenset({Step.AFTER_ACTION}),
        Step.AFTER_ACTION: frozenset({Step.CLOSED}),
        Step.CLOSED: frozenset(),
    }
)


def can_advance(current: Step, target: Step) -> bool:
    """Tell whether the table allows moving from one step to another."""
    return target in TRANSITIONS[current]


def next_step(current: Step) -> Step | None:
    """Return the step that follows, or None once closed."""
    following = TRANSITIONS[current]
    return next(iter(following)) if following else None
