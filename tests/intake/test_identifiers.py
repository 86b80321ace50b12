"""Check digits of Individual Numbers (MYNUM-CD) and card numbers."""

from __future__ import annotations

import pytest

from mamori.domain.identifiers import (
    card_network_matches,
    is_card_number,
    is_my_number,
    luhn_valid,
    my_number_check_digit,
)


@pytest.mark.parametrize("number", ["123456789018", "621498320257"])
def test_MYNUM_CD_published_vectors_are_valid(number: str) -> None:
    assert is_my_number(number)
    assert my_number_check_digit(number[:11]) == int(number[11])


@pytest.mark.parametrize(
    "number",
    [
        "123456789017",
        "621498320258",
        "12345678901",
        "1234567890188",
        "１２３４５６７８９０１８",
        "12345678901a",
    ],
)
def test_MYNUM_CD_wrong_digit_or_shape_is_not_an_individual_number(number: str) -> None:
    assert not is_my_number(number)


def test_MYNUM_CD_exactly_one_check_digit_in_ten_fits() -> None:
    fits = [d for d in range(10) if is_my_number(f"12345678901{d}")]
    assert fits == [8]


def test_MYNUM_CD_rejects_bad_input_to_the_calculation() -> None:
    with pytest.raises(ValueError, match="11 digits"):
        my_number_check_digit("1234")


@pytest.mark.parametrize(
    "number",
    [
        "4111111111111111",
        "5555555555554444",
        "2223003122003222",
        "378282246310005",
        "3530111333300000",
        "6011111111111117",
        "30569309025904",
    ],
)
def test_test_card_numbers_of_each_network_are_cards(number: str) -> None:
    assert is_card_number(number)


@pytest.mark.parametrize(
    "number", ["4111111111111112", "1234567812345670", "9999999999999995", "41111111111111", ""]
)
def test_numbers_failing_luhn_or_outside_issuer_ranges_are_not_cards(number: str) -> None:
    assert not is_card_number(number)


def test_luhn_and_range_are_separate_checks() -> None:
    assert luhn_valid("1234567812345670") and not card_network_matches("1234567812345670")
    assert card_network_matches("4111111111111112") and not luhn_valid("4111111111111112")
