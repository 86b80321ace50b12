"""The vectorized forms give exactly the per-value answers, on a seeded corpus of messy values."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl
import pytest

from mamori.lake import normalize as n

WIDE = str.maketrans("0123456789-()+", "０１２３４５６７８９－（）＋")


def _messy(rng: random.Random, pieces: list[str]) -> str:
    text = rng.choice(pieces)
    if rng.random() < 0.3:
        text = text.translate(WIDE)
    if rng.random() < 0.2:
        text = f" {text}　"
    return text


def _phones(rng: random.Random) -> list[str | None]:
    out: list[str | None] = [None, ""]
    for _ in range(4000):
        prefix = rng.choice(
            [
                "03",
                "06",
                "090",
                "080",
                "070",
                "050",
                "0120",
                "0800",
                "011",
                "0466",
                "099",
                "020",
                "0570",
                "00",
            ]
        )
        rest = "".join(rng.choice("0123456789") for _ in range(rng.randint(5, 9)))
        sep = rng.choice(["-", " ", "", "ー", "‐"])
        text = f"{prefix}{sep}{rest[:4]}{sep}{rest[4:]}"
        text = rng.choice(
            [text, "+81 " + text[1:], f"({prefix}){rest}", "+81(0)" + text[1:], text[1:], text + " 内線3"]
        )
        out.append(_messy(rng, [text]))
    return out


def _emails(rng: random.Random) -> list[str | None]:
    locals_ = ["taro", "Taro.Yamada", "t.a.r.o+x", "hanako_01", "a..b", ".x", "名前", "o'brien", "x" * 70]
    domains = [
        "example.com",
        "EXAMPLE.co.jp",
        "gmail.com",
        "googlemail.com",
        "b.invalid",
        "x.local",
        "-bad.com",
        "例え.jp",
        "mail.example.org",
    ]
    out: list[str | None] = [None, "", "no-at-sign", "a@b@c.com", "a@example.com,b@example.com"]
    out += [_messy(rng, [f"{rng.choice(locals_)}@{rng.choice(domains)}"]) for _ in range(600)]
    return out


def _kana(rng: random.Random) -> list[str | None]:
    pieces = [
        "ヤマダ タロウ",
        "ﾔﾏﾀﾞ ﾀﾛｳ",
        "やまだ　たろう",
        "ヴァイオリン",
        "ゔぃ",
        "キャッシュ",
        "ジョン・スミス",
        "山田",
        "ヤマダ1",
        "ｳﾞｪﾙﾃﾞ",
        "ヽヾ",
    ]
    return [None, "", *(_messy(rng, pieces) for _ in range(300))]


def _dates(rng: random.Random) -> list[str | None]:
    out: list[str | None] = [None, ""]
    for _ in range(800):
        y, m, d = rng.randint(1860, 2035), rng.randint(0, 13), rng.randint(0, 32)
        era, ey = (
            rng.choice(["令和", "平成", "昭和", "大正", "明治", "R", "H", "s", "T", "M"]),
            rng.randint(0, 66),
        )
        out.append(
            _messy(
                rng,
                [
                    f"{y}-{m:02d}-{d:02d}",
                    f"{y}/{m}/{d}",
                    f"{y}{m:02d}{d:02d}",
                    f"{y}年{m}月{d}日",
                    f"{era}{ey}年{m}月{d}日",
                    f"{era}{ey}.{m}.{d}",
                    f"{era}元年{m}月{d}日",
                ],
            )
        )
    return out


def _postals(rng: random.Random) -> list[str | None]:
    out: list[str | None] = [None, ""]
    for _ in range(300):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice([6, 7, 8])))
        out.append(
            _messy(
                rng,
                [
                    digits,
                    f"{digits[:3]}-{digits[3:]}",
                    f"〒{digits[:3]}-{digits[3:]}",
                    f"{digits[:3]}ー{digits[3:]}",
                ],
            )
        )
    return out


def _yens(rng: random.Random) -> list[str | None]:
    out: list[str | None] = [None, ""]
    for _ in range(300):
        v = rng.randint(0, 10**7)
        out.append(
            _messy(
                rng,
                [str(v), f"¥{v:,}", f"{v:,}円", f"▲{v}", f"-{v:,}", f"{v}.5", f"{v:,}".replace(",", ",,")],
            )
        )
    return out


TODAY = date(2026, 11, 27)
CASES: list[
    tuple[str, Callable[[random.Random], list[Any]], Callable[[pl.Series], pl.Series], Callable[[Any], Any]]
] = [
    ("phone", _phones, n.normalize_phone_series, n.normalize_phone),
    ("email", _emails, n.normalize_email_series, n.normalize_email),
    (
        "email+rules",
        _emails,
        lambda s: n.normalize_email_series(s, provider_rules=True),
        lambda v: n.normalize_email(v, provider_rules=True),
    ),
    ("kana", _kana, n.normalize_kana_series, n.normalize_kana),
    ("date", _dates, lambda s: n.parse_date_series(s, today=TODAY), lambda v: n.parse_date(v, today=TODAY)),
    ("postal", _postals, n.normalize_postal_series, n.normalize_postal),
    ("yen", _yens, n.parse_yen_series, n.parse_yen),
]


@pytest.mark.parametrize(("name", "corpus", "vectorized", "per_value"), CASES, ids=[c[0] for c in CASES])
def test_vectorized_equals_per_value(
    name: str,
    corpus: Callable[[random.Random], list[Any]],
    vectorized: Callable[[pl.Series], pl.Series],
    per_value: Callable[[Any], Any],
) -> None:
    values = corpus(random.Random(20261127))
    got = vectorized(pl.Series(name, values, dtype=pl.String)).to_list()
    expected = [per_value(v) for v in values]
    diffs = [(v, g, e) for v, g, e in zip(values, got, expected, strict=True) if g != e]
    assert not diffs, diffs[:10]
    assert any(e is not None for e in expected), "the corpus must contain valid values"
    assert any(e is None for e in expected), "the corpus must contain invalid values"


def test_kana_reading_series_matches_per_value() -> None:
    names = ["山田 太郎", "髙橋 一郎", "やまだ はなこ", "John Smith", None, "山田 太郎", "中島　美咲"]
    frame = n.kana_reading_series(pl.Series("name", names))
    assert frame.rows() == [n.kana_reading(v) for v in names]


def test_fast_path_phone_pattern_comes_from_libphonenumber() -> None:
    from mamori.lake.normalize.phone import jp_national_pattern

    assert "[6-9]0[1-9]" in jp_national_pattern()  # mobile range, from the library's metadata
