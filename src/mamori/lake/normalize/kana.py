"""Kana readings in one form, so フリガナ written by different people compare equal.

One form: full-width katakana (NFKC folds half-width ｶﾅ), hiragana turned to katakana
(jaconv), small kana folded to their large form (ャ→ヤ, ッ→ツ), ヴ-sounds folded to their
バ-row spelling (ヴァ→バ), spaces and the name separator ・ removed. Readings of kanji names
come from pykakasi's dictionary and are flagged as inferred: 中島 may be ナカジマ or
ナカシマ, and only the person knows.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jaconv
import polars as pl

from mamori.lake.normalize._vector import fill_unusual, nfkc, nfkc_series

# Order matters: the ヴ-syllables must be folded before their small vowels become large.
_VU = (("ヴァ", "バ"), ("ヴィ", "ビ"), ("ヴェ", "ベ"), ("ヴォ", "ボ"), ("ヴ", "ブ"),
       ("ヷ", "バ"), ("ヸ", "ビ"), ("ヹ", "ベ"), ("ヺ", "ボ"))  # fmt: skip
_SMALL: dict[str, str | int | None] = dict(
    zip("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ", strict=True)
)
_SMALL_PAIRS = {k: str(v) for k, v in _SMALL.items()}
_DROPPED = r"[\s・･=＝]"
_KATAKANA_ONLY = r"^[ア-ヺー]+$"
_HIRAGANA = "".join(chr(c) for c in range(0x3041, 0x3097)) + "ゝゞ"
_KATAKANA = jaconv.hira2kata(_HIRAGANA)
_KANA_OR_SPACE = re.compile(r"^[\sぁ-ゖゝゞァ-ヺー・･]+$")


def normalize_kana(text: str | None) -> str | None:
    """Return the one kana form of a reading, or None when it is empty or not kana."""
    if text is None:
        return None
    kana = jaconv.hira2kata(nfkc(str(text)))
    for variant, plain in _VU:
        kana = kana.replace(variant, plain)
    kana = re.sub(_DROPPED, "", kana.translate(str.maketrans(_SMALL)))
    return kana if re.match(_KATAKANA_ONLY, kana) else None


@cache
def _kakasi() -> Any:
    # Loading pykakasi's dictionaries takes a moment: once per process, on first use.
    import pykakasi

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]  # pykakasi ships no annotations


# Variant kanji (異体字) common in names that pykakasi's dictionary lacks; folded only to
# look up a reading, the name itself is kept as written.
_ITAIJI = str.maketrans("髙﨑𠮷德濵邉邊齋齊櫻國澤廣龍眞", "高崎吉徳浜辺辺斎斉桜国沢広竜真")


@cache
def _read_part(part: str) -> str | None:
    # pykakasi silently drops characters it cannot read (髙 vanished with its neighbour):
    # a reading is given only when every character came back with kana.
    items = _kakasi().convert(part.translate(_ITAIJI))
    if "".join(item["orig"] for item in items) != part.translate(_ITAIJI):
        return None
    if any(not item["kana"] for item in items):
        return None
    return "".join(item["kana"] for item in items)


def kana_reading(name: str | None) -> tuple[str | None, bool]:
    """Return (reading in the one kana form, inferred) for a name.

    A name already written in kana is read as written (inferred=False). A kanji name is read
    part by part (surname, given name) with pykakasi (inferred=True); None when no reading
    can be given (Latin letters, a character the dictionary lacks).
    """
    if name is None:
        return None, False
    text = nfkc(str(name))
    if not text:
        return None, False
    if _KANA_OR_SPACE.match(text):
        return normalize_kana(text), False
    parts = [_read_part(part) for part in text.split()]
    if any(part is None for part in parts):
        return None, False
    reading = normalize_kana("".join(p for p in parts if p))
    return (reading, True) if reading is not None else (None, False)


def normalize_kana_series(raw: pl.Series) -> pl.Series:
    """Vectorized `normalize_kana` (polars replace_many; the rest per value)."""
    kana = nfkc_series(raw).str.replace_many(list(_HIRAGANA), list(_KATAKANA))
    kana = kana.str.replace_many([v for v, _ in _VU], [p for _, p in _VU], leftmost=True)
    kana = kana.str.replace_many(_SMALL_PAIRS).str.replace_all(_DROPPED, "")
    fast = pl.select(pl.when(kana.str.contains(_KATAKANA_ONLY)).then(kana).otherwise(None)).to_series()
    candidates = nfkc_series(raw).str.contains(r"^[\s\p{Hiragana}\p{Katakana}ー・･=＝]+$")
    return fill_unusual(raw, fast.alias(raw.name), normalize_kana, candidates)


def kana_reading_series(names: pl.Series) -> pl.DataFrame:
    """Vectorized `kana_reading`: columns `reading` and `inferred`, one dictionary look-up per distinct name."""
    distinct = names.cast(pl.String).unique().drop_nulls()
    pairs = [kana_reading(n) for n in distinct.to_list()]
    lookup = pl.DataFrame(
        {
            "name": distinct,
            "reading": pl.Series([p[0] for p in pairs], dtype=pl.String),
            "inferred": pl.Series([p[1] for p in pairs], dtype=pl.Boolean),
        }
    )
    joined = pl.DataFrame({"name": names.cast(pl.String)}).join(
        lookup, on="name", how="left", maintain_order="left"
    )
    return joined.select(pl.col("reading"), pl.col("inferred").fill_null(False))
