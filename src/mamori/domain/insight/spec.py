"""An insight request as a client writes it (spec YAML), validated into plain objects.

The spec names what is asked; the platform decides who counts (MAMORI-1), what is released
(MAMORI-AGG-1) and what it costs (MAMORI-DP-1). Nothing in a spec can switch those off.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mamori.errors import InputError

PERSON_DIMENSIONS = ("age_band", "gender", "prefecture", "segment")
"""Dimensions that take one value per person (persons add up over them)."""
EVENT_DIMENSIONS = ("category",)
"""Dimensions of a purchase: one person can fall in several cells."""
SCORE_BAND = "score_band"
BASE_METRICS = ("persons", "spend_total", "spend_share")
SCORE_MEAN = "score_mean"
MAX_GROUP_BY = 4
RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
"""A match / PSI run id: it names files in the lake, so no path separators or leading dots."""


@dataclass(frozen=True, slots=True)
class Population:
    """Whose records are aggregated: every consenting member, or the overlap of a match / PSI run."""

    kind: str = "all"  # all | match | psi
    run_id: str | None = None


@dataclass(frozen=True, slots=True)
class DPRequest:
    """Differential privacy asked for: the ε this request spends."""

    epsilon: float


@dataclass(frozen=True, slots=True)
class InsightSpec:
    """A validated insight request."""

    recipient: str
    purpose: str
    population: Population
    group_by: tuple[str, ...]
    metrics: tuple[str, ...]
    min_persons: int
    dp: DPRequest | None

    @property
    def per_event(self) -> bool:
        """Tell whether a dimension splits a person over several cells."""
        return any(d in EVENT_DIMENSIONS for d in self.group_by)

    @property
    def score_ids(self) -> tuple[str, ...]:
        """Return the scores the request reads (bands or means)."""
        found = [d.split(":", 1)[1] for d in (*self.group_by, *self.metrics) if ":" in d]
        return tuple(dict.fromkeys(found))

    def describe(self) -> dict[str, Any]:
        """Return the spec as plain data (for the release record)."""
        return {
            "recipient": self.recipient,
            "purpose": self.purpose,
            "population": {"kind": self.population.kind, "run_id": self.population.run_id},
            "group_by": list(self.group_by),
            "metrics": list(self.metrics),
            "min_persons": self.min_persons,
            "dp": None if self.dp is None else {"epsilon": self.dp.epsilon},
        }


def parse_spec(data: Any, *, file: str, floor: int) -> InsightSpec:
    """Validate a spec document; `floor` is the configured minimum no spec may go below (MAMORI-AGG-1)."""
    if not isinstance(data, Mapping):
        raise InputError(
            "仕様は YAML のマッピングである必要があります", "the spec must be a YAML mapping", file=file
        )
    unknown = set(data) - {"recipient", "purpose", "population", "group_by", "metrics", "min_persons", "dp"}
    if unknown:
        name = sorted(unknown)[0]
        raise InputError("未知の項目です", "unknown key", file=file, field=name)
    recipient = _text(data, "recipient", file)
    purpose = _text(data, "purpose", file)
    group_by = tuple(_dimension(d, file) for d in _list(data, "group_by", file))
    if len(group_by) > MAX_GROUP_BY or len(set(group_by)) != len(group_by):
        raise InputError(
            f"次元は重複なく {MAX_GROUP_BY} 個までです",
            f"at most {MAX_GROUP_BY} distinct dimensions",
            file=file,
            field="group_by",
        )
    metrics = tuple(_metric(m, file) for m in _list(data, "metrics", file))
    if not metrics:
        raise InputError("指標が必要です", "at least one metric is needed", file=file, field="metrics")
    min_persons = data.get("min_persons", floor)
    if not isinstance(min_persons, int) or isinstance(min_persons, bool) or min_persons < floor:
        raise InputError(
            f"min_persons は {floor} 以上の整数です（MAMORI-AGG-1）",
            f"min_persons must be an integer of at least {floor} (MAMORI-AGG-1)",
            file=file,
            field="min_persons",
        )
    return InsightSpec(
        recipient,
        purpose,
        _population(data.get("population", "all"), file),
        group_by,
        metrics,
        min_persons,
        _dp(data.get("dp"), file),
    )


def _text(data: Mapping[str, Any], key: str, file: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError("文字列が必要です", "a non-empty string is needed", file=file, field=key)
    return value.strip()


def _list(data: Mapping[str, Any], key: str, file: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise InputError("リストが必要です", "a list is needed", file=file, field=key)
    return value


def _dimension(value: Any, file: str) -> str:
    if isinstance(value, Mapping) and set(value) == {SCORE_BAND}:
        value = f"{SCORE_BAND}:{value[SCORE_BAND]}"
    if isinstance(value, str):
        if value in PERSON_DIMENSIONS or value in EVENT_DIMENSIONS:
            return value
        if value.startswith(f"{SCORE_BAND}:") and len(value) > len(SCORE_BAND) + 1:
            return value
    raise InputError(
        f"未知の次元です：{value}（{', '.join((*PERSON_DIMENSIONS, *EVENT_DIMENSIONS))}, score_band:ID）",
        f"unknown dimension: {value} ({', '.join((*PERSON_DIMENSIONS, *EVENT_DIMENSIONS))}, score_band:ID)",
        file=file,
        field="group_by",
    )


def _metric(value: Any, file: str) -> str:
    if isinstance(value, Mapping) and set(value) == {SCORE_MEAN}:
        value = f"{SCORE_MEAN}:{value[SCORE_MEAN]}"
    if isinstance(value, str):
        if value in BASE_METRICS:
            return value
        if value.startswith(f"{SCORE_MEAN}:") and len(value) > len(SCORE_MEAN) + 1:
            return value
    raise InputError(
        f"未知の指標です：{value}（{', '.join(BASE_METRICS)}, score_mean:ID）",
        f"unknown metric: {value} ({', '.join(BASE_METRICS)}, score_mean:ID)",
        file=file,
        field="metrics",
    )


def _population(value: Any, file: str) -> Population:
    if value == "all":
        return Population()
    if isinstance(value, Mapping) and len(value) == 1:
        ((kind, run_id),) = value.items()
        if kind in ("match", "psi") and isinstance(run_id, str | int) and RUN_ID.fullmatch(str(run_id)):
            return Population(str(kind), str(run_id))
    raise InputError(
        "population は all、{match: RUN_ID}、{psi: RUN_ID} のいずれかです（RUN_ID は英数字と . _ -）",
        "population is all, {match: RUN_ID} or {psi: RUN_ID} (RUN_ID: letters, digits, . _ -)",
        file=file,
        field="population",
    )


def _dp(value: Any, file: str) -> DPRequest | None:
    if value is None:
        return None
    if isinstance(value, Mapping) and set(value) == {"epsilon"}:
        epsilon = value["epsilon"]
        numeric = isinstance(epsilon, int | float) and not isinstance(epsilon, bool)
        if numeric and math.isfinite(epsilon) and 0 < epsilon <= 10:
            return DPRequest(float(epsilon))
    raise InputError(
        "dp は null または {epsilon: 0 より大きく 10 以下の数} です",
        "dp is null or {epsilon: a number in (0, 10]}",
        file=file,
        field="dp",
    )
