"""The purposes and terms history of the synthetic world, which the demo registers as they are.

Written so that a person can picture each use (APPI-17-1): profiling says that it profiles,
provision names its recipients (APPI-17-2). Terms v2 took effect with the amended APPI
(April 2022) and added profiling, provision and anonymized sales: consent under v1 does not
carry over to them (APPI-CONSENT-3).
"""

from __future__ import annotations

from datetime import date

from mamori.domain.purposes import Purpose, PurposeKind
from mamori.domain.terms import TermsVersion

PURPOSES: tuple[Purpose, ...] = (
    Purpose(
        "service",
        PurposeKind.SERVICE,
        description_ja="ポイントの付与・利用・残高のお知らせなど、ポイントカード会員サービスの提供のために利用します",
        description_en="Run the loyalty-card member service: award and redeem points and tell you your balance",
        items=("member_id", "purchase_history"),
    ),
    Purpose(
        "analysis",
        PurposeKind.INTERNAL_ANALYSIS,
        description_ja="購買履歴を統計的に集計し、提携店の品揃えや出店計画の改善のために分析します"
        "（提携先には個人を特定しない統計のみを提供します）",
        description_en="Analyse purchase histories statistically to improve partner shops' ranges and plans "
        "(partners receive statistics only, never individuals)",
        items=("purchase_history", "age_band", "gender", "prefecture"),
    ),
    Purpose(
        "targeting",
        PurposeKind.TARGETING,
        description_ja="購買履歴に基づいて、あなたに合ったおすすめ商品のお知らせをメールでお届けします",
        description_en="E-mail you recommendations chosen from your purchase history",
        items=("purchase_history", "email"),
    ),
    Purpose(
        "profiling",
        PurposeKind.PROFILING,
        description_ja="購買履歴と閲覧履歴を分析して趣味・嗜好を推定し、ライフスタイルのスコアを算出します"
        "（スコアとその理由はマイページで確認できます）",
        description_en="Analyse your purchase and browsing history to infer your interests and compute "
        "lifestyle scores (you can see every score and why in the portal)",
        items=("purchase_history", "browsing_history"),
    ),
    Purpose(
        "provide_partners",
        PurposeKind.THIRD_PARTY_PROVISION,
        frozenset({"ad_business"}),
        description_ja="購買履歴と年代・地域を提携する広告事業者に提供し、広告事業者があなたに合った広告を配信します",
        description_en="Provide your purchase history, age band and region to partner advertising businesses "
        "so that they can show you ads that fit you",
        items=("purchase_history", "age_band", "prefecture"),
    ),
    Purpose(
        "anon_sale",
        PurposeKind.ANONYMIZED_PROVISION,
        description_ja="購買履歴から特定の個人を識別できないよう加工した匿名加工情報を作成し、メーカー等に提供します",
        description_en="Make anonymized information from purchase histories that identifies no one and provide "
        "it to manufacturers",
        items=("purchase_history", "age_band", "prefecture"),
    ),
)
PURPOSE_BY_ID = {p.id: p for p in PURPOSES}

TERMS: tuple[TermsVersion, ...] = (
    TermsVersion("v1", date(2019, 1, 1), frozenset({"service", "analysis", "targeting"})),
    TermsVersion("v2", date(2022, 4, 1), frozenset(PURPOSE_BY_ID)),
)
