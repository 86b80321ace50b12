"""Data items and their legal nature (sensitive, financial, Individual Number, personal-related)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DataItem:
    """One kind of data the platform holds, with the flags that change what the law allows."""

    id: str
    sensitive: bool = False  # 要配慮個人情報 (Art. 2(3))
    financial: bool = False  # misuse may cause property damage (PPC Rule 7(2))
    my_number: bool = False  # 個人番号 (My Number Act)
    personal_related: bool = False  # 個人関連情報 when held alone (Art. 2(7))
    opt_out_received: bool = False  # received by opt-out: no second opt-out hop (Art. 27(2))
    improperly_obtained: bool = False  # acquired in breach of Art. 20(1)
    label_ja: str = ""
    label_en: str = ""


# The items the platform knows by default; a world or a dataset may add its own.
STANDARD_ITEMS: dict[str, DataItem] = {
    item.id: item
    for item in (
        DataItem("member_id", label_ja="会員ID", label_en="member id"),
        DataItem("name", label_ja="氏名", label_en="name"),
        DataItem("name_kana", label_ja="フリガナ", label_en="name reading"),
        DataItem("email", label_ja="メールアドレス", label_en="email address"),
        DataItem("phone", label_ja="電話番号", label_en="phone number"),
        DataItem("address", label_ja="住所", label_en="address"),
        DataItem("postal_code", label_ja="郵便番号", label_en="postal code"),
        DataItem("birth_date", label_ja="生年月日", label_en="birth date"),
        DataItem("gender", label_ja="性別", label_en="gender"),
        DataItem("age_band", label_ja="年代", label_en="age band"),
        DataItem("prefecture", label_ja="都道府県", label_en="prefecture"),
        DataItem("purchase_history", label_ja="購買履歴", label_en="purchase history"),
        DataItem("lifestyle_scores", label_ja="ライフスタイルスコア", label_en="lifestyle scores"),
        DataItem("browsing_history", personal_related=True, label_ja="閲覧履歴", label_en="browsing history"),
        DataItem(
            "device_id", personal_related=True, label_ja="端末ID・Cookie", label_en="device id / cookie"
        ),
        DataItem("medical_history", sensitive=True, label_ja="病歴", label_en="medical history"),
        DataItem("card_number", financial=True, label_ja="クレジットカード番号", label_en="card number"),
        DataItem(
            "my_number", my_number=True, label_ja="個人番号（マイナンバー）", label_en="Individual Number"
        ),
    )
}
