"""The answer of the policy decision: verdict, deciding rules, obligations, explanation."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from mamori.domain.rules import rule


class Verdict(StrEnum):
    """Allow or deny."""

    ALLOW = "allow"
    DENY = "deny"


@dataclass(frozen=True, slots=True)
class Text:
    """A message in Japanese (first) and English."""

    ja: str
    en: str

    def in_lang(self, lang: str) -> str:
        """Return the text in a language ("ja" or "en")."""
        return self.en if lang.startswith("en") else self.ja


@dataclass(frozen=True, slots=True)
class Decision:
    """What was decided, the rule ids that decided it and what an allowed request must still do."""

    verdict: Verdict
    rules: tuple[str, ...]
    obligations: tuple[str, ...] = ()
    explanation: Text = field(default_factory=lambda: Text("", ""))

    @property
    def allowed(self) -> bool:
        """Tell whether the request is allowed."""
        return self.verdict is Verdict.ALLOW


def allow(rules: tuple[str, ...], obligations: tuple[str, ...], why: Text) -> Decision:
    """Build an allow decision, citing only catalogued rules."""
    return _decision(Verdict.ALLOW, rules, obligations, why)


def deny(rules: tuple[str, ...], why: Text) -> Decision:
    """Build a deny decision, citing only catalogued rules."""
    return _decision(Verdict.DENY, rules, (), why)


def _decision(verdict: Verdict, rules: tuple[str, ...], obligations: tuple[str, ...], why: Text) -> Decision:
    for rule_id in (*rules, *obligations):
        rule(rule_id)  # refuses an id the catalogue lacks
    head_ja = "許可" if verdict is Verdict.ALLOW else "拒否"
    head_en = "Allowed" if verdict is Verdict.ALLOW else "Denied"
    cited = ", ".join(rules)
    return Decision(
        verdict=verdict,
        rules=rules,
        obligations=obligations,
        explanation=Text(f"{head_ja}（{cited}）：{why.ja}", f"{head_en} ({cited}): {why.en}"),
    )
