"""One check per field type: the normalized value, whether it is present, and which rows fail why."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import date, datetime

import polars as pl

from mamori.domain.identifiers import is_card_number, is_my_number
from mamori.domain.intake import Reason
from mamori.lake.normalize import (
    normalize_email_series,
    normalize_kana_series,
    normalize_phone_series,
    normalize_postal_series,
    parse_date_series,
    parse_yen_series,
)
from mamori.lake.normalize._vector import fill_unusual, nfkc_series
from mamori.lake.normalize.timestamps import parse_timestamp_series

# Longest plausible value per type; beyond it the cell is not what its header says.
MAX_CHARS = {"id": 128, "name": 200, "kana": 200, "address": 500, "text": 10_000}
_GENDERS = {
    "f": "F", "female": "F", "女": "F", "女性": "F", "2": "F", "w": "F",
    "m": "M", "male": "M", "男": "M", "男性": "M", "1": "M",
    "x": "X", "other": "X", "その他": "X", "9": "X", "0": "U", "不明": "U", "回答しない": "U",
}  # fmt: skip  # 1/2/9/0: JIS X 0303 codes
_IPV4 = r"^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$"


@dataclass
class FieldCheck:
    """The outcome of checking one column."""

    value: pl.Series
    present: pl.Series  # the cell holds something (blank cells are simply missing)
    failures: list[tuple[Reason, pl.Series]] = field(default_factory=list)
    extras: dict[str, pl.Series] = field(default_factory=dict)


def check_field(raw: pl.Series, kind: str, today: date, now: datetime, provider_rules: bool) -> FieldCheck:
    """Normalize and validate one raw text column as a field of type `kind`."""
    stripped = raw.cast(pl.String).str.strip_chars()
    present = (stripped.is_not_null() & (stripped != "")).fill_null(False)
    blank_to_null = pl.select(pl.when(present).then(stripped)).to_series()
    failures: list[tuple[Reason, pl.Series]] = []
    limit = MAX_CHARS.get(kind, MAX_CHARS["text"])
    too_long = (blank_to_null.str.len_chars() > limit).fill_null(False)
    if too_long.any():
        failures.append((Reason.FIELD_TOO_LONG, too_long))

    def invalid(value: pl.Series, reason: Reason) -> FieldCheck:
        failures.append((reason, present & value.is_null() & ~too_long))
        return FieldCheck(value, present, failures)

    if kind == "id":
        value = nfkc_series(blank_to_null)
        failures.append((Reason.MISSING_ID, ~present))
        return FieldCheck(value, present, failures)
    if kind == "name":
        normalized = nfkc_series(blank_to_null).str.replace_all(r"\s+", " ")
        return FieldCheck(blank_to_null, present, failures, {"normalized": normalized})
    if kind == "kana":
        # Not a validation rule: a reading that is not kana is replaced by an inferred one.
        return FieldCheck(normalize_kana_series(blank_to_null), present, failures, {"written": blank_to_null})
    if kind == "address":
        return FieldCheck(nfkc_series(blank_to_null), present, failures)
    if kind == "date":
        parsed = parse_date_series(blank_to_null)
        future = (parsed > today).fill_null(False)
        failures.append((Reason.FUTURE_DATE, future))
        return _with(invalid(parsed, Reason.INVALID_DATE), future)
    if kind == "timestamp":
        parsed = parse_timestamp_series(blank_to_null)
        future = (parsed > now).fill_null(False)
        failures.append((Reason.FUTURE_DATE, future))
        return _with(invalid(parsed, Reason.INVALID_TIMESTAMP), future)
    if kind == "phone":
        return invalid(normalize_phone_series(blank_to_null), Reason.INVALID_PHONE)
    if kind == "email":
        return invalid(
            normalize_email_series(blank_to_null, provider_rules=provider_rules), Reason.INVALID_EMAIL
        )
    if kind == "postal":
        return invalid(normalize_postal_series(blank_to_null), Reason.INVALID_POSTAL)
    if kind in {"yen", "integer"}:
        return invalid(parse_yen_series(blank_to_null), Reason.INVALID_AMOUNT)
    if kind == "gender":
        mapped = nfkc_series(blank_to_null).str.to_lowercase().replace_strict(_GENDERS, default=None)
        return invalid(mapped, Reason.INVALID_GENDER)
    if kind == "ip":
        return invalid(_ip(blank_to_null), Reason.INVALID_IP)
    if kind == "my_number":
        digits = nfkc_series(blank_to_null).str.replace_all(r"[\s-]", "")
        ok = digits.map_elements(is_my_number, return_dtype=pl.Boolean)
        return invalid(pl.select(pl.when(ok).then(digits)).to_series(), Reason.INVALID_MY_NUMBER)
    if kind == "card_number":
        digits = nfkc_series(blank_to_null).str.replace_all(r"[\s-]", "")
        ok = digits.map_elements(is_card_number, return_dtype=pl.Boolean)
        return invalid(pl.select(pl.when(ok).then(digits)).to_series(), Reason.INVALID_CARD_NUMBER)
    return FieldCheck(blank_to_null, present, failures)  # text, device


def _with(check: FieldCheck, future: pl.Series) -> FieldCheck:
    # A future date parsed fine; it is quarantined as future_date and not kept as a value.
    check.value = pl.select(pl.when(~future).then(check.value)).to_series().alias(check.value.name)
    return check


def _ip(text: pl.Series) -> pl.Series:
    fast = pl.select(pl.when(text.str.contains(_IPV4)).then(text)).to_series()

    def per_value(value: str) -> str | None:
        try:
            return str(ipaddress.ip_address(value.strip()))
        except ValueError:
            return None

    return fill_unusual(text, fast, per_value)
