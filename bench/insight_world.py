"""A benchmark-sized clean-room world written straight to Parquet (members, purchases, consent snapshot).

`mamori synth` writes CSV with names, addresses and client files; for 50M purchases the
benchmarks only need the columns the insight engine reads, so this writes them with numpy in
chunks (same columns, Japan's prefecture weights from the synth ingredients).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from mamori.lake.synth.ingredients import PREFECTURES, prefecture_weights

CATEGORIES = ("food", "beverage", "household", "tobacco", "medicine", "cosmetics", "dining", "clothing", "shoes",
              "appliance", "computer", "phone", "books", "stationery", "fuel", "hotel", "transport")  # fmt: skip
BITS = {"point_service": 0, "analysis": 1, "lifestyle_profiling": 2}
CHUNK = 5_000_000


def build(folder: Path, members: int, per_member: int, seed: int = 11) -> Path:
    """Write members/transactions/shops/snapshot Parquet into `folder` (kept between runs)."""
    done = folder / "DONE"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    ids = pa.array([f"M{i:08d}" for i in range(members)])
    age = rng.integers(0, 90, members)
    birth = np.datetime64("2026-11-01") - (age * 365.25 + rng.integers(0, 365, members)).astype(
        "timedelta64[D]"
    )
    prefs = pa.array([p[0] for p in PREFECTURES])
    pref = rng.choice(len(PREFECTURES), members, p=prefecture_weights())
    pq.write_table(
        pa.table({
            "member_id": ids,
            "birth_date": pa.array(birth.astype("datetime64[D]")),
            "gender": pa.array(np.where(rng.random(members) < 0.5, "F", "M")),
            "prefecture": prefs.take(pa.array(pref)),
        }),
        folder / "members.parquet",
    )  # fmt: skip
    shops = 2000
    pq.write_table(
        pa.table({"shop_id": pa.array([f"S{i:06d}" for i in range(shops)]),
                  "prefecture": prefs.take(pa.array(rng.choice(len(PREFECTURES), shops, p=prefecture_weights())))}),
        folder / "shops.parquet",
    )  # fmt: skip
    cats = pa.array(list(CATEGORIES))
    channels = pa.array(["store", "online", "app"])
    total = members * per_member
    schema = pa.schema([("transaction_id", pa.int64()), ("member_id", pa.string()), ("shop_id", pa.string()),
                        ("purchased_at", pa.timestamp("us")), ("category", pa.string()),
                        ("amount_yen", pa.int64()), ("channel", pa.string())])  # fmt: skip
    shop_ids = pa.array([f"S{i:06d}" for i in range(shops)])
    with pq.ParquetWriter(folder / "transactions.parquet", schema) as writer:
        for start in range(0, total, CHUNK):
            n = min(CHUNK, total - start)
            who = rng.integers(0, members, n)
            # Each member leans to a few categories: category = (member + a small skewed step) mod 17.
            category = (who * 7 + rng.geometric(0.35, n)) % len(CATEGORIES)
            at = np.datetime64("2024-11-01T00:00:00") + rng.integers(0, 730 * 86400, n).astype(
                "timedelta64[s]"
            )
            writer.write_table(pa.table({
                "transaction_id": pa.array(np.arange(start, start + n)),
                "member_id": ids.take(pa.array(who)),
                "shop_id": shop_ids.take(pa.array(rng.integers(0, shops, n))),
                "purchased_at": pa.array(at.astype("datetime64[us]")),
                "category": cats.take(pa.array(category)),
                "amount_yen": pa.array(np.round(rng.lognormal(7.3, 0.9, n)).astype(np.int64)),
                "channel": channels.take(pa.array(rng.choice(3, n, p=[0.7, 0.2, 0.1]))),
            }, schema=schema))  # fmt: skip
    granted = (
        np.where(rng.random(members) < 0.97, 1 << BITS["point_service"], 0)
        | np.where(rng.random(members) < 0.85, 1 << BITS["analysis"], 0)
        | np.where(rng.random(members) < 0.5, 1 << BITS["lifestyle_profiling"], 0)
    )
    snapshot = pa.table({"subject_id": ids, "granted_mask": pa.array(granted.astype(np.int64)),
                         "objected_mask": pa.array(np.zeros(members, np.int64))})  # fmt: skip
    snapshot = snapshot.replace_schema_metadata({
        "mamori.position": "1", "mamori.taken_at": "2026-11-01T00:00:00+09:00",
        "mamori.purpose_bits": json.dumps(BITS),
    })  # fmt: skip
    pq.write_table(snapshot, folder / "snapshot.parquet")
    done.write_text(f"{members} members x {per_member}\n")
    return folder
