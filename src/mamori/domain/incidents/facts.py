"""The facts of an incident that decide whether and when it must be reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class EventType(StrEnum):
    """漏えい・滅失・毀損."""

    LEAK = "leak"
    LOSS = "loss"
    DAMAGE = "damage"


class Cause(StrEnum):
    """What caused the incident; the first five are acts possibly done with unlawful purpose."""

    RANSOMWARE = "ransomware"
    UNAUTHORIZED_ACCESS = "unauthorized_access"
    MALWARE = "malware"
    INSIDER_THEFT = "insider_theft"
    THEFT = "theft"
    SKIMMING = "skimming"
    MISDELIVERY = "misdelivery"
    LOST_DEVICE = "lost_device"
    SYSTEM_ERROR = "system_error"
    OTHER = "other"


UNLAWFUL_PURPOSE_CAUSES = frozenset(
    {
        Cause.RANSOMWARE,
        Cause.UNAUTHORIZED_ACCESS,
        Cause.MALWARE,
        Cause.INSIDER_THEFT,
        Cause.THEFT,
        Cause.SKIMMING,
    }
)


class Encryption(StrEnum):
    """Whether the data was protected by high-level encryption with the key safe (PPC-RULE-7-X)."""

    NONE = "none"
    HIGH_LEVEL = "high_level"


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """What is known about an incident at a moment; re-decided whenever it changes."""

    aware_at: datetime
    event: EventType
    cause: Cause
    persons: int
    items: tuple[str, ...] = ()
    suspected: bool = False  # "おそれ" counts as well as a certain event
    sensitive: bool = False
    financial: bool = False
    encryption: Encryption = Encryption.NONE
    backup: bool = False  # loss/damage only: an intact copy exists
