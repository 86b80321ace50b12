"""The web tests' purposes and terms (the 2019 and 2021 terms of a loyalty programme)."""

from __future__ import annotations

from datetime import date

from mamori.domain.purposes import Purpose, PurposeKind
from mamori.domain.terms import TermsVersion

PURPOSES: tuple[Purpose, ...] = (
    Purpose(
        "point_service",
        PurposeKind.SERVICE,
        description_ja="ポイントの付与・利用・残高のお知らせなど、ポイントサービスの提供のために利用します",
        description_en="Run the point service: award and redeem points and tell you your balance",
        items=("member_id", "purchase_history"),
    ),
    Purpose(
        "analysis",
        PurposeKind.INTERNAL_ANALYSIS,
        description_ja="購買履歴を統計的に集計し、提携店の品揃えや出店計画の改善のために分析します（個人を特定しない統計のみを提携先に提供します）",
        description_en="Analyse purchase histories statistically to improve partner shops' ranges and plans "
        "(partners receive statistics only, never individuals)",
        items=("purchase_history", "age_band", "prefecture"),
    ),
    Purpose(
        "lifestyle_profiling",
        PurposeKind.PROFILING,
        description_ja="購買履歴を分析してライフスタイルのスコアを算出し、あなたに合ったおすすめの表示に利用します（スコアはマイページで確認できます）",
        description_en="Analyse your purchases to compute lifestyle scores and show recommendations that fit "
        "you (you can see every score in the portal)",
        items=("purchase_history",),
    ),
    Purpose(
        "provide_ads",
        PurposeKind.THIRD_PARTY_PROVISION,
        frozenset({"ad_business"}),
        description_ja="購買履歴と年代・地域を広告事業者に提供し、広告事業者があなたに合った広告を配信するために利用します",
        description_en="Provide your purchase history, age band and region to advertising businesses so that "
        "they can show you ads that fit you",
        items=("purchase_history", "age_band", "prefecture"),
    ),
    Purpose(
        "anon_sale",
        PurposeKind.ANONYMIZED_PROVISION,
        description_ja="購買履歴から個人を識別できないよう加工した匿名加工情報を作成し、メーカー等に提供します",
        description_en="Make anonymized information from purchase histories that identifies no one and provide "
        "it to manufacturers",
        items=("purchase_history", "age_band", "prefecture"),
    ),
)

TERMS: tuple[TermsVersion, ...] = (
    TermsVersion(
        "2019-04", date(2019, 4, 1), frozenset({"point_service", "analysis", "lifestyle_profiling"})
    ),
    # The 2021 terms add provision to advertisers and anonymized sales: nobody's old consent covers them.
    TermsVersion(
        "2021-07",
        date(2021, 7, 1),
        frozenset({"point_service", "analysis", "lifestyle_profiling", "provide_ads", "anon_sale"}),
    ),
)
