"""Partner shops and the purchase histories members leave there.

Amounts follow a log-normal per industry (most baskets are small, a few are large), and
most purchases happen in the member's own prefecture; a fifth are online or while away.
"""

from __future__ import annotations

from datetime import date, datetime, time

import numpy as np
import numpy.typing as npt
import polars as pl

from mamori.lake.synth.ingredients import PREFECTURES, prefecture_weights
from mamori.lake.synth.people import ids

# industry -> (label, item categories, median yen, spread of log amount)
INDUSTRIES: dict[str, tuple[str, tuple[str, ...], float, float]] = {
    "supermarket": ("スーパー", ("food", "beverage", "household"), 2200.0, 0.7),
    "convenience": ("コンビニ", ("food", "beverage", "tobacco"), 650.0, 0.6),
    "drugstore": ("ドラッグストア", ("medicine", "cosmetics", "household"), 1800.0, 0.8),
    "restaurant": ("レストラン", ("dining",), 2500.0, 0.6),
    "apparel": ("アパレル", ("clothing", "shoes"), 6500.0, 0.8),
    "electronics": ("家電", ("appliance", "computer", "phone"), 18000.0, 1.1),
    "books": ("書店", ("books", "stationery"), 1500.0, 0.6),
    "fuel": ("ガソリンスタンド", ("fuel",), 4500.0, 0.4),
    "travel": ("旅行", ("hotel", "transport"), 28000.0, 0.9),
}
CHANNELS = ["store", "online", "app"]


def shops_frame(rng: np.random.Generator, count: int) -> pl.DataFrame:
    """Sample partner shops over industries and prefectures (by population)."""
    industry = rng.choice(
        len(INDUSTRIES), size=count, p=[0.2, 0.25, 0.12, 0.15, 0.08, 0.05, 0.05, 0.06, 0.04]
    )
    pref = rng.choice(len(PREFECTURES), size=count, p=prefecture_weights())
    keys = list(INDUSTRIES)
    return pl.DataFrame(
        {
            "shop_id": ids("S", 0, count, 6),
            "industry": pl.Series(keys).gather(industry),
            "prefecture": pl.Series([p[0] for p in PREFECTURES]).gather(pref),
            "pref_index": pref,
        }
    ).with_columns(
        name=pl.format(
            "{}{}{}号店",
            pl.col("prefecture"),
            pl.col("industry").replace_strict({k: v[0] for k, v in INDUSTRIES.items()}),
            pl.int_range(pl.len()) + 1,
        )
    )


def transactions_frame(
    rng: np.random.Generator,
    count: int,
    members: pl.DataFrame,
    shops: pl.DataFrame,
    start: date,
    end: date,
) -> pl.DataFrame:
    """Sample purchases: member, shop, timestamp (JST), item category, amount in yen, channel."""
    # Activity is skewed: a log-normal weight per member, so a few members buy a lot.
    weight = rng.lognormal(0.0, 1.0, size=members.height)
    member = rng.choice(members.height, size=count, p=weight / weight.sum())
    member_pref = _prefecture_index(members["prefecture"]).to_numpy()[member]
    shop = _local_shop(rng, member_pref, shops["pref_index"].to_numpy())
    away = rng.random(count) < 0.2
    shop = np.where(away, rng.integers(0, shops.height, size=count), shop)
    industry = shops["industry"].gather(shop)
    spec = [INDUSTRIES[k] for k in INDUSTRIES]
    ind_index = industry.replace_strict({k: i for i, k in enumerate(INDUSTRIES)}).to_numpy()
    medians = np.array([s[2] for s in spec])[ind_index]
    spreads = np.array([s[3] for s in spec])[ind_index]
    amount = np.maximum(np.round(medians * rng.lognormal(0.0, spreads)), 1).astype(np.int64)
    n_cats = np.array([len(s[1]) for s in spec])[ind_index]
    cat_pick = (rng.random(count) * n_cats).astype(np.int64)
    flat = [c for s in spec for c in s[1]]
    offsets = np.r_[0, np.cumsum([len(s[1]) for s in spec])[:-1]]
    seconds = _instants(rng, count, start, end)
    return pl.DataFrame(
        {
            "transaction_id": ids("T", 0, count, 10),
            "member_id": members["person_id"].gather(member),
            "shop_id": shops["shop_id"].gather(shop),
            "purchased_at": pl.Series(seconds),  # JST wall-clock time
            "category": pl.Series(flat).gather(offsets[ind_index] + cat_pick),
            "amount_yen": amount,
            "channel": pl.Series(CHANNELS).gather(rng.choice(3, size=count, p=[0.7, 0.2, 0.1])),
        }
    )


def _prefecture_index(names: pl.Series) -> pl.Series:
    return names.replace_strict({p[0]: i for i, p in enumerate(PREFECTURES)}, return_dtype=pl.Int64)


def _local_shop(
    rng: np.random.Generator, member_pref: npt.NDArray[np.int64], shop_pref: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    order = np.argsort(shop_pref, kind="stable")
    counts = np.bincount(shop_pref, minlength=len(PREFECTURES))
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    have = counts[member_pref] > 0
    pick = starts[member_pref] + (rng.random(len(member_pref)) * counts[member_pref]).astype(np.int64)
    # A prefecture with no partner shop yet (small worlds): any shop.
    anywhere = rng.integers(0, len(shop_pref), size=len(member_pref))
    return np.where(have, order[np.minimum(pick, len(order) - 1)], anywhere)


def _instants(rng: np.random.Generator, count: int, start: date, end: date) -> npt.NDArray[np.datetime64]:
    # Opening hours: purchases between 07:00 and 23:00 JST, uniform over the days.
    days = np.datetime64(start) + rng.integers(0, max((end - start).days, 1), size=count).astype(
        "timedelta64[D]"
    )
    secs = rng.integers(7 * 3600, 23 * 3600, size=count).astype("timedelta64[s]")
    instants: npt.NDArray[np.datetime64] = (days.astype("datetime64[s]") + secs).astype("datetime64[us]")
    return instants


def at_jst(day: date, hour: int = 0) -> datetime:
    """Return an aware JST instant (helper for the world's fixed dates)."""
    from mamori.domain.calendar import JST

    return datetime.combine(day, time(hour), JST)
