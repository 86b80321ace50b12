"""Japanese and English names of the incident vocabularies, for reports, notices and tables."""

from __future__ import annotations

from mamori.domain.incidents.classification import Audience, FirstAid, InfectionRoute, Inquiry, OrgSize
from mamori.domain.incidents.facts import Cause, EventType

EVENT_LABELS: dict[EventType, tuple[str, str]] = {
    EventType.LEAK: ("漏えい", "leak"),
    EventType.LOSS: ("滅失", "loss"),
    EventType.DAMAGE: ("毀損", "damage"),
}

CAUSE_LABELS: dict[Cause, tuple[str, str]] = {
    Cause.RANSOMWARE: ("ランサムウェア", "ransomware"),
    Cause.UNAUTHORIZED_ACCESS: ("不正アクセス", "unauthorized access"),
    Cause.MALWARE: ("マルウェア感染", "malware"),
    Cause.INSIDER_THEFT: ("従業者による持ち出し", "insider theft"),
    Cause.THEFT: ("盗難", "theft"),
    Cause.SKIMMING: ("スキミング", "skimming"),
    Cause.MISDELIVERY: ("誤送付・誤送信", "misdelivery"),
    Cause.LOST_DEVICE: ("紛失", "lost device or media"),
    Cause.SYSTEM_ERROR: ("システムの設定誤り・不具合", "system error"),
    Cause.OTHER: ("その他", "other"),
}

ROUTE_LABELS: dict[InfectionRoute, tuple[str, str]] = {
    InfectionRoute.VPN_APPLIANCE: ("VPN 機器", "VPN appliance"),
    InfectionRoute.REMOTE_DESKTOP: ("リモートデスクトップ", "remote desktop"),
    InfectionRoute.PHISHING_EMAIL: ("不審メール", "phishing email"),
    InfectionRoute.WEB_APPLICATION: ("Web アプリケーション", "web application"),
    InfectionRoute.CLOUD_MISCONFIGURATION: ("クラウドの設定不備", "cloud misconfiguration"),
    InfectionRoute.REMOVABLE_MEDIA: ("外部記憶媒体", "removable media"),
    InfectionRoute.SUPPLY_CHAIN: ("委託先・取引先経由", "supply chain"),
    InfectionRoute.INSIDER: ("内部者", "insider"),
    InfectionRoute.NOT_APPLICABLE: ("該当なし", "not applicable"),
    InfectionRoute.UNKNOWN: ("不明", "unknown"),
}

SIZE_LABELS: dict[OrgSize, tuple[str, str]] = {
    OrgSize.LARGE: ("大企業", "large"),
    OrgSize.SME: ("中小企業", "small and medium"),
}

CATEGORY_LABELS: dict[int, tuple[str, str]] = {
    1: ("要配慮個人情報を含む", "sensitive personal information"),
    2: ("財産的被害が生じるおそれ", "possible property damage"),
    3: ("不正の目的をもって行われたおそれ", "possibly done for an unlawful purpose"),
    4: ("本人の数が1,000人を超える", "more than 1,000 persons"),
}

AUDIENCE_LABELS: dict[str, tuple[str, str]] = {
    Audience.SUBJECTS: ("本人への通知", "notice to the persons"),
    Audience.PUBLICATION: ("公表", "publication"),
    Audience.PARTNERS: ("取引先・委託元", "business partners"),
    Audience.PPC_PRELIMINARY: ("委員会への速報", "PPC preliminary report"),
    Audience.PPC_FINAL: ("委員会への確報", "PPC final report"),
    Audience.POLICE: ("警察", "police"),
    Audience.OTHER_REGULATOR: ("所管省庁等", "other regulators"),
}
FIRST_AID_LABELS: dict[str, tuple[str, str]] = {
    FirstAid.ISOLATE_NETWORK: ("ネットワークから隔離", "isolate the network"),
    FirstAid.STOP_SERVICE: ("サービスの停止", "stop the service"),
    FirstAid.REVOKE_CREDENTIALS: ("認証情報の無効化", "revoke credentials"),
    FirstAid.RECALL_MESSAGE: ("誤送信先への削除依頼", "ask recipients to delete"),
    FirstAid.PRESERVE_LOGS: ("ログの保全", "preserve logs"),
    FirstAid.OTHER: ("その他", "other"),
}
INQUIRY_LABELS: dict[str, tuple[str, str]] = {
    Inquiry.WHEN: ("いつ", "when"),
    Inquiry.WHERE: ("どこで", "where"),
    Inquiry.WHO: ("誰が", "who"),
    Inquiry.WHAT: ("何を", "what"),
    Inquiry.WHY: ("なぜ", "why"),
    Inquiry.HOW: ("どのように", "how"),
}
