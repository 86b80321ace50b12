"""Requests to use or provide a subject's data, as the policy decision receives them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from mamori.domain.recipients import Recipient


class Action(StrEnum):
    """Whether data is used inside the business or provided to someone else."""

    USE = "use"
    PROVIDE = "provide"


class ProvisionKind(StrEnum):
    """The ways data can leave the platform (DESIGN.md: the three ways, plus pseudonymized)."""

    AGGREGATE = "aggregate"  # 統計情報
    ANONYMIZED = "anonymized"  # 匿名加工情報
    PERSONAL_DATA = "personal_data"  # 個人データ
    PERSONAL_RELATED = "personal_related"  # 個人関連情報
    PSEUDONYMIZED = "pseudonymized"  # 仮名加工情報: never to a third party (APPI-42-1)


class LegalException(StrEnum):
    """Statutory exceptions that allow use or provision without consent (APPI-18-3, APPI-27-1)."""

    LAW = "law"
    LIFE = "life"
    PUBLIC_HEALTH = "public_health"
    STATE_COOPERATION = "state_cooperation"
    ACADEMIC = "academic"


@dataclass(frozen=True, slots=True)
class PolicyRequest:
    """May this subject's data be used or provided for this purpose, to this recipient, now?"""

    id: str
    at: datetime
    subject: str
    action: Action
    purpose: str
    items: tuple[str, ...] = ()
    kind: ProvisionKind | None = None
    recipient: Recipient | None = None
    exception: LegalException | None = None
