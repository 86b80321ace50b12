"""Built-in Japanese generalization hierarchies and the user hierarchy file."""

from __future__ import annotations

from datetime import date

import pytest

from mamori.domain.anonymity.hierarchies import (
    addresses,
    age_bands,
    dates,
    parse_hierarchy_text,
    postal_codes,
    yen_bands,
)
from mamori.errors import InputError


def test_PPC_RULE_34_age_bands_top_code_90() -> None:
    h = age_bands()
    assert [h.label(37, lv) for lv in range(h.levels)] == ["37", "[35-39]", "[30-39]", "[20-39]", "*"]
    assert h.label(93, 0) == h.label(90, 2) == "90+"


def test_PPC_RULE_34_dates_to_month_and_year() -> None:
    h = dates()
    assert [h.label(date(1985, 4, 12), lv) for lv in range(4)] == ["1985-04-12", "1985-04", "1985", "*"]
    assert h.label("1985-04-12", 1) == "1985-04"


def test_PPC_RULE_34_address_to_municipality_prefecture_region() -> None:
    h = addresses()
    labels = [h.label("東京都千代田区千代田１−１", lv) for lv in range(5)]
    assert labels == ["東京都千代田区千代田1−1", "東京都千代田区", "東京都", "関東地方", "*"]
    assert h.label("神奈川県横浜市中区本町", 1) == "神奈川県横浜市"
    assert h.label("北海道虻田郡倶知安町北1条", 1) == "北海道虻田郡倶知安町"
    assert h.label("沖縄県那覇市泉崎", 3) == "九州地方"
    assert h.label("Somewhere", 2) == "不明"


def test_PPC_RULE_34_postal_code_prefixes() -> None:
    h = postal_codes()
    assert [h.label("100-0001", lv) for lv in range(5)] == [
        "100-0001",
        "100-00**",
        "100-****",
        "1**-****",
        "*",
    ]
    assert h.label("１０００００１", 2) == "100-****"


def test_PPC_RULE_34_yen_bands() -> None:
    h = yen_bands()
    assert [h.label(123_456, lv) for lv in range(5)] == [
        "123456",
        "[120000-129999]",
        "[100000-199999]",
        "[0-999999]",
        "*",
    ]


def test_PPC_RULE_34_user_hierarchy_file() -> None:
    h = parse_hierarchy_text("# job\nnurse;medical;*\ndoctor;medical;*\nclerk;office;*\n", "jobs.csv")
    assert h.levels == 3
    assert [h.label("nurse", lv) for lv in range(3)] == ["nurse", "medical", "*"]
    with pytest.raises(InputError, match=r"jobs\.csv"):
        h.label("pilot", 1)


def test_PPC_RULE_34_user_hierarchy_file_errors_name_the_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_hierarchy_text("a;b;c\nd;e\n", "h.csv")
    assert caught.value.line == 2 and caught.value.file == "h.csv"
