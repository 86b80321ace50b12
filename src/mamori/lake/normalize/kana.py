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
def _name_readings() -> dict[str, str]:
    # Readings of names as names (中島 → ナカジマ, not a dictionary's general reading), from
    # the name dataset; for a given-name spelling with several readings, the first listed.
    from mamori.lake.synth.ingredients import names

    book = names()
    readings: dict[str, str] = {}
    for kanji, kana in book.given["F"].select("given_name", "given_kana").iter_rows():
        readings.setdefault(kanji, kana)
    for kanji, kana in book.given["M"].select("given_name", "given_kana").iter_rows():
        readings.setdefault(kanji, kana)
    readings.update(dict(book.surnames.select("family_name", "family_kana").iter_rows()))
    return readings


@cache
def _read_part(part: str) -> str | None:
    folded = part.translate(_ITAIJI)
    known = _name_readings().get(folded)
    if known is not None:
        return known
    # Written without a space: a known surname followed by a known given name.
    for cut in range(min(4, len(folded) - 1), 0, -1):
        surname, given = _name_readings().get(folded[:cut]), _name_readings().get(folded[cut:])
        if surname is not None and given is not None:
            return surname + given
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

    def candidates(text: pl.Series) -> pl.Series:
        return nfkc_series(text).str.contains(r"^[\s\p{Hiragana}\p{Katakana}ー・･=＝]+$")

    return fill_unusual(raw, fast.alias(raw.name), normalize_kana, candidates)


def kana_reading_series(names: pl.Series) -> pl.DataFrame:
    """Vectorized `kana_reading`: columns `reading` and `inferred`.

    Names are split into their parts (surname, given name) and each distinct part is read
    once, so a million names cost a few thousand dictionary look-ups.
    """
    text = nfkc_series(names.cast(pl.String))
    frame = pl.DataFrame({"text": text}).with_row_index("i")
    as_kana = text.str.contains(_KANA_OR_SPACE.pattern).fill_null(False)
    parts = (
        frame.filter(~as_kana & text.is_not_null() & (text != ""))
        .with_columns(pl.col("text").str.split(" ").alias("part"))
        .explode("part")
        .filter(pl.col("part") != "")
    )
    lookup = {part: _read_part(part) for part in parts["part"].unique().to_list()}
    read = (
        parts.with_columns(
            pl.col("part").replace_strict(lookup, default=None, return_dtype=pl.String).alias("kana")
        )
        .group_by("i", maintain_order=True)
        .agg(pl.col("kana").str.join(""), pl.col("kana").null_count().alias("unread"))
        .with_columns(pl.when(pl.col("unread") == 0).then(pl.col("kana")).alias("kana"))
    )
    joined = frame.join(read.select("i", "kana"), on="i", how="left", maintain_order="left")
    inferred_reading = normalize_kana_series(joined["kana"])
    written_reading = normalize_kana_series(pl.select(pl.when(as_kana).then(text)).to_series())
    reading = pl.select(pl.when(as_kana).then(written_reading).otherwise(inferred_reading)).to_series()
    inferred = ~as_kana & reading.is_not_null()
    return pl.DataFrame(
        {"reading": reading, "inferred": inferred}, schema={"reading": pl.String, "inferred": pl.Boolean}
    )
