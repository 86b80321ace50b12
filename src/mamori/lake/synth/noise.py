"""The ways real client files spell the same facts differently, as polars expressions.

Each function returns one expression that picks, per row, one of several spellings from a
random integer column, so a whole file is re-spelled in a single vectorized pass.
"""

from __future__ import annotations

from typing import Any

import jaconv
import numpy as np
import polars as pl

_DIGITS = list("0123456789")
_WIDE_DIGITS = list("０１２３４５６７８９")
_KATAKANA = [chr(c) for c in range(0x30A1, 0x30F7)] + ["ー"]
_HALF = [jaconv.z2h(k, kana=True, ascii=False, digit=False) for k in _KATAKANA]
_HIRA = [jaconv.kata2hira(k) for k in _KATAKANA]
_SMALL, _LARGE = list("ャュョッァィゥェォ"), list("ヤユヨツアイウエオ")
# Variant kanji seen in name registers (異体字); a client may have typed either.
_ITAIJI = {"高": "髙", "崎": "﨑", "辺": "邊", "斎": "齋", "浜": "濵", "沢": "澤", "国": "國", "桜": "櫻"}


def pick(choice: str, variants: list[pl.Expr]) -> pl.Expr:
    """Return variant number `choice` (an integer column) of a list of spellings."""
    expr: Any = pl.when(pl.col(choice) == 0).then(variants[0])  # Then, then ChainedThen
    for i, variant in enumerate(variants[1:], start=1):
        expr = expr.when(pl.col(choice) == i).then(variant)
    result: pl.Expr = expr.otherwise(variants[0])
    return result


def wide(expr: pl.Expr) -> pl.Expr:
    """Spell ASCII digits full-width (全角)."""
    return expr.str.replace_many(_DIGITS, _WIDE_DIGITS)


def phone_spellings(col: str, choice: str) -> pl.Expr:
    """03-1234-5678 as +81 3 1234 5678, (03)1234-5678, 0312345678, full-width, ー, or a typo."""
    c = pl.col(col)
    national = c.str.slice(1)
    return pick(
        choice,
        [
            c,
            c.str.replace_all("-", ""),
            c.str.replace_all("-", " "),
            "+81 " + national.str.replace_all("-", " "),
            "+81-" + national,
            c.str.replace(r"^([0-9]+)-", "($1)"),
            wide(c),
            c.str.replace_all("-", "ー"),
            "+81(0)" + national,
            # a typo: the last digit mistyped; still a number, of someone else
            c.str.slice(0, c.str.len_chars() - 1)
            + ((c.str.slice(-1).cast(pl.Int64) + 1) % 10).cast(pl.String),
            c.str.slice(0, c.str.len_chars() - 2),  # cut short: no longer a number
        ],
    )


def email_spellings(col: str, choice: str) -> pl.Expr:
    """Upper-case, padded, full-width, +tag, dot-less or a dropped character."""
    c = pl.col(col)
    local, domain = c.str.split("@").list.first(), c.str.split("@").list.last()
    return pick(
        choice,
        [
            c,
            c.str.to_uppercase(),
            " " + c + " ",
            c.str.replace_many(["a", "e", "o", "@", "."], ["ａ", "ｅ", "ｏ", "＠", "．"]),
            local + "+shop@" + domain,
            local.str.replace_all(".", "", literal=True) + "@" + domain,
            local.str.slice(1) + "@" + domain,  # a typo: first character lost
        ],
    )


def kana_spellings(col: str, choice: str) -> pl.Expr:
    """Half-width ｶﾅ, hiragana, no space, full-width space, large kana, ブ written ヴ."""
    c = pl.col(col)
    return pick(
        choice,
        [
            c,
            c.str.replace_many(_KATAKANA, _HALF),
            c.str.replace_many(_KATAKANA, _HIRA),
            c.str.replace_all(" ", ""),
            c.str.replace_all(" ", "　"),
            c.str.replace_many(_SMALL, _LARGE),
            c.str.replace_all("ブ", "ヴ"),
        ],
    )


def name_spellings(col: str, choice: str) -> pl.Expr:
    """Full-width space, no space, variant kanji."""
    c = pl.col(col)
    return pick(
        choice,
        [c, c.str.replace_all(" ", "　"), c.str.replace_all(" ", ""), c.str.replace_many(_ITAIJI)],
    )


def era(col: str) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Return (era name, era letter, era year) of a date column."""
    d = pl.col(col)
    name = (
        pl.when(d >= pl.date(2019, 5, 1)).then(pl.lit("令和"))
        .when(d >= pl.date(1989, 1, 8)).then(pl.lit("平成"))
        .when(d >= pl.date(1926, 12, 25)).then(pl.lit("昭和"))
        .otherwise(pl.lit("大正"))
    )  # fmt: skip
    base = pl.col("__era").replace_strict({"令和": 2019, "平成": 1989, "昭和": 1926, "大正": 1912})
    letter = pl.col("__era").replace_strict({"令和": "R", "平成": "H", "昭和": "S", "大正": "T"})
    return name, letter, d.dt.year() - base + 1


def spell_dates(frame: pl.DataFrame, col: str, choice: str) -> pl.DataFrame:
    """Spell a date column 8 ways: ISO, slashes, compact, 年月日, era, era letter, full-width."""
    d = pl.col(col)
    name, letter, year = era(col)
    y, m, dd = d.dt.year().cast(pl.String), d.dt.month().cast(pl.String), d.dt.day().cast(pl.String)
    era_year = pl.when(year == 1).then(pl.lit("元")).otherwise(year.cast(pl.String))
    spelled = pick(
        choice,
        [
            d.dt.strftime("%Y-%m-%d"),
            pl.format("{}/{}/{}", y, m, dd),
            d.dt.strftime("%Y%m%d"),
            pl.format("{}年{}月{}日", y, m, dd),
            pl.format("{}{}年{}月{}日", pl.col("__era"), era_year, m, dd),
            pl.format("{}{}.{}.{}", letter, year, m, dd),
            wide(d.dt.strftime("%Y-%m-%d")),
            pl.format("{}{}/{}/{}", letter, year, m, dd),
            pl.format("{}/{}/{}", y, dd, m),  # day and month swapped: impossible after the 12th
        ],
    )
    return frame.with_columns(name.alias("__era")).with_columns(spelled.alias(col)).drop("__era")


def postal_spellings(col: str, choice: str) -> pl.Expr:
    """1000001 as 100-0001, 〒100-0001, full-width."""
    c = pl.col(col)
    hyphen = c.str.slice(0, 3) + "-" + c.str.slice(3)
    return pick(choice, [c, hyphen, "〒" + hyphen, wide(hyphen)])


def address_spellings(col: str, choice: str) -> pl.Expr:
    """1-2-3 as 1丁目2番3号, full-width digits, or without the prefecture."""
    c = pl.col(col)
    return pick(
        choice,
        [
            c,
            c.str.replace(r"([0-9]+)-([0-9]+)-([0-9]+)$", "${1}丁目${2}番${3}号"),
            wide(c),
            c.str.replace(r"^(東京都|北海道|(?:京都|大阪)府|.{2,3}県)", ""),
        ],
    )


def choices(rng: np.random.Generator, rows: int, names: list[str], variants: int = 11) -> pl.DataFrame:
    """Return one random variant number per row for each named field (0 = as written, most often)."""
    columns = {}
    for name in names:
        plain = rng.random(rows) < 0.55
        columns[name] = np.where(plain, 0, rng.integers(1, variants, size=rows))
    return pl.DataFrame(columns)
