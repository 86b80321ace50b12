"""Classify columns by their values: which kind of personal data each one holds, and how much.

A kind is given when at least half of the non-empty cells match it; the share reported is
matched cells over all rows. Individual Numbers are recognized only with a valid check digit
(MYNUM-CD): twelve-digit order numbers pass it by chance one time in ten, so a column of them
is not taken for My Numbers — but a column of twelve-digit values that mostly fail the check
is flagged `my_number_check_digit_mismatch`: not a My Number, still worth a look.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import polars as pl

from mamori.domain.identifiers import is_card_number, is_my_number
from mamori.domain.intake import ColumnFinding, PiiKind
from mamori.lake.normalize import (
    normalize_email_series,
    normalize_kana_series,
    normalize_phone_series,
    parse_date_series,
)
from mamori.lake.normalize._vector import nfkc_series

THRESHOLD = 0.5
_PREFECTURE = r"^(東京都|北海道|(?:京都|大阪)府|[^\s]{2,3}県)"
_ADDRESS = _PREFECTURE + r"|^[^\s]{1,6}[市区町村].*[0-9０-９一二三四五六七八九十丁目番地号-]"
_UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_TOKEN = r"^[A-Za-z0-9_.:-]{0,8}[0-9a-f]{16,64}$"
_IPV4 = r"^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$"
_IPV6 = r"^[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*$"


@cache
def _surnames() -> pl.Series:
    from mamori.lake.synth.ingredients import names

    return names().surnames["family_name"]


@cache
def _postal_codes() -> pl.Series:
    from mamori.lake.synth.ingredients import addresses

    return addresses().table["postal_code"].unique()


def _digits(text: pl.Series) -> pl.Series:
    return text.str.replace_all(r"[\s\-]", "")


def _matches(text: pl.Series, today: date) -> dict[PiiKind, pl.Series]:
    """Return, per kind, a boolean per cell."""
    digits = _digits(text)
    twelve = digits.str.contains(r"^[0-9]{12}$")
    card_shape = digits.str.contains(r"^[0-9]{13,19}$")
    postal = text.str.replace(r"^〒\s*", "").str.replace_all(r"[\s\-ー]", "")
    parsed = parse_date_series(text, today=today)
    first_token = text.str.split(" ").list.first()
    surnames = _surnames().implode()
    name_like = first_token.is_in(surnames)
    for width in (1, 2, 3):  # a name written without a space: a known surname, then the given name
        name_like = name_like | text.str.slice(0, width).is_in(surnames)
    kana_name = normalize_kana_series(text).is_not_null() & text.str.contains(r"\s")
    return {
        PiiKind.EMAIL: normalize_email_series(text).is_not_null(),
        PiiKind.PHONE: normalize_phone_series(text).is_not_null() & ~twelve & ~card_shape,
        PiiKind.POSTAL_CODE: postal.str.contains(r"^[0-9]{7}$") & postal.is_in(_postal_codes().implode()),
        PiiKind.ADDRESS: text.str.contains(_ADDRESS),
        PiiKind.PERSON_NAME: (name_like & text.str.contains(r"^[^\s0-9@]{2,12}(\s[^\s0-9@]{1,8})?$"))
        | kana_name,
        # Dates of birth lie at least a year back; purchase dates are recent.
        PiiKind.BIRTH_DATE: parsed.is_not_null()
        & (parsed < date(today.year - 1, 1, 1))
        & (parsed > date(1890, 1, 1)),
        PiiKind.MY_NUMBER: twelve & digits.map_elements(is_my_number, return_dtype=pl.Boolean),
        PiiKind.CARD_NUMBER: card_shape & digits.map_elements(is_card_number, return_dtype=pl.Boolean),
        PiiKind.IP_ADDRESS: text.str.contains(_IPV4) | text.str.contains(_IPV6),
        PiiKind.DEVICE_ID: text.str.contains(_UUID) | text.str.contains(_TOKEN),
    }


def scan_column(name: str, raw: pl.Series, today: date) -> ColumnFinding:
    """Classify one column from its values."""
    rows = len(raw)
    text = nfkc_series(raw.cast(pl.String))
    text = text.filter(text.is_not_null() & (text != ""))
    if rows == 0 or len(text) == 0:
        return ColumnFinding(name, (), 0.0)
    matched = {kind: int(mask.fill_null(False).sum()) for kind, mask in _matches(text, today).items()}
    kinds = sorted((k for k, n in matched.items() if n >= THRESHOLD * len(text)), key=lambda k: -matched[k])
    # A my_number or card match explains the digits better than a phone or date reading of them.
    if PiiKind.MY_NUMBER in kinds or PiiKind.CARD_NUMBER in kinds:
        kinds = [k for k in kinds if k in {PiiKind.MY_NUMBER, PiiKind.CARD_NUMBER}]
    flags: list[str] = []
    twelve = int(_digits(text).str.contains(r"^[0-9]{12}$").sum())
    if twelve >= THRESHOLD * len(text) and PiiKind.MY_NUMBER not in kinds:
        flags.append("my_number_check_digit_mismatch")
    share = round(max((matched[k] for k in kinds), default=0) / rows, 4)
    return ColumnFinding(name, tuple(kinds), share, tuple(flags))


def scan_frame(frame: pl.DataFrame, today: date, columns: list[str] | None = None) -> list[ColumnFinding]:
    """Classify every (or the named) column of a frame of raw text."""
    return [scan_column(c, frame[c], today) for c in (columns or frame.columns)]


def finding_json(finding: ColumnFinding) -> dict[str, object]:
    """Return the `mamori scan --json` entry of a column."""
    entry: dict[str, object] = {
        "name": finding.name,
        "kinds": [k.value for k in finding.kinds],
        "share": finding.share,
    }
    if finding.flags:
        entry["flags"] = list(finding.flags)
    return entry
