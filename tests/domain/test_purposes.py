"""APPI-17-1 / APPI-17-2: purposes a person can picture."""

from __future__ import annotations

from mamori.domain.purposes import Purpose, PurposeKind, specificity_problems


def test_APPI_17_1_vague_purposes_are_refused() -> None:
    vague = Purpose(
        "m",
        PurposeKind.TARGETING,
        description_ja="マーケティング活動に用いるため",
        description_en="marketing",
    )
    assert specificity_problems(vague)


def test_APPI_17_1_profiling_purpose_must_say_it_profiles() -> None:
    silent = Purpose(
        "p",
        PurposeKind.PROFILING,
        description_ja="お客様一人ひとりに合った新商品のお知らせをお届けするために利用します",
    )
    says = Purpose(
        "p",
        PurposeKind.PROFILING,
        description_ja="取得した閲覧履歴や購買履歴等の情報を分析して、趣味・嗜好に応じた広告のために利用します",
    )
    assert any("profil" in p for p in specificity_problems(silent))
    assert specificity_problems(says) == []


def test_APPI_17_2_provision_purpose_names_recipient_categories() -> None:
    unnamed = Purpose(
        "x",
        PurposeKind.THIRD_PARTY_PROVISION,
        description_ja="購買履歴を広告事業者に提供し、広告配信に利用させるため",
    )
    assert any("recipient" in p for p in specificity_problems(unnamed))
