"""How a vectorized normalizer hands its unusual values to the per-value function.

Every normalizer has a fast path written as polars column expressions (Rust, no Python per
row) that accepts only values it is sure about, and a per-value function that is the
reference. Values the fast path leaves empty are given to the per-value function, so the
vectorized form equals mapping the per-value function over the column by construction as
long as the fast path never accepts what the reference would treat differently (tested).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import polars as pl

# Dashes and spaces people type between digits: ASCII and Unicode hyphens, the minus sign,
# the katakana prolonged sound mark that IMEs produce for "-", and full-width brackets
# (NFKC has already folded the full-width forms of ASCII characters).
SEPARATORS = r"[\s\-‐‑‒–—―−ーｰ─━()（）.・]"


NFKC_UNSTABLE = (
    r"[^\x00-\x7f\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff\u3001\u3002\u3005\u3006\u300c\u300d\u30fb]"
)


def nfkc(text: str) -> str:
    """Return the NFKC form of a text, trimmed (full-width digits and letters become ASCII)."""
    return unicodedata.normalize("NFKC", text).strip()


def nfkc_series(raw: pl.Series) -> pl.Series:
    """Return the NFKC form of a string column, trimmed.

    Most cells are already in NFKC form (ASCII, hiragana, full-width katakana, CJK unified
    ideographs have no compatibility decomposition), so only cells with another character
    (full-width ASCII, half-width kana, ㈱, compatibility ideographs, U+3000) are normalized.
    """
    text = raw.cast(pl.String)
    wide = text.str.contains(NFKC_UNSTABLE).fill_null(False)
    if wide.any():
        where = wide.arg_true()
        text = text.scatter(where, text.gather(where).str.normalize("NFKC"))
    return text.str.strip_chars()


def fill_unusual(
    raw: pl.Series,
    fast: pl.Series,
    per_value: Callable[[str], Any],
    candidates: Callable[[pl.Series], pl.Series] | None = None,
) -> pl.Series:
    """Give every value the fast path left empty (and that is not blank) to `per_value`.

    `candidates` (run on those values only) narrows them to the ones the reference could
    possibly accept (the reference applies the same gate), so junk costs no Python call.
    """
    text = raw.cast(pl.String)
    pending = fast.is_null() & text.is_not_null() & (text.str.strip_chars() != "")
    if not pending.any():
        return fast
    where = pending.arg_true()
    if candidates is not None:
        where = where.filter(candidates(text.gather(where)).fill_null(False))
        if where.is_empty():
            return fast
    values = [per_value(v) for v in text.gather(where).to_list()]
    return fast.scatter(where, pl.Series(values, dtype=fast.dtype))
