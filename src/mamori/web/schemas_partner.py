"""Schemas of the partner data API: insight requests and results, budgets, provisions (by role)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

# The spec's words (domain.insight.spec), as patterns so the OpenAPI document teaches them.
Dimension = Annotated[
    str, Field(pattern=r"^(age_band|gender|prefecture|segment|category|score_band:[A-Za-z0-9_]{1,60})$")
]
Metric = Annotated[str, Field(pattern=r"^(persons|spend_total|spend_share|score_mean:[A-Za-z0-9_]{1,60})$")]


class DPCreate(BaseModel):
    """Differential privacy asked for: the ε this request spends from the recipient's budget."""

    epsilon: float = Field(gt=0, le=10)


class InsightRequestCreate(BaseModel):
    """An insight spec, as `mamori insight run SPEC.yaml` reads it; the recipient is the key's."""

    recipient: str | None = Field(default=None, max_length=100, description="omit, or the key's recipient")
    purpose: str = Field(min_length=1, max_length=100, description="an internal_analysis purpose")
    population: Literal["all"] = "all"
    group_by: list[Dimension] = Field(
        default_factory=list,
        max_length=4,
        description="age_band gender prefecture segment category score_band:ID",
    )
    metrics: list[Metric] = Field(
        min_length=1, max_length=8, description="persons spend_total spend_share score_mean:ID"
    )
    min_persons: int | None = Field(
        default=None, ge=1, le=1_000_000, description="at least the platform's floor"
    )
    dp: DPCreate | None = None

    def spec_document(self) -> dict[str, Any]:
        """Return the spec document (the same keys as the YAML file)."""
        found: dict[str, Any] = {
            "purpose": self.purpose,
            "population": self.population,
            "group_by": list(self.group_by),
            "metrics": list(self.metrics),
            "dp": None if self.dp is None else {"epsilon": self.dp.epsilon},
        }
        if self.recipient is not None:
            found["recipient"] = self.recipient
        if self.min_persons is not None:
            found["min_persons"] = self.min_persons
        return found


class InsightReleasePublic(BaseModel):
    """A release as its recipient sees it (the rows when they were kept)."""

    release_id: int
    at: datetime
    purpose: str
    spec: dict[str, Any]
    snapshot_position: int
    snapshot_taken_at: str
    cells: int
    suppressed_cells: int
    epsilon: float
    result_sha256: str
    rows_kept: bool
    columns: list[str] | None = None
    rows: list[dict[str, Any]] | None = None


class InsightResultPublic(InsightReleasePublic):
    """A release just made: its rows, what remains of the budget, and the rules that decided it."""

    remaining_epsilon: float
    rules: list[str]


class BudgetPublic(BaseModel):
    """A recipient's privacy budget (MAMORI-DP-1)."""

    recipient: str
    total: float
    spent: float
    remaining: float


class ProvisionPublic(BaseModel):
    """A provision made to this recipient."""

    lineage_id: str
    provided_at: datetime
    kind: str
    purpose: str
    items: list[str]
    subjects: int
    file_available: bool
