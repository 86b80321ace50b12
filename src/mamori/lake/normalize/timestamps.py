"""Timestamps as partner systems write them, to UTC instants (naive ones read as JST).

Japan's legal calendar is JST (+09:00, no daylight saving since 1951), so a timestamp
without an offset is read as JST, never as the server's local time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl

from mamori.lake.normalize._vector import nfkc_series

TIMESTAMP = (
    r"^([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})[T ]([0-9]{1,2}):([0-9]{2})"
    r"(?::([0-9]{2})(?:\.([0-9]{1,6})[0-9]*)?)?\s*(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?$"
)


def parse_timestamp_series(raw: pl.Series, *, now: datetime | None = None) -> pl.Series:
    """Return UTC instants; null for text that is not a timestamp or lies after `now`."""
    if raw.dtype == pl.Datetime:
        zoned = raw if raw.dtype.time_zone else raw.dt.replace_time_zone("Asia/Tokyo")  # type: ignore[attr-defined]
        parsed = zoned.dt.convert_time_zone("UTC")
    else:
        text = nfkc_series(raw)
        # The common spellings (ISO 8601 in JST or UTC) take polars' fast fixed-format parser;
        # every other spelling goes through the regex below.
        naive = text.str.slice(0, 19).str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False, time_unit="us")
        suffix = text.str.slice(19)
        parsed = pl.select(
            pl.when(suffix == "+09:00").then(naive - timedelta(hours=9))
            .when(suffix.is_in(["Z", "+00:00"])).then(naive)
            .otherwise(None)
        ).to_series().dt.replace_time_zone("UTC")  # fmt: skip
        pending = parsed.is_null() & text.is_not_null()
        if pending.any():
            where = pending.arg_true()
            parsed = parsed.scatter(where, _parse_unusual(text.gather(where)))
    if now is not None:
        limit = now.astimezone(UTC)
        parsed = pl.select(pl.when(parsed <= limit).then(parsed)).to_series()
    return parsed.alias(raw.name)


def _parse_unusual(text: pl.Series) -> pl.Series:
    """Parse the other spellings (space, slashes, no seconds, fractions, Z, +0900, none = JST)."""
    g = text.str.extract_groups(TIMESTAMP)

    def part(n: int, width: int, default: str = "0") -> pl.Expr:
        return pl.coalesce(g.struct.field(str(n)), pl.lit(default)).str.zfill(width)

    offset = g.struct.field("8")
    canonical_offset = (
        pl.when(offset.is_null()).then(pl.lit("+09:00"))
        .when(offset == "Z").then(pl.lit("+00:00"))
        .otherwise(offset.str.slice(0, 3) + ":" + pl.coalesce(offset.str.replace(r"^[+-][0-9]{2}:?", "").str.zfill(2).replace("", "00"), pl.lit("00")))
    )  # fmt: skip
    canonical = pl.format(
        "{}-{}-{}T{}:{}:{}.{}{}",
        part(1, 4), part(2, 2), part(3, 2), part(4, 2), part(5, 2), part(6, 2),
        pl.coalesce(g.struct.field("7"), pl.lit("0")).str.pad_end(6, "0"), canonical_offset,
    )  # fmt: skip
    return pl.select(
        canonical.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%:z", strict=False, time_zone="UTC", time_unit="us")
    ).to_series()
