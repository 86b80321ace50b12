"""Dates in Western or Japanese-era notation (和暦) to ISO dates that exist.

An era year is valid only inside its era: 平成 ran from 1989-01-08 to 2019-04-30, so
平成31年5月1日 and 平成45年 do not exist (that day is 令和元年5月1日). Meiji dates before
明治6年1月1日 are lunisolar (Japan adopted the Gregorian calendar on that day) and cannot be
converted by arithmetic, so they are refused rather than silently shifted.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from mamori.lake.normalize._vector import fill_unusual, nfkc, nfkc_series

# era -> (first day, last day); the Western year of era year N is first.year + N - 1.
ERAS: dict[str, tuple[date, date]] = {
    "明治": (date(1873, 1, 1), date(1912, 7, 29)),
    "大正": (date(1912, 7, 30), date(1926, 12, 24)),
    "昭和": (date(1926, 12, 25), date(1989, 1, 7)),
    "平成": (date(1989, 1, 8), date(2019, 4, 30)),
    "令和": (date(2019, 5, 1), date(9999, 12, 31)),
}
_ERA_BASE = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}
_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}

WESTERN = r"^([0-9]{4})(?:[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?|([0-9]{2})([0-9]{2}))$"
ERA = r"^(明治|大正|昭和|平成|令和|[MTSHRmtshr])\.?\s*([0-9]{1,2}|元)\s*[年./-]\s*([0-9]{1,2})\s*[月./-]\s*([0-9]{1,2})\s*日?$"
_WESTERN_RE = re.compile(WESTERN)
_ERA_RE = re.compile(ERA)


def parse_date(text: str | date | None, *, today: date | None = None) -> date | None:
    """Return the date a text names, or None when it does not exist (or lies after `today`).

    Accepts 2022-05-01, 2022/5/1, 2022.5.1, 20220501, 2022年5月1日, 令和4年5月1日, 令和元年,
    R4.5.1, H30/5/1, ㍻30年 and full-width digits.
    """
    if text is None:
        return None
    found = text if isinstance(text, date) else _parse_text(nfkc(str(text)))
    if found is None or (today is not None and found > today):
        return None
    return found


def _parse_text(text: str) -> date | None:
    western = _WESTERN_RE.match(text)
    if western:
        year, month, day, month2, day2 = western.groups()
        return _make(int(year), int(month or month2), int(day or day2))
    era = _ERA_RE.match(text)
    if not era:
        return None
    name, year_text, month, day = era.groups()
    name = _LETTERS.get(name.upper(), name)
    era_year = 1 if year_text == "元" else int(year_text)
    if era_year < 1:
        return None
    found = _make(_ERA_BASE[name] + era_year - 1, int(month), int(day))
    first, last = ERAS[name]
    return found if found is not None and first <= found <= last else None


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date_series(raw: pl.Series, *, today: date | None = None) -> pl.Series:
    """Vectorized `parse_date` over a string column (polars; unusual values per value)."""
    if raw.dtype == pl.Date:
        found = raw
    else:
        text = nfkc_series(raw)
        # ISO dates take polars' fixed-format parser; every other spelling the regexes below.
        found = text.str.to_date("%Y-%m-%d", strict=False)
        pending = found.is_null() & text.is_not_null()
        if pending.any():
            where = pending.arg_true()
            found = found.scatter(where, _parse_spellings(text.gather(where)))
    if today is not None:
        found = pl.select(pl.when(found <= today).then(found).otherwise(None)).to_series()
    # Dates that do not exist stay empty and get a second look from the reference.
    return fill_unusual(
        raw,
        found.alias(raw.name),
        lambda v: parse_date(v, today=today),
        lambda t: nfkc_series(t).str.contains(WESTERN) | nfkc_series(t).str.contains(ERA),
    )


def _parse_spellings(text: pl.Series) -> pl.Series:
    """Parse slashes, dots, 年月日, compact and era spellings (text is already NFKC)."""
    frame = pl.DataFrame({"t": text})
    western = pl.col("t").str.extract_groups(WESTERN)
    era = pl.col("t").str.extract_groups(ERA)
    letters = {**_LETTERS, **{k.lower(): v for k, v in _LETTERS.items()}}
    parts = frame.select(
        western.struct.field("1").alias("wy"),
        pl.coalesce(western.struct.field("2"), western.struct.field("4")).alias("wm"),
        pl.coalesce(western.struct.field("3"), western.struct.field("5")).alias("wd"),
        era.struct.field("1").replace(letters).alias("era"),
        era.struct.field("2").replace({"元": "1"}).cast(pl.Int32, strict=False).alias("ey"),
        era.struct.field("3").alias("em"),
        era.struct.field("4").alias("ed"),
    )
    base = pl.col("era").replace_strict(_ERA_BASE, default=None, return_dtype=pl.Int32)
    first = pl.col("era").replace_strict({k: v[0] for k, v in ERAS.items()}, default=None)
    last = pl.col("era").replace_strict({k: v[1] for k, v in ERAS.items()}, default=None)

    def iso(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
        text = pl.format("{}-{}-{}", year.cast(pl.String).str.zfill(4), month.str.zfill(2), day.str.zfill(2))
        return text.str.to_date("%Y-%m-%d", strict=False)

    era_date = iso(base + pl.col("ey") - 1, pl.col("em"), pl.col("ed"))
    return parts.select(
        pl.when(pl.col("wy").is_not_null())
        .then(iso(pl.col("wy").cast(pl.Int32), pl.col("wm"), pl.col("wd")))
        .when((pl.col("ey") >= 1) & era_date.is_between(first, last))
        .then(era_date)
        .otherwise(None)
        .alias("d")
    ).to_series()
