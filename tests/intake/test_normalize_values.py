"""Per-value normalizers on the spellings real Japanese files contain."""

from __future__ import annotations

from datetime import date

import pytest

from mamori.lake.normalize import (
    kana_reading,
    normalize_email,
    normalize_kana,
    normalize_phone,
    normalize_postal,
    parse_date,
    parse_yen,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03-1234-5678", "+81312345678"),
        ("(03)1234-5678", "+81312345678"),
        ("０３（１２３４）５６７８", "+81312345678"),
        ("+81 3 1234 5678", "+81312345678"),
        ("+81 (0)3-1234-5678", "+81312345678"),
        ("+81-90-1234-5678", "+819012345678"),
        ("０９０ー１２３４ー５６７８", "+819012345678"),  # long-vowel mark typed as a dash
        ("090 1234 5678", "+819012345678"),
        ("9012345678", "+819012345678"),  # a spreadsheet dropped the leading 0
        ("0120-123-456", "+81120123456"),  # toll-free
        ("0800-123-4567", "+818001234567"),  # toll-free
        ("050-1234-5678", "+815012345678"),  # IP phone
        ("0570-000-111", "+81570000111"),  # navi dial
        ("06-6123-4567", "+81661234567"),  # Osaka landline
        ("03-1234-5678 内線 12", "+81312345678"),  # extension dropped
        ("+1 212 555 0100", "+12125550100"),  # foreign numbers with their country code
    ],
)
def test_normalize_phone_accepts_japanese_spellings(text: str, expected: str) -> None:
    assert normalize_phone(text) == expected


@pytest.mark.parametrize(
    "text",
    [None, "", "   ", "12345", "03-1234-567", "090-0123-4567", "abc", "03-1234-5678-9999", "000-0000-0000"],
)
def test_normalize_phone_refuses_numbers_outside_the_plan(text: str | None) -> None:
    assert normalize_phone(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Taro.Yamada@Example.COM ", "taro.yamada@example.com"),
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", "taro@example.com"),  # full-width, NFKC
        ("t.a.r.o+news@gmail.com", "t.a.r.o+news@gmail.com"),  # provider rules are opt-in
        ("hanako@例え.jp", "hanako@例え.jp"),
    ],
)
def test_normalize_email_canonical_form(text: str, expected: str) -> None:
    assert normalize_email(text) == expected


def test_normalize_email_provider_rules_only_when_opted_in() -> None:
    assert normalize_email("T.a.r.o+News@GoogleMail.com", provider_rules=True) == "taro@gmail.com"
    assert normalize_email("t.a.r.o+news@example.com", provider_rules=True) == "t.a.r.o+news@example.com"


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "taro",
        "a..b@example.com",
        "a@b.invalid",
        "a@localhost",
        "a@example.com, b@example.com",
        "a b@example.com",
    ],
)
def test_normalize_email_refuses_anything_but_one_valid_address(text: str | None) -> None:
    assert normalize_email(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ヤマダ タロウ", "ヤマダタロウ"),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダタロウ"),  # half-width kana with dakuten
        ("やまだ　たろう", "ヤマダタロウ"),  # hiragana and a full-width space
        ("ヴァイオリン", "バイオリン"),
        ("ヴィクトリア", "ビクトリア"),
        ("ゔぃ", "ビ"),
        ("キャッシュ", "キヤツシユ"),  # small kana folded
        ("ジョン・スミス", "ジヨンスミス"),
    ],
)
def test_normalize_kana_one_form(text: str, expected: str) -> None:
    assert normalize_kana(text) == expected


@pytest.mark.parametrize("text", [None, "", "山田", "Yamada", "ヤマダ1"])
def test_normalize_kana_is_none_for_what_is_not_kana(text: str | None) -> None:
    assert normalize_kana(text) is None


def test_kana_variants_of_one_name_compare_equal() -> None:
    spellings = ["ヴェルデ", "ベルデ", "ｳﾞｪﾙﾃﾞ", "ゔぇるで"]
    assert {normalize_kana(s) for s in spellings} == {"ベルデ"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("山田 太郎", ("ヤマダタロウ", True)),
        ("髙橋　一郎", ("タカハシイチロウ", True)),  # variant kanji 髙 read as 高
        ("やまだ はなこ", ("ヤマダハナコ", False)),  # already kana: read as written
        ("John Smith", (None, False)),
        (None, (None, False)),
    ],
)
def test_kana_reading_of_names(name: str | None, expected: tuple[str | None, bool]) -> None:
    assert kana_reading(name) == expected


TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-05-01", date(2022, 5, 1)),
        ("2022/5/1", date(2022, 5, 1)),
        ("20220501", date(2022, 5, 1)),
        ("2022年5月1日", date(2022, 5, 1)),
        ("２０２２－０５－０１", date(2022, 5, 1)),
        ("令和4年5月1日", date(2022, 5, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R4.5.1", date(2022, 5, 1)),
        ("H30/5/1", date(2018, 5, 1)),
        ("h30.5.1", date(2018, 5, 1)),
        ("㍻30年5月1日", date(2018, 5, 1)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("S64.1.7", date(1989, 1, 7)),
        ("昭和40年12月3日", date(1965, 12, 3)),
        ("2024-02-29", date(2024, 2, 29)),
        (date(2001, 2, 3), date(2001, 2, 3)),
    ],
)
def test_parse_date_western_and_era(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "平成45年1月1日",  # Heisei ended in its 31st year
        "平成31年5月1日",  # that day is 令和元年5月1日
        "S64.1.8",  # Showa's last day was 1989-01-07
        "明治5年1月1日",  # lunisolar calendar: not convertible by arithmetic
        "R0.1.1",
        "2023-02-29",
        "2022-13-01",
        "2030-01-01",  # in the future
        "22/5/1",  # two-digit year is ambiguous
        "",
        None,
    ],
)
def test_parse_date_refuses_dates_that_do_not_exist(text: str | None) -> None:
    assert parse_date(text, today=TODAY) is None


def test_parse_date_future_allowed_without_today() -> None:
    assert parse_date("2030-01-01") == date(2030, 1, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("〒100-0001", "1000001"),
        ("１００－０００１", "1000001"),
        ("1000001", "1000001"),
        ("100 0001", "1000001"),
    ],
)
def test_normalize_postal_seven_digits(text: str, expected: str) -> None:
    assert normalize_postal(text) == expected


@pytest.mark.parametrize("text", [None, "", "100-00011", "10-0001", "1OO-0001"])
def test_normalize_postal_refuses_other_shapes(text: str | None) -> None:
    assert normalize_postal(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("¥1,280", 1280),
        ("￥12,345", 12345),
        ("１２８０円", 1280),
        ("▲500", -500),
        ("-1,000", -1000),
        ("0", 0),
        (42, 42),
    ],
)
def test_parse_yen_spellings(text: str | int, expected: int) -> None:
    assert parse_yen(text) == expected


@pytest.mark.parametrize("text", [None, "", "1,28,0", "12.5", "JPY", "9" * 30])
def test_parse_yen_refuses_non_amounts(text: str | None) -> None:
    assert parse_yen(text) is None


@pytest.mark.parametrize(
    ("text", "hour_utc"),
    [
        ("2024-01-02T10:00:00+09:00", 1),
        ("2024-01-02 10:00:00+09", 1),
        ("2024-01-02T10:00:00", 1),  # no offset: JST, the legal calendar
        ("2024/1/2 10:00", 1),
        ("2024-01-02T01:00:00Z", 1),
        ("２０２４-01-02 10:00:00.5", 1),
        ("2024-01-02T10:00:00+0530", 4),
    ],
)
def test_timestamps_to_utc_reading_naive_ones_as_jst(text: str, hour_utc: int) -> None:
    import polars as pl

    from mamori.lake.normalize.timestamps import parse_timestamp_series

    (parsed,) = parse_timestamp_series(pl.Series([text])).to_list()
    assert (parsed.year, parsed.month, parsed.day, parsed.hour) == (2024, 1, 2, hour_utc)


@pytest.mark.parametrize(
    "text", ["2024-02-30T10:00:00+09:00", "x", "2024-01-02T10:00:00+09:00x", "2030-01-01T00:00:00"]
)
def test_timestamps_that_do_not_exist_or_lie_ahead_are_null(text: str) -> None:
    from datetime import UTC, datetime

    import polars as pl

    from mamori.lake.normalize.timestamps import parse_timestamp_series

    assert parse_timestamp_series(pl.Series([text]), now=datetime(2026, 11, 27, tzinfo=UTC)).to_list() == [
        None
    ]
