"""Generalization hierarchies: each level maps an original value to a coarser label.

Level 0 is the value itself (after top-coding), the last level is ``*`` (everything). The
engine applies a hierarchy to the *distinct* values of a column only, so these scalar
functions never run per row. Built in for Japanese data: age bands, dates → month → year,
address → municipality → prefecture → region, postal code prefixes and yen bands; users
supply their own as a table file (``parse_hierarchy_text``, the format ARX also reads).
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from mamori.domain.anonymity.japan import region_of, split_address
from mamori.errors import InputError

TOP = "*"


def _nfkc(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True, slots=True)
class Hierarchy:
    """A named generalization hierarchy; ``levels`` counts level 0 and the top ``*``."""

    name: str
    levels: int
    labeler: Callable[[object, int], str] = field(repr=False, compare=False)
    numeric: bool = False
    # Order of values for local recoding: coarse labels first, so that neighbours share ancestors.
    order: Callable[[object], tuple[object, ...]] | None = field(default=None, repr=False, compare=False)

    def label(self, value: object, level: int) -> str:
        """Return the label of a value at a level (0 = itself, levels-1 = ``*``)."""
        if level >= self.levels - 1:
            return TOP
        return self.labeler(value, level)

    def order_key(self, value: object) -> tuple[object, ...]:
        """Return a sort key that keeps values with common ancestors together."""
        if self.order is not None:
            return self.order(value)
        return tuple(self.label(value, lv) for lv in range(self.levels - 2, -1, -1))

    def describe(self) -> str:
        """Say what the hierarchy does, for the report and the publication."""
        return f"{self.name} ({self.levels} levels)"


def intervals(name: str, widths: tuple[float, ...], *, top: float | None = None) -> Hierarchy:
    """Build a numeric hierarchy of fixed-width bands, top-coded at ``top`` (shown as ``top+``)."""

    def labeler(value: object, level: int) -> str:
        number = float(value)  # type: ignore[arg-type]
        if top is not None and number >= top:
            return f"{_number_text(top)}+"
        if level == 0:
            return _number_text(number)
        width = widths[level - 1]
        low = math.floor(number / width) * width
        high = low + width - (1 if float(width).is_integer() else 0)
        return f"[{_number_text(low)}-{_number_text(high)}]"

    def order(value: object) -> tuple[object, ...]:
        return (float(value),)  # type: ignore[arg-type]

    return Hierarchy(name, len(widths) + 2, labeler, numeric=True, order=order)


def age_bands() -> Hierarchy:
    """Ages → 5-year → 10-year → 20-year bands → *; ages of 90 or more are one group (Rule 34(4))."""
    return intervals("age", (5, 10, 20), top=90)


def yen_bands() -> Hierarchy:
    """Amounts in yen → 10,000 → 100,000 → 1,000,000 yen bands → *."""
    return intervals("yen", (10_000, 100_000, 1_000_000))


def auto_intervals(low: float, high: float) -> Hierarchy:
    """Build bands for a numeric column without a hierarchy: widths 1-5-10-50-… of a round base.

    Each width divides the next, so bands nest (a band of one level lies inside one band of
    the next): generalization then stays monotone, which the lattice search relies on.
    """
    span = max(high - low, 1.0)
    base = 10.0 ** max(math.floor(math.log10(span / 64)), 0) if span > 64 else 1.0
    widths: list[float] = []
    width = base
    while width < span and len(widths) < 6:
        widths.append(width)
        width *= 5 if len(widths) % 2 else 2
    return intervals("intervals", tuple(w for w in widths if w > 1) or (max(span, 2.0),))


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(_nfkc(value)[:10])


def dates() -> Hierarchy:
    """Dates → year-month → year → *."""

    def labeler(value: object, level: int) -> str:
        day = _as_date(value)
        return (day.isoformat(), day.strftime("%Y-%m"), f"{day.year}")[level]

    return Hierarchy("date", 4, labeler, order=lambda v: (_as_date(v).toordinal(),))


def addresses() -> Hierarchy:
    """Addresses → municipality → prefecture → region (八地方区分) → *."""

    def labeler(value: object, level: int) -> str:
        text = _nfkc(value)
        prefecture, municipality = split_address(text)
        return (text, municipality, prefecture, region_of(prefecture))[level]

    return Hierarchy("address", 5, labeler)


@functools.lru_cache(maxsize=65_536)
def _postal_digits(value: str) -> str:
    return "".join(ch for ch in _nfkc(value) if ch.isdigit()).ljust(7, "*")[:7]


def postal_codes() -> Hierarchy:
    """Postal codes (7 digits) → first 5 → first 3 → first digit → *."""

    def labeler(value: object, level: int) -> str:
        digits = _postal_digits(str(value))
        kept = (7, 5, 3, 1)[level]
        masked = digits[:kept] + "*" * (7 - kept)
        return f"{masked[:3]}-{masked[3:]}"

    return Hierarchy("postal_code", 5, labeler)


def value_sets() -> Hierarchy:
    """Categories without a hierarchy: the value, then * (local recoding forms value sets)."""
    return Hierarchy("value", 2, lambda value, _level: _nfkc(value), order=lambda v: (_nfkc(v),))


BUILT_IN: Mapping[str, Callable[[], Hierarchy]] = {
    "age": age_bands,
    "date": dates,
    "address": addresses,
    "postal_code": postal_codes,
    "yen": yen_bands,
}


def table_hierarchy(name: str, rows: Mapping[str, tuple[str, ...]]) -> Hierarchy:
    """Build a hierarchy from a table: value → labels of levels 1..n (a final ``*`` is implied)."""
    depth = max((len(labels) for labels in rows.values()), default=0)
    if depth and all(labels[-1] == TOP for labels in rows.values()):
        depth -= 1

    def labeler(value: object, level: int) -> str:
        text = _nfkc(value)
        if level == 0:
            return text
        labels = rows.get(text)
        if labels is None:
            raise InputError(
                f"階層 {name} に値 {text!r} がありません",
                f"hierarchy {name} has no row for the value {text!r}",
                field=name,
            )
        return labels[level - 1]

    return Hierarchy(name, depth + 2, labeler)


def parse_hierarchy_text(text: str, source: str) -> Hierarchy:
    """Read a hierarchy file: one line per value, ``value;level1;level2;...`` (``;`` or ``,``).

    Every line must have the same number of levels; blank lines and ``#`` comments are skipped.
    """
    rows: dict[str, tuple[str, ...]] = {}
    width: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        sep = ";" if ";" in line else ","
        cells = [_nfkc(cell) for cell in line.split(sep)]
        if len(cells) < 2 or any(not cell for cell in cells):
            raise InputError(
                "値と1つ以上の上位の水準が必要です（空欄不可）",
                "a value and at least one coarser level are needed (no blank cells)",
                file=source,
                line=number,
            )
        if width is not None and len(cells) != width:
            raise InputError(
                f"水準の数が {width - 1} ではありません",
                f"expected {width - 1} levels like the lines before",
                file=source,
                line=number,
            )
        width = len(cells)
        rows[cells[0]] = tuple(cells[1:])
    if not rows:
        raise InputError("階層が空です", "the hierarchy file is empty", file=source)
    return table_hierarchy(source, rows)
