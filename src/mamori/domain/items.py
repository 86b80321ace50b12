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
