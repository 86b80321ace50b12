"""The differencing attack, played against the real engine to measure what the defences allow.

An attacker who may choose populations asks the same question twice: over a population X_b
that holds the target person or not (b unknown to the attacker), and over the population
without the target. The difference of the two answers is the target's contribution; from it
the attacker guesses b. Thresholds and complementary suppression do nothing against this
when the cells are large; differential privacy does: for an ε-DP release, no test tells the
two worlds apart with advantage (2·P[correct] − 1) above (e^ε − 1)/(e^ε + 1).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import pyarrow as pa

from mamori.domain.insight.spec import DPRequest, InsightSpec, Population
from mamori.lake.insight.engine import DuckDBInsightEngine


@dataclass(frozen=True, slots=True)
class AttackReport:
    """How often the attacker guessed right, and what the DP guarantee allows."""

    trials: int
    correct: int
    epsilon: float | None

    @property
    def advantage(self) -> float:
        """Return 2·P[correct] − 1 (0 = guessing, 1 = certainty)."""
        return 2 * self.correct / self.trials - 1

    @property
    def bound(self) -> float:
        """Return the largest advantage ε-DP allows (1 without DP)."""
        if self.epsilon is None:
            return 1.0
        return (math.exp(self.epsilon) - 1) / (math.exp(self.epsilon) + 1)

    @property
    def standard_error(self) -> float:
        """Return the standard error of the measured advantage."""
        p = self.correct / self.trials
        return 2 * math.sqrt(max(p * (1 - p), 0.25 / self.trials) / self.trials)


def attack_spec(epsilon: float | None, min_persons: int = 50) -> InsightSpec:
    """Return the attacker's question: total spend by gender (large cells, so nothing is suppressed)."""
    return InsightSpec(
        recipient="attacker",
        purpose="analysis",
        population=Population("psi", "attack"),
        group_by=("gender",),
        metrics=("persons", "spend_total"),
        min_persons=min_persons,
        dp=None if epsilon is None else DPRequest(epsilon),
    )


def play(
    engine: DuckDBInsightEngine,
    bit: int,
    others: list[str],
    target: str,
    target_gender: str,
    target_spend: float,
    epsilon: float | None,
    trials: int,
    seed: int = 0,
) -> AttackReport:
    """Play the game `trials` times; return the attacker's success."""
    coin = random.Random(seed)
    spec = attack_spec(epsilon)
    without = pa.table({"subject_id": others})
    with_target = pa.table({"subject_id": [*others, target]})
    correct = 0
    for _ in range(trials):
        b = coin.random() < 0.5
        first = engine.run(spec, bit, with_target if b else without)
        second = engine.run(spec, bit, without)
        a, z = _cell(first.rows, target_gender), _cell(second.rows, target_gender)
        # A suppressed cell leaves nothing to difference: the attacker can only toss a coin.
        guess = coin.random() < 0.5 if a is None or z is None else a - z > target_spend / 2
        correct += guess == b
    return AttackReport(trials, correct, epsilon)


def _cell(rows: list[dict[str, object]], gender: str) -> float | None:
    for row in rows:
        if row["gender"] == gender and not row["suppressed"]:
            value = row["spend_total"]
            return float(value) if isinstance(value, int | float) else None
    return None
