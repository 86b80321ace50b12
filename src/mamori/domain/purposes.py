"""Purposes of use (利用目的): immutable, with a kind, named recipients and a legal basis.

A widened purpose is a new purpose id: a grant for the old one never covers it
(APPI-CONSENT-3).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum


class PurposeKind(StrEnum):
    """What a purpose does with the data; decides which provisions it can support."""

    SERVICE = "service"
    INTERNAL_ANALYSIS = "internal_analysis"
    PROFILING = "profiling"
    TARGETING = "targeting"
    THIRD_PARTY_PROVISION = "third_party_provision"
    ANONYMIZED_PROVISION = "anonymized_provision"
    JOINT_USE = "joint_use"
    MY_NUMBER_ADMIN = "my_number_admin"


class Basis(StrEnum):
    """The legal basis a purpose relies on."""

    CONSENT = "consent"
    OPT_OUT = "opt_out"


@dataclass(frozen=True, slots=True)
class Purpose:
    """A specific use, stated so that a person can picture it (APPI-17-1)."""

    id: str
    kind: PurposeKind
    recipients: frozenset[str] = frozenset()
    foreign: bool = False
    basis: Basis = Basis.CONSENT
    ppc_notified: bool = False
    description_ja: str = ""
    description_en: str = ""
    items: tuple[str, ...] = ()
    countries: tuple[str, ...] = field(default=())

    @property
    def opt_out_in_force(self) -> bool:
        """Tell whether opt-out provision is usable: only once the PPC filing is made (APPI-27-2)."""
        return self.basis is Basis.OPT_OUT and self.ppc_notified

    def names_recipient(self, category: str) -> bool:
        """Tell whether the purpose names this recipient category (APPI-17-2)."""
        return category in self.recipients


# Wording the PPC guideline (3-1-1) gives as too abstract to let a person picture the use.
_VAGUE_JA = (
    "事業活動に用いるため",
    "マーケティング活動に用いるため",
    "マーケティングのため",
    "サービスの向上",
    "サービス向上",
)
_VAGUE_EN = (
    "marketing",
    "service improvement",
    "business purposes",
    "business activities",
    "improve our services",
    "improving our services",
)
_PROFILING_WORDS_JA = ("分析", "プロファイリング", "スコア", "推定", "嗜好")
_PROFILING_WORDS_EN = ("analy", "profil", "score", "infer", "interest", "preference")
_MIN_SPECIFIC_CHARS_JA = 15


def specificity_problems(purpose: Purpose) -> list[str]:
    """List why a purpose's text is not specific enough (APPI-17-1, APPI-17-2); empty when fine."""
    ja = unicodedata.normalize("NFKC", purpose.description_ja).strip()
    en = unicodedata.normalize("NFKC", purpose.description_en).strip().lower()
    problems: list[str] = []
    if not ja:
        problems.append("description_ja is empty")
    elif len(ja) < _MIN_SPECIFIC_CHARS_JA or ja.rstrip("。") in _VAGUE_JA:
        problems.append("description_ja is too vague to picture the use")
    if en and en.rstrip(".") in _VAGUE_EN:
        problems.append("description_en is too vague to picture the use")
    if purpose.kind is PurposeKind.PROFILING:
        says_it = any(w in ja for w in _PROFILING_WORDS_JA) or any(w in en for w in _PROFILING_WORDS_EN)
        if not says_it:
            problems.append("a profiling purpose must say that it analyses and profiles")
    if purpose.kind in (PurposeKind.THIRD_PARTY_PROVISION, PurposeKind.JOINT_USE) and not purpose.recipients:
        problems.append("a provision purpose must name its recipient categories")
    return problems
