"""Members: people in households, spread over Japan like its population.

Everything is sampled column-wise with numpy (one draw per column, not per field per row)
and assembled with polars (string columns are gathered by index, never built in Python),
so a million people take a few seconds.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl

from mamori.lake.normalize.phone import jp_national_pattern
from mamori.lake.synth.ingredients import AGE_BANDS, PREFECTURES, addresses, names, prefecture_weights

# Household sizes (Japan 2020 census shares of private households of 1..5 persons).
_HOUSEHOLD_SIZES = np.array([1, 2, 3, 4, 5])
_HOUSEHOLD_SHARES = np.array([0.38, 0.28, 0.17, 0.12, 0.05])
MAIL_DOMAINS = ["example.com", "example.net", "example.org"]  # reserved names (RFC 2606)
_PREFECTURE_NAMES = pl.Series([p[0] for p in PREFECTURES])


def ids(prefix: str, start: int, count: int, width: int = 8) -> pl.Series:
    """Return ids such as M00000001, ..., vectorized."""
    numbers = pl.Series(np.arange(start, start + count)).cast(pl.String).str.zfill(width)
    return pl.select(pl.lit(prefix) + numbers).to_series()


def households(rng: np.random.Generator, people: int) -> npt.NDArray[np.int64]:
    """Return each person's household number (members of one household are adjacent)."""
    sizes = rng.choice(_HOUSEHOLD_SIZES, size=people, p=_HOUSEHOLD_SHARES)
    return np.repeat(np.arange(people), sizes)[:people]


def ages(rng: np.random.Generator, count: int) -> npt.NDArray[np.int64]:
    """Sample whole-year ages from Japan's population pyramid (10 and over)."""
    starts = np.array([b[0] for b in AGE_BANDS])
    weights = np.array([b[1] for b in AGE_BANDS], dtype=np.float64)
    band = rng.choice(len(starts), size=count, p=weights / weights.sum())
    return starts[band] + rng.integers(0, 5, size=count)


def people_frame(
    rng: np.random.Generator, count: int, as_of: date, id_prefix: str, id_start: int = 0
) -> pl.DataFrame:
    """Sample `count` people with households, names, birth dates, addresses, phones and emails."""
    book, places = names(), addresses()
    house = households(rng, count)
    head = np.r_[True, house[1:] != house[:-1]]
    houses = int(house.max()) + 1
    # Per household: surname, prefecture, address area, street number, landline.
    h_surname = rng.choice(book.surnames.height, size=houses, p=book.surname_weight)
    h_pref = rng.choice(len(PREFECTURES), size=houses, p=prefecture_weights())
    h_area = _area_in_prefecture(rng, h_pref, places.prefecture)
    h_landline = _landlines(rng, h_pref)
    # Not every exchange number exists in the numbering plan: such households have no landline.
    h_landline_ok = h_landline.str.replace_all("-", "").str.slice(1).str.contains(jp_national_pattern())
    h_has_landline = (rng.random(houses) < 0.45) & h_landline_ok.to_numpy()

    age = ages(rng, count)
    age[head] = np.maximum(age[head], 25)  # a household is headed by an adult
    days_old = (age * 365.25 + rng.integers(0, 365, size=count)).astype("timedelta64[D]")
    birth = (np.datetime64(as_of) - days_old).astype("datetime64[D]")
    # A few people married into another surname; most share their household's.
    other = rng.choice(book.surnames.height, size=count, p=book.surname_weight)
    surname = np.where(rng.random(count) < 0.05, other, h_surname[house])
    female = rng.random(count) < 0.5
    given = pl.concat(
        [
            book.given["F"].gather(rng.integers(0, book.given["F"].height, size=count)),
            book.given["M"].gather(rng.integers(0, book.given["M"].height, size=count)),
        ]
    )
    given = given.gather(np.where(female, np.arange(count), np.arange(count) + count))
    area = places.table.gather(h_area[house])
    street = rng.integers(1, [6, 31, 21], size=(houses, 3))[house]
    frame = pl.concat(
        [
            pl.DataFrame({"person_id": ids(id_prefix, id_start, count), "household": house + id_start}),
            book.surnames.gather(surname),
            given,
            area,
            pl.DataFrame(
                {
                    "gender": np.where(female, "F", "M"),
                    "birth_date": pl.Series(birth).cast(pl.Date),
                    "prefecture": _PREFECTURE_NAMES.gather(h_pref[house]),
                    "s1": street[:, 0],
                    "s2": street[:, 1],
                    "s3": street[:, 2],
                    "mobile_n": _mobiles(rng, count),
                    "has_mobile": rng.random(count) < np.where(age < 18, 0.5, 0.92),
                    "landline_n": h_landline.gather(house),
                    "has_landline": h_has_landline[house],
                    "mail_n": rng.integers(1, 1000, size=count),
                    "mail_domain": pl.Series(MAIL_DOMAINS).gather(rng.integers(0, 3, size=count)),
                    "has_email": rng.random(count) < np.where(age < 15, 0.3, 0.85),
                    "head": head,
                }
            ),
        ],
        how="horizontal",
    )
    return (
        frame.with_columns(
            mobile=pl.when("has_mobile").then("mobile_n"),
            landline=pl.when("has_landline").then("landline_n"),
            street=pl.format("{}-{}-{}", "s1", "s2", "s3"),
            name=pl.col("family_name") + " " + pl.col("given_name"),
            name_kana=pl.col("family_kana") + " " + pl.col("given_kana"),
            email=pl.when("has_email").then(
                pl.format("{}.{}{}@{}", "given_romaji", "family_romaji", "mail_n", "mail_domain")
            ),
        )
        .with_columns(
            phone=pl.coalesce("mobile", "landline"),
            address=pl.concat_str("prefecture", "city", "town", "street"),
        )
        .drop(
            "mobile_n",
            "has_mobile",
            "landline_n",
            "has_landline",
            "s1",
            "s2",
            "s3",
            "mail_n",
            "mail_domain",
            "has_email",
        )
    )


def _area_in_prefecture(
    rng: np.random.Generator, prefecture: npt.NDArray[np.int64], area_prefecture: npt.NDArray[np.int16]
) -> npt.NDArray[np.int64]:
    # Index the postal areas per prefecture and pick uniformly within the person's one.
    order = np.argsort(area_prefecture, kind="stable")
    counts = np.bincount(area_prefecture, minlength=len(PREFECTURES))
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    pick = starts[prefecture] + (rng.random(len(prefecture)) * counts[prefecture]).astype(np.int64)
    chosen: npt.NDArray[np.int64] = order[pick]
    return chosen


def _mobiles(rng: np.random.Generator, count: int) -> pl.Series:
    head = rng.choice(np.array([90, 80, 70]), size=count, p=[0.5, 0.35, 0.15])
    middle = rng.integers(1000, 10000, size=count)  # 090-[1-9]xxx: the valid mobile ranges
    frame = pl.DataFrame({"h": head, "m": middle, "t": rng.integers(0, 10000, size=count)})
    return frame.select(
        pl.format("0{}-{}-{}", "h", "m", pl.col("t").cast(pl.String).str.zfill(4))
    ).to_series()


def _landlines(rng: np.random.Generator, prefecture: npt.NDArray[np.int64]) -> pl.Series:
    # A landline has nine digits after the leading 0: area code, local exchange, subscriber.
    codes = [p[2] for p in PREFECTURES]
    local_len = np.array([10 - len(c) - 4 for c in codes])[prefecture]
    low = 10 ** (local_len - 1)
    local = rng.integers(2, 10, size=len(prefecture)) * low + (rng.random(len(prefecture)) * low).astype(
        np.int64
    )
    frame = pl.DataFrame(
        {
            "a": pl.Series(codes).gather(prefecture),
            "l": local,
            "s": rng.integers(0, 10000, size=len(prefecture)),
        }
    )
    return frame.select(pl.format("{}-{}-{}", "a", "l", pl.col("s").cast(pl.String).str.zfill(4))).to_series()


def days_after(rng: np.random.Generator, start: date, end: date, count: int) -> npt.NDArray[np.datetime64]:
    """Return `count` uniform dates in [start, end)."""
    span = max((end - start).days, 1)
    return np.datetime64(start) + rng.integers(0, span, size=count).astype("timedelta64[D]")
