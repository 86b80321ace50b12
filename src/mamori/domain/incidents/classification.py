"""Words that describe an incident beyond its legal facts: who, how it came in, what to do."""

from __future__ import annotations

from enum import StrEnum


class OrgSize(StrEnum):
    """Size of the organisation that had the incident (for consultants' statistics)."""

    LARGE = "large"
    SME = "sme"  # 中小企業


class InfectionRoute(StrEnum):
    """How an attacker or the data got in or out; the routes IPA and PPC reports count."""

    VPN_APPLIANCE = "vpn_appliance"
    REMOTE_DESKTOP = "remote_desktop"
    PHISHING_EMAIL = "phishing_email"
    WEB_APPLICATION = "web_application"
    CLOUD_MISCONFIGURATION = "cloud_misconfiguration"
    REMOVABLE_MEDIA = "removable_media"
    SUPPLY_CHAIN = "supply_chain"  # an entrustee's or partner's system
    INSIDER = "insider"
    NOT_APPLICABLE = "not_applicable"  # e.g. misdelivery, a lost bag
    UNKNOWN = "unknown"


class FirstAid(StrEnum):
    """First-aid actions that stop the spread (step 2b)."""

    ISOLATE_NETWORK = "isolate_network"
    STOP_SERVICE = "stop_service"
    REVOKE_CREDENTIALS = "revoke_credentials"
    RECALL_MESSAGE = "recall_message"  # ask recipients of a misdelivery to delete it
    PRESERVE_LOGS = "preserve_logs"
    OTHER = "other"


class Audience(StrEnum):
    """Who must be told (step 4); each is a tracked task."""

    SUBJECTS = "subjects"  # 本人 (APPI-26-2)
    PUBLICATION = "publication"  # 公表 (substitute measure or voluntary)
    PARTNERS = "partners"  # 取引先・委託元
    PPC_PRELIMINARY = "ppc_preliminary"  # 速報 (PPC-RULE-8-1)
    PPC_FINAL = "ppc_final"  # 確報 (PPC-RULE-8-2)
    POLICE = "police"
    OTHER_REGULATOR = "other_regulator"  # 所管省庁 etc.


class Inquiry(StrEnum):
    """The six questions of the investigation (5W1H)."""

    WHEN = "when"
    WHERE = "where"
    WHO = "who"
    WHAT = "what"
    WHY = "why"
    HOW = "how"
