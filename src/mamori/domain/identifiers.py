"""Check digits of identifiers whose presence changes what the law allows.

An Individual Number (個人番号, My Number) may be collected and stored only for the work the
My Number Act lists (MYNUM-20); a payment card number is sensitive in any leak
(PPC-RULE-7-2: a leak that may cause property damage is reportable). Spotting them needs their check digits:
MYNUM-CD for the Individual Number, the Luhn algorithm (ISO/IEC 7812-1) and the issuers'
published ranges (IIN) for cards.
"""

from __future__ import annotations

# Issuer identification ranges (first digits) and the lengths each network issues.
_CARD_RANGES: tuple[tuple[int, int, frozenset[int]], ...] = (
    (4, 4, frozenset({13, 16, 19})),  # Visa
    (51, 55, frozenset({16})),  # Mastercard
    (2221, 2720, frozenset({16})),  # Mastercard 2-series
    (34, 34, frozenset({15})),  # American Express
    (37, 37, frozenset({15})),
    (3528, 3589, frozenset({16, 17, 18, 19})),  # JCB
    (300, 305, frozenset({14, 15, 16, 17, 18, 19})),  # Diners Club
    (36, 36, frozenset({14, 15, 16, 17, 18, 19})),
    (38, 39, frozenset({16, 17, 18, 19})),
    (6011, 6011, frozenset({16, 17, 18, 19})),  # Discover
    (644, 649, frozenset({16, 17, 18, 19})),
    (65, 65, frozenset({16, 17, 18, 19})),
    (62, 62, frozenset({16, 17, 18, 19})),  # UnionPay
)


def my_number_check_digit(first_eleven: str) -> int:
    """Compute the Individual Number's check digit from its first 11 digits (MYNUM-CD).

    MIC ordinance 85, Art. 5: with P(n) the n-th digit counted from the right of the eleven
    and Q(n) = n + 1 for n <= 6, n - 5 for n >= 7, the check digit is 0 when
    sum(P(n) * Q(n)) mod 11 <= 1, else 11 minus that remainder.
    """
    if len(first_eleven) != 11 or not first_eleven.isascii() or not first_eleven.isdigit():
        raise ValueError("an Individual Number has 11 digits before its check digit")
    total = 0
    for n, digit in enumerate(reversed(first_eleven), start=1):
        total += int(digit) * (n + 1 if n <= 6 else n - 5)
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_my_number(text: str) -> bool:
    """Tell whether 12 ASCII digits carry a valid Individual Number check digit (MYNUM-CD)."""
    if len(text) != 12 or not text.isascii() or not text.isdigit():
        return False
    return my_number_check_digit(text[:11]) == int(text[11])


def luhn_valid(digits: str) -> bool:
    """Tell whether a digit string passes the Luhn check (ISO/IEC 7812-1)."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char)
        if i % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_network_matches(digits: str) -> bool:
    """Tell whether a number's prefix and length fall in an issuer's published range."""
    for low, high, lengths in _CARD_RANGES:
        width = len(str(low))
        if len(digits) in lengths and low <= int(digits[:width]) <= high:
            return True
    return False


def is_card_number(digits: str) -> bool:
    """Tell whether a digit string is a plausible payment card number (Luhn and issuer range)."""
    return luhn_valid(digits) and card_network_matches(digits)
