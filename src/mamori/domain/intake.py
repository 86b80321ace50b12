"""What intake decides about a file: reason codes, PII kinds, and when a file is refused.

Pure: the lake measures (which column looks like what, which row failed which check); this
module says what that means under the law and names the rules.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    """Why a row was quarantined (one code per failed check)."""

    MISSING_ID = "missing_id"
    RAGGED_ROW = "ragged_row"  # field count differs from the header
    INVALID_ENCODING = "invalid_encoding"  # bytes invalid in the file's encoding
    LINE_TOO_LONG = "line_too_long"  # a record beyond the reader's size limit
    MALFORMED_RECORD = "malformed_record"  # unparseable CSV quoting or JSON
    FIELD_TOO_LONG = "field_too_long"
    INVALID_DATE = "invalid_date"  # does not exist (2023-02-29, 平成45年)
    FUTURE_DATE = "future_date"
    INVALID_TIMESTAMP = "invalid_timestamp"
    INVALID_PHONE = "invalid_phone"
    INVALID_POSTAL = "invalid_postal"
    INVALID_EMAIL = "invalid_email"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_GENDER = "invalid_gender"
    INVALID_IP = "invalid_ip"
    INVALID_MY_NUMBER = "invalid_my_number"
    INVALID_CARD_NUMBER = "invalid_card_number"
    NO_USABLE_FIELD = "no_usable_field"  # nothing but the id


class PiiKind(StrEnum):
    """Kinds of personal data `mamori scan` recognizes in a column."""

    EMAIL = "email"
    PHONE = "phone"
    POSTAL_CODE = "postal_code"
    ADDRESS = "address"
    PERSON_NAME = "person_name"
    BIRTH_DATE = "birth_date"
    MY_NUMBER = "my_number"
    CARD_NUMBER = "card_number"
    IP_ADDRESS = "ip_address"
    DEVICE_ID = "device_id"


# Kinds that identify a device or browser rather than a named person: on their own they
# are personal-related information (個人関連情報, Art. 2(7)), governed by APPI-31-1.
PERSONAL_RELATED = frozenset({PiiKind.IP_ADDRESS, PiiKind.DEVICE_ID})

# Header words that announce sensitive personal information (要配慮個人情報, Art. 2(3)):
# race, creed, social status, medical history, criminal record, victimhood, disability,
# health checks, medical guidance, arrests.
SENSITIVE_WORDS = (
    "人種", "信条", "宗教", "社会的身分", "病歴", "病名", "既往", "診断", "診療", "障害", "健康診断",
    "犯罪", "前科", "逮捕", "被害", "race", "religion", "creed", "medical", "diagnosis", "disease",
    "disability", "criminal", "health",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ColumnFinding:
    """What a scan found in one column."""

    name: str
    kinds: tuple[PiiKind, ...]
    share: float
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Refusal:
    """A file intake must not take, and the rules that say so."""

    column: str
    kind: PiiKind
    rules: tuple[str, ...]


def refusals(findings: Iterable[ColumnFinding], declared: Mapping[str, str]) -> list[Refusal]:
    """Return the columns that make the whole file unacceptable.

    An Individual Number may be collected only for the work the My Number Act lists
    (MYNUM-20), so a column that carries them is refused unless the schema declares it as
    a `my_number` field; card numbers likewise unless declared `card_number`, because their
    leak is reportable as property damage (PPC-RULE-7-2).
    """
    found: list[Refusal] = []
    for finding in findings:
        if PiiKind.MY_NUMBER in finding.kinds and declared.get(finding.name) != "my_number":
            found.append(Refusal(finding.name, PiiKind.MY_NUMBER, ("MYNUM-20", "MYNUM-CD")))
        if PiiKind.CARD_NUMBER in finding.kinds and declared.get(finding.name) != "card_number":
            found.append(Refusal(finding.name, PiiKind.CARD_NUMBER, ("PPC-RULE-7-2",)))
    return found


def is_sensitive_header(header: str) -> bool:
    """Tell whether a column header announces sensitive personal information (APPI-20-2)."""
    text = unicodedata.normalize("NFKC", header).lower()
    return any(word in text for word in SENSITIVE_WORDS)


def column_marks(finding: ColumnFinding) -> tuple[str, ...]:
    """Return the catalogue marks of a column with the rules behind them."""
    marks: list[str] = []
    if is_sensitive_header(finding.name):
        marks.append("sensitive:APPI-20-2")
    if finding.kinds and set(finding.kinds) <= PERSONAL_RELATED:
        marks.append("personal_related:APPI-31-1")
    return tuple(marks)
