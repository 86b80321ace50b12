"""Normalization of Japanese contact data: per-value reference functions and vectorized forms.

Per value (the reference, also used for the unusual rows of a column):
`normalize_phone`, `normalize_email`, `normalize_kana`, `kana_reading`, `parse_date`,
`normalize_postal`, `parse_yen`. Vectorized (polars Series in, Series out; the same answers,
tested): the same names with `_series`.
"""

from mamori.lake.normalize.dates import parse_date, parse_date_series
from mamori.lake.normalize.email import normalize_email, normalize_email_series
from mamori.lake.normalize.kana import (
    kana_reading,
    kana_reading_series,
    normalize_kana,
    normalize_kana_series,
)
from mamori.lake.normalize.numbers import (
    normalize_postal,
    normalize_postal_series,
    parse_yen,
    parse_yen_series,
)
from mamori.lake.normalize.phone import normalize_phone, normalize_phone_series

__all__ = [
    "kana_reading",
    "kana_reading_series",
    "normalize_email",
    "normalize_email_series",
    "normalize_kana",
    "normalize_kana_series",
    "normalize_phone",
    "normalize_phone_series",
    "normalize_postal",
    "normalize_postal_series",
    "parse_date",
    "parse_date_series",
    "parse_yen",
    "parse_yen_series",
]
