"""What each released combination shows for each quasi-identifier, and what that costs (NCP).

Full-domain generalization shows the hierarchy label of the chosen level. Local recoding
shows, per partition, the lowest hierarchy label shared by all its values; for numbers an
interval of the values present, for categories without a common label the set of values.
NCP (normalized certainty penalty, ARX's "generalization intensity" / GenILoss) is 0 for an
original value and 1 for ``*``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mamori.domain.anonymity.hierarchies import TOP
from mamori.lake.anonymize.flash import Solution
from mamori.lake.anonymize.frame import Column, FloatArray, Frame, IntArray


@dataclass(slots=True)
class Shown:
    """One quasi-identifier's released labels: label id per combination, names, and NCP."""

    label: IntArray
    names: list[str]
    ncp: FloatArray
    how_ja: str
    how_en: str


def _full_domain(column: Column, level: int) -> Shown:
    domain = max(len(column.values) - 1, 1)
    per_label = (column.leaves(level) - 1) / domain
    label = column.level_codes[level][column.codes]
    names = column.level_names[level]
    if level == 0:
        return Shown(label, names, per_label[label], "そのまま", "kept as is")
    return Shown(
        label,
        names,
        per_label[label],
        f"{column.hierarchy.name} の水準 {level} に一般化",
        f"generalized to level {level} of {column.hierarchy.name}",
    )


def _group_first(part: IntArray, values: IntArray, n_parts: int) -> tuple[IntArray, IntArray]:
    """Per partition: the number of distinct values, and one of them."""
    width = int(values.max()) + 1 if len(values) else 1
    unique = np.unique(part * width + values)
    owner = unique // width
    count = np.bincount(owner, minlength=n_parts)
    first = np.zeros(n_parts, np.int64)
    first[owner[::-1]] = (unique % width)[::-1]
    return count, first


def _local(column: Column, part: IntArray, n_parts: int) -> Shown:
    value = column.codes
    domain = max(len(column.values) - 1, 1)
    label_of_part = np.full(n_parts, -1, np.int64)
    ncp_of_part = np.ones(n_parts)
    names: list[str] = []
    offset = 0
    chosen = np.zeros(n_parts, bool)
    # Lowest common hierarchy label (not for plain numbers, where the interval says more).
    use_levels = [] if column.numeric else range(column.levels - 1)
    for level in use_levels:
        codes = column.level_codes[level][value]
        count, first = _group_first(part, codes, n_parts)
        here = (count == 1) & ~chosen
        leaves = column.leaves(level)
        label_of_part[here] = first[here] + offset
        ncp_of_part[here] = (leaves[first[here]] - 1) / domain
        chosen |= here
        names.extend(column.level_names[level])
        offset += len(column.level_names[level])
    rest = np.flatnonzero(~chosen)
    if len(rest):
        ranks = column.rank[value]
        by_rank = np.argsort(column.rank)
        low = np.full(n_parts, np.iinfo(np.int64).max)
        high = np.full(n_parts, -1)
        np.minimum.at(low, part, ranks)
        np.maximum.at(high, part, ranks)
        count, _ = _group_first(part, value, n_parts)
        if column.numeric:
            zero = column.level_codes[0]
            span = column.number.max() - column.number.min()
            for p in rest:
                lo, hi = by_rank[low[p]], by_rank[high[p]]
                lo_text = column.level_names[0][zero[lo]]
                hi_text = column.level_names[0][zero[hi]]
                names.append(lo_text if lo == hi else f"[{lo_text}-{hi_text}]")
                ncp_of_part[p] = (column.number[hi] - column.number[lo]) / span if span > 0 else 0.0
                label_of_part[p] = len(names) - 1
        else:
            members = np.unique(part[np.isin(part, rest)] * (len(column.values)) + value[np.isin(part, rest)])
            owners = members // len(column.values)
            starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
            for start, stop in zip(starts, np.r_[starts[1:], len(members)], strict=True):
                owner = int(owners[start])
                present = sorted(
                    (members[start:stop] % len(column.values)).tolist(), key=lambda i: column.rank[i]
                )
                shown_values = [column.level_names[0][column.level_codes[0][i]] for i in present]
                names.append(
                    shown_values[0] if len(shown_values) == 1 else "{" + "|".join(shown_values) + "}"
                )
                ncp_of_part[owner] = (len(shown_values) - 1) / domain
                label_of_part[owner] = len(names) - 1
    label = label_of_part[part]
    # Several partitions may show the same text: label ids are by text, for the entropy metric.
    text, inverse = np.unique(np.array(names, dtype=object)[label], return_inverse=True)
    how_ja = (
        "区間・値の集合による局所的な一般化"
        if column.levels <= 2 or column.numeric
        else "階層の共通の上位値・値の集合"
    )
    how_en = (
        "local recoding to intervals / value sets"
        if column.levels <= 2 or column.numeric
        else "local recoding to common hierarchy labels / value sets"
    )
    return Shown(inverse.astype(np.int64), [str(t) for t in text], ncp_of_part[part], how_ja, how_en)


def shown(frame: Frame, solution: Solution) -> list[Shown]:
    """Return, per quasi-identifier, the labels the output shows."""
    if solution.levels is not None:
        return [_full_domain(c, lv) for c, lv in zip(frame.columns, solution.levels, strict=True)]
    return [_local(c, solution.cls, solution.n_classes) for c in frame.columns]


def is_top(name: str) -> bool:
    """Tell whether a label is the fully generalized ``*``."""
    return name == TOP
