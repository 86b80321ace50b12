"""Postal codes (郵便番号) and yen amounts as people write them.

Hand-written (a regex, not a library): both formats are a handful of characters and no
maintained library covers the Japanese spellings (〒, full-width digits, 円, ▲ for minus).
"""

from __future__ import annotations

import re

import polars as pl

from mamori.lake.normalize._vector import SEPARATORS, fill_unusual, nfkc, nfkc_series

_POSTAL = r"^〒?\s*([0-9]{3})" + SEPARATORS + r"?([0-9]{4})$"
# Accounting notation writes a negative amount with ▲ or △ (a refund or a correction).
_YEN = r"^([-−▲△]?)\s*[¥\\]?\s*([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)\s*(?:円|JPY)?$"
_POSTAL_RE = re.compile(_POSTAL)
_YEN_RE = re.compile(_YEN, re.IGNORECASE)
_INT64_DIGITS = 18  # more digits than this cannot be a yen amount mamori stores in int64


def normalize_postal(text: str | int | None) -> str | None:
    """Return a postal code as 7 digits (〒100-0001, １００－０００１ → 1000001), else None."""
    if text is None:
        return None
    found = _POSTAL_RE.match(nfkc(str(text)))
    return found.group(1) + found.group(2) if found else None


def parse_yen(text: str | int | None) -> int | None:
    """Return a whole-yen amount (¥1,280 / １２８０円 / ▲500 → -500), else None."""
    if text is None:
        return None
    if isinstance(text, int):
        return text
    found = _YEN_RE.match(nfkc(str(text)))
    if not found:
        return None
    digits = found.group(2).replace(",", "")
    if len(digits) > _INT64_DIGITS:
        return None
    return -int(digits) if found.group(1) else int(digits)


def normalize_postal_series(raw: pl.Series) -> pl.Series:
    """Vectorized `normalize_postal`."""
    parts = nfkc_series(raw).str.extract_groups(_POSTAL)
    fast = (parts.struct.field("1") + parts.struct.field("2")).alias(raw.name)
    return fill_unusual(raw, fast, normalize_postal, lambda t: nfkc_series(t).str.contains(_POSTAL))


def parse_yen_series(raw: pl.Series) -> pl.Series:
    """Vectorized `parse_yen` (an integer column is taken as it is)."""
    if raw.dtype.is_integer():
        return raw.cast(pl.Int64)
    plain = raw.cast(pl.String).str.strip_chars()
    if plain.str.contains(r"^-?[0-9]{1,18}$").fill_null(True).all():
        return plain.cast(pl.Int64)  # the common case: already a plain integer
    parts = nfkc_series(raw).str.extract_groups("(?i)" + _YEN)
    digits = parts.struct.field("2").str.replace_all(",", "", literal=True)
    amount = digits.cast(pl.Int64, strict=False)
    signed = pl.select(
        pl.when(parts.struct.field("1").str.len_chars() > 0).then(-amount).otherwise(amount)
    ).to_series()
    return fill_unusual(
        raw, signed.alias(raw.name), parse_yen, lambda t: nfkc_series(t).str.contains("(?i)" + _YEN)
    )
