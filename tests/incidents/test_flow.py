"""The six-step flow: one transition table, tested over every pair of steps."""

from __future__ import annotations

import itertools

import pytest

from mamori.domain.incidents.flow import TRANSITIONS, Step, can_advance, next_step

ORDER = list(Step)


@pytest.mark.parametrize(("current", "target"), list(itertools.product(Step, Step)))
def test_every_pair_of_steps_follows_the_one_table(current: Step, target: Step) -> None:
    expected = ORDER.index(target) == ORDER.index(current) + 1
    assert can_advance(current, target) is expected


def test_the_table_covers_every_step_and_ends_only_at_closed() -> None:
    assert set(TRANSITIONS) == set(Step)
    ends = [s for s in Step if not TRANSITIONS[s]]
    assert ends == [Step.CLOSED]
    assert next_step(Step.CLOSED) is None


def test_walking_next_step_visits_the_six_steps_in_order() -> None:
    seen, step = [], Step.DISCOVERY
    while step is not None:
        seen.append(step.number)
        step = next_step(step)  # type: ignore[assignment]
    assert seen == [1, 2, 3, 4, 5, 6, 7]
    assert all(s.label[0] and s.label[1] for s in Step)


def test_the_table_cannot_be_edited_at_runtime() -> None:
    with pytest.raises(TypeError):
        TRANSITIONS[Step.CLOSED] = frozenset({Step.DISCOVERY})  # type: ignore[index]
