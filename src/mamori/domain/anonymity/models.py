"""What an anonymization must achieve: column roles, privacy models and the Rule 34 steps.

PPC Rule 34 lists five processing standards for anonymized information (匿名加工情報);
the engine logs each one in the report and writes no output when one is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from mamori.errors import InputError


class Role(StrEnum):
    """What a column is to the anonymization."""

    QUASI_IDENTIFIER = "quasi_identifier"  # generalized until the privacy model holds
    SENSITIVE = "sensitive"  # kept; protected by l-diversity / t-closeness
    INSENSITIVE = "insensitive"  # kept as is (declared with --keep)
    LINKING = "linking"  # member ids: replaced by random tokens, mapping not kept (Rule 34(3))
    IDENTIFYING = "identifying"  # undeclared: removed (Rule 34(1))


class Step(IntEnum):
    """The five processing standards of PPC Rule 34, by item number."""

    IDENTIFYING_DESCRIPTIONS = 1  # 特定の個人を識別することができる記述等の全部又は一部を削除
    IDENTIFICATION_CODES = 2  # 個人識別符号の全部を削除
    LINKING_CODES = 3  # 連結する符号を削除
    PECULIAR_DESCRIPTIONS = 4  # 特異な記述等を削除
    DATABASE_CHARACTER = 5  # データベースの性質を勘案した適切な措置


STEP_TEXT: dict[Step, tuple[str, str]] = {
    Step.IDENTIFYING_DESCRIPTIONS: ("特定の個人を識別できる記述等の削除", "delete identifying descriptions"),
    Step.IDENTIFICATION_CODES: ("個人識別符号の削除", "delete individual identification codes"),
    Step.LINKING_CODES: ("連結符号の削除", "delete codes linking to the original"),
    Step.PECULIAR_DESCRIPTIONS: ("特異な記述等の削除・一般化", "delete or generalize peculiar values"),
    Step.DATABASE_CHARACTER: ("データベースの性質に応じた措置", "measures suited to the database"),
}


@dataclass(frozen=True, slots=True)
class StepLog:
    """One Rule 34 step as done: which columns, what happened, how many values changed."""

    step: Step
    action_ja: str
    action_en: str
    columns: tuple[str, ...] = ()
    affected: int = 0

    def to_dict(self) -> dict[str, object]:
        """Render for the JSON report."""
        ja, en = STEP_TEXT[self.step]
        return {
            "rule": f"PPC-RULE-34({int(self.step)})",
            "step": int(self.step),
            "standard": {"ja": ja, "en": en},
            "action": {"ja": self.action_ja, "en": self.action_en},
            "columns": list(self.columns),
            "affected": self.affected,
        }


def missing_steps(logs: list[StepLog]) -> list[Step]:
    """Return the Rule 34 steps not logged; an output may be written only when none is missing."""
    done = {log.step for log in logs}
    return [step for step in Step if step not in done]


class LKind(StrEnum):
    """Flavours of l-diversity."""

    DISTINCT = "distinct"
    ENTROPY = "entropy"


@dataclass(frozen=True, slots=True)
class PrivacyModel:
    """The targets: k-anonymity, l-diversity (distinct or entropy), t-closeness, suppression budget."""

    k: int
    l: float | None = None  # noqa: E741 - the literature's name
    l_kind: LKind = LKind.DISTINCT
    t: float | None = None
    max_suppression: float = 0.05  # share of records that may be left out

    def __post_init__(self) -> None:
        if self.k < 1:
            raise InputError("k は1以上です", "k must be at least 1", field="k")
        if self.l is not None and self.l < 1:
            raise InputError("l は1以上です", "l must be at least 1", field="l")
        if self.t is not None and not 0 <= self.t <= 1:
            raise InputError("t は0以上1以下です", "t must lie between 0 and 1", field="t")
        if not 0 <= self.max_suppression < 1:
            raise InputError(
                "抑制の上限は0以上1未満です", "the suppression budget must lie in [0, 1)", field="suppression"
            )

    def describe(self) -> str:
        """Name the models, as the report and publication show them."""
        parts = [f"{self.k}-anonymity"]
        if self.l is not None:
            parts.append(f"{self.l_kind.value}-{self.l:g}-diversity")
        if self.t is not None:
            parts.append(f"{self.t:g}-closeness")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Roles:
    """Every input column with its role; undeclared columns are identifying and removed."""

    by_column: dict[str, Role] = field(default_factory=dict)

    @classmethod
    def declare(
        cls,
        columns: list[str],
        *,
        qi: list[str],
        sensitive: list[str],
        keep: list[str],
        linking: list[str],
    ) -> Roles:
        """Assign roles, refusing unknown or doubly declared columns."""
        roles: dict[str, Role] = {}
        for names, role in (
            (qi, Role.QUASI_IDENTIFIER),
            (sensitive, Role.SENSITIVE),
            (keep, Role.INSENSITIVE),
            (linking, Role.LINKING),
        ):
            for name in names:
                if name not in columns:
                    raise InputError(
                        f"列 {name} が入力にありません", f"column {name} is not in the input", field=name
                    )
                if name in roles:
                    raise InputError(
                        f"列 {name} に2つの役割が指定されています",
                        f"column {name} was given two roles",
                        field=name,
                    )
                roles[name] = role
        for name in columns:
            roles.setdefault(name, Role.IDENTIFYING)
        if not qi:
            raise InputError("準識別子（--qi）が必要です", "at least one quasi-identifier (--qi) is needed")
        return cls(roles)

    def of(self, role: Role) -> list[str]:
        """Return the columns with a role, in input order."""
        return [c for c, r in self.by_column.items() if r is role]
