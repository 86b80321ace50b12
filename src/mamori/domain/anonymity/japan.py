"""Japanese geography for generalization: prefectures, their regions, and address parsing.

The eight-region division (八地方区分) is the one used in school atlases and by most
statistics releases; Okinawa belongs to Kyushu there.
"""

from __future__ import annotations

import re
import unicodedata

_REGIONS: dict[str, tuple[str, ...]] = {
    "北海道地方": ("北海道",),
    "東北地方": ("青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県"),
    "関東地方": ("茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県"),
    "中部地方": (
        "新潟県",
        "富山県",
        "石川県",
        "福井県",
        "山梨県",
        "長野県",
        "岐阜県",
        "静岡県",
        "愛知県",
    ),
    "近畿地方": ("三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県"),
    "中国地方": ("鳥取県", "島根県", "岡山県", "広島県", "山口県"),
    "四国地方": ("徳島県", "香川県", "愛媛県", "高知県"),
    "九州地方": ("福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"),
}
PREFECTURE_REGION: dict[str, str] = {p: r for r, ps in _REGIONS.items() for p in ps}
PREFECTURES: tuple[str, ...] = tuple(PREFECTURE_REGION)

_PREFECTURE = re.compile("^(" + "|".join(PREFECTURES) + ")")
# A municipality ends at the first 市, 区 (Tokyo's special wards), 町 or 村; a county (郡)
# is kept with its town or village, and a designated city's ward (横浜市中区) stays in the city.
_MUNICIPALITY = re.compile(r"^(.+?郡.+?[町村]|.+?市|.+?区|.+?[町村])")

UNKNOWN = "不明"


def split_address(address: str) -> tuple[str, str]:
    """Return (prefecture, municipality) of a Japanese address; unknown parts are 不明."""
    text = unicodedata.normalize("NFKC", address).strip()
    found = _PREFECTURE.match(text)
    if found is None:
        return UNKNOWN, UNKNOWN
    prefecture = found.group(1)
    rest = text[len(prefecture) :]
    town = _MUNICIPALITY.match(rest)
    return prefecture, prefecture + town.group(1) if town else prefecture


def region_of(prefecture: str) -> str:
    """Return the region (八地方区分) of a prefecture, 不明 when it is not one."""
    return PREFECTURE_REGION.get(prefecture, UNKNOWN)
