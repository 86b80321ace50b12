"""Phone numbers to E.164 under Japan's numbering plan (MIC's 電気通信番号計画).

The reference is Google's libphonenumber (the `phonenumbers` port): it knows every
Japanese area code, mobile, IP-phone (050), toll-free (0120/0800) and other ranges. The
vectorized form reuses that library's own JP patterns as one regular expression, so the
fast path and the reference share a single source of truth for which numbers exist.
"""

from __future__ import annotations

import re
from functools import cache

import phonenumbers
import polars as pl

from mamori.lake.normalize._vector import SEPARATORS, fill_unusual, nfkc, nfkc_series

_DIAL_SEPARATORS = re.compile(SEPARATORS)
# What a phone cell may contain: digits, separators, +, an extension mark. Anything else
# ("TEL:", a name) is not a phone number, even where libphonenumber could dig one out.
PLAUSIBLE = r"(?i)^[0-9+#\s\-‐‑‒–—―−ーｰ─━()（）.・]*(?:(?:内線|ext\.?|x)\s*[0-9]+)?$"
_PLAUSIBLE = re.compile(PLAUSIBLE)
# An extension (内線) is not part of the E.164 number; it is dropped, not refused.
_EXTENSION = re.compile(r"\s*(?:内線|ext\.?|x)\s*[0-9]+$", re.IGNORECASE)
# Number types libphonenumber treats as valid in Japan (fixed line ... UAN); "general_desc"
# only bounds lengths, so it is not part of the union.
_JP_TYPES = ("fixed_line", "mobile", "toll_free", "voip", "premium_rate", "personal_number", "pager", "uan")


@cache
def jp_national_pattern() -> str:
    """Return libphonenumber's JP national-number patterns as one anchored regex (ASCII digits)."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region("JP")
    assert meta is not None  # JP ships with the library
    parts = []
    for name in _JP_TYPES:
        desc = getattr(meta, name)
        if desc is not None and desc.national_number_pattern:
            parts.append(f"(?:{desc.national_number_pattern})")
    # \d is Unicode-aware in both Python and Rust regex; the input is ASCII after NFKC.
    return "^(?:" + "|".join(parts).replace(r"\d", "[0-9]") + ")$"


def normalize_phone(text: str | None) -> str | None:
    """Return a phone number in E.164 (+81...), or None when it is not a valid number.

    Accepts the spellings found in Japanese files: 03-1234-5678, (03)1234-5678,
    +81 3 1234 5678, +81 (0)3..., full-width digits, 090ー1234ー5678 (long-vowel mark typed as
    a dash), and numbers whose leading 0 a spreadsheet dropped. Foreign numbers written with
    their country code are kept.
    """
    if text is None:
        return None
    text = nfkc(str(text))
    if not _PLAUSIBLE.match(text) or not 7 <= sum(c.isdigit() for c in text) <= 20:
        return None
    cleaned = _DIAL_SEPARATORS.sub(" ", _EXTENSION.sub("", text)).strip()
    try:
        number = phonenumbers.parse(cleaned, "JP")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_number(text: pl.Series) -> pl.Series:
    """Return the national significant number of a clean domestic spelling, else null."""
    digits = text.str.replace_all(SEPARATORS, "")
    return pl.select(
        pl.when(digits.str.contains(r"^0[1-9][0-9]{8,9}$"))
        .then(digits.str.slice(1))
        .when(digits.str.contains(r"^\+81[1-9][0-9]{8,9}$"))
        .then(digits.str.slice(3))
        .when(digits.str.contains(r"^\+810[1-9][0-9]{8,9}$"))
        .then(digits.str.slice(4))
        .otherwise(None)
    ).to_series()


def normalize_phone_series(raw: pl.Series) -> pl.Series:
    """Vectorized `normalize_phone`: domestic spellings in polars, the unusual rest per value.

    A clean domestic spelling is judged by libphonenumber's own JP patterns (valid or not,
    no Python call); only other spellings (foreign numbers, extensions, a dropped leading
    0) go to the reference one by one.
    """
    text = nfkc_series(raw)
    national = national_number(text)
    valid = national.str.contains(jp_national_pattern())
    fast = pl.select(pl.when(valid).then(pl.lit("+81") + national).otherwise(None)).to_series()

    def candidates(subset: pl.Series) -> pl.Series:
        clean = nfkc_series(subset)
        count = clean.str.count_matches("[0-9]")
        plausible = clean.str.contains(PLAUSIBLE) & (count >= 7) & (count <= 20)
        return plausible & national_number(clean).is_null()

    return fill_unusual(raw, fast.alias(raw.name), normalize_phone, candidates)
