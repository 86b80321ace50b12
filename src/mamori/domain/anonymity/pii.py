"""Spot columns that hold names, contact data or individual identification codes.

Used by PPC Rule 34(1)-(2): a column declared to be kept must not carry such values. The
check looks at the column name and a sample of values; it is deliberately cautious (a
false alarm can be overridden with --force, a miss cannot be undone once data is out).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum


class PiiKind(StrEnum):
    """What a column seems to hold."""

    NAME = "name"
    CONTACT = "contact"
    IDENTIFICATION_CODE = "identification_code"  # 個人識別符号 (Art. 2(2))


_NAME_HINTS = {
    PiiKind.IDENTIFICATION_CODE: re.compile(
        r"my_?number|mynumber|個人番号|マイナンバー|passport|旅券|licen[cs]e|免許|insurance_no|保険証|基礎年金",
        re.I,
    ),
    PiiKind.CONTACT: re.compile(r"e-?mail|メール|phone|tel|電話|携帯", re.I),
    PiiKind.NAME: re.compile(r"^(full_?)?name$|氏名|名前|^kana$|フリガナ|first_?name|last_?name", re.I),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^0\d{1,4}-?\d{1,4}-?\d{3,4}$")
_PASSPORT = re.compile(r"^[A-Z]{2}\d{7}$")
_TWELVE = re.compile(r"^\d{12}$")


def my_number_valid(digits: str) -> bool:
    """Check an Individual Number's check digit (MYNUM-CD)."""
    if not _TWELVE.match(digits):
        return False
    body = [int(c) for c in digits[:11]][::-1]  # P1 is the rightmost of the first eleven
    total = sum(p * (n + 1 if n <= 6 else n - 5) for n, p in enumerate(body, start=1))
    r = total % 11
    return int(digits[11]) == (0 if r <= 1 else 11 - r)


def _value_kind(value: str) -> PiiKind | None:
    text = unicodedata.normalize("NFKC", value).strip()
    if _EMAIL.match(text) or _PHONE.match(text):
        return PiiKind.CONTACT
    if _PASSPORT.match(text) or my_number_valid(text.replace("-", "").replace(" ", "")):
        return PiiKind.IDENTIFICATION_CODE
    return None


def scan_column(name: str, sample: Iterable[object]) -> PiiKind | None:
    """Say what a column holds, from its name, else from most of its sampled values."""
    for kind, pattern in _NAME_HINTS.items():
        if pattern.search(name):
            return kind
    values = [str(v) for v in sample if v is not None]
    if not values:
        return None
    kinds = [_value_kind(v) for v in values]
    for kind in (PiiKind.IDENTIFICATION_CODE, PiiKind.CONTACT):
        # Half the values matching is far above chance (1 in 10 random 12-digit strings pass MYNUM-CD).
        if sum(k is kind for k in kinds) * 2 >= len(values):
            return kind
    return None
