"""The frequency table both algorithms search: distinct quasi-identifier combinations.

Each quasi-identifier is dictionary-encoded (its distinct values, and per combination the
index of its value); each hierarchy level becomes an integer map from value index to label
index, so that a generalization is a gather, not a string operation.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from mamori.domain.anonymity.hierarchies import Hierarchy

# numpy's dtype generics do not survive bincount/unique in its stubs: the aliases name intent.
IntArray = npt.NDArray[Any]
FloatArray = npt.NDArray[Any]
BoolArray = npt.NDArray[Any]


@dataclass(slots=True)
class Column:
    """One quasi-identifier: distinct values, their hierarchy labels per level, and order."""

    name: str
    values: list[object]  # distinct original values
    hierarchy: Hierarchy
    numeric: bool
    codes: IntArray  # per combination: index into values
    level_codes: list[IntArray] = field(default_factory=list)  # per level: value index -> label index
    level_names: list[list[str]] = field(default_factory=list)  # per level: label index -> label
    rank: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))  # value index -> order rank
    number: FloatArray = field(default_factory=lambda: np.zeros(0))  # value index -> number (numeric)

    def __post_init__(self) -> None:
        labels_by_level = [
            [self.hierarchy.label(v, level) for v in self.values] for level in range(self.hierarchy.levels)
        ]
        for labels in labels_by_level:
            names, inverse = np.unique(np.array(labels, dtype=object), return_inverse=True)
            self.level_names.append([str(n) for n in names])
            self.level_codes.append(inverse.astype(np.int64))
        if self.hierarchy.order is not None:
            order = sorted(range(len(self.values)), key=lambda i: self.hierarchy.order_key(self.values[i]))
            ranks = np.array(order, dtype=np.int64)
        else:
            # Coarse labels first (what Hierarchy.order_key gives), from the label codes already
            # computed: label codes are in sorted label order, so a lexsort on them is that order.
            ranks = np.lexsort(tuple(self.level_codes[lv] for lv in range(self.hierarchy.levels - 1)))
        self.rank = np.empty(len(self.values), np.int64)
        self.rank[ranks] = np.arange(len(self.values))
        if self.numeric:
            self.number = np.array([float(v) for v in self.values])  # type: ignore[arg-type]

    @property
    def levels(self) -> int:
        """Return the number of levels of its hierarchy."""
        return self.hierarchy.levels

    def leaves(self, level: int) -> IntArray:
        """Count, per label of a level, the distinct values under it (for NCP)."""
        return np.bincount(self.level_codes[level], minlength=len(self.level_names[level]))


@dataclass(slots=True)
class Sensitive:
    """One sensitive attribute as (combination, value, count) triples."""

    name: str
    values: list[object]
    numeric: bool
    combo: IntArray
    value: IntArray  # index into values, ordered ascending when numeric (for the ordered EMD)
    count: FloatArray


@dataclass(slots=True)
class Frame:
    """Distinct quasi-identifier combinations with their counts, and the sensitive triples."""

    columns: list[Column]
    counts: FloatArray
    sensitive: list[Sensitive]
    # (column, level) -> label per combination: lattice searches revisit the same few levels.
    labels_cache: dict[tuple[int, int], IntArray] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        """Return the number of records the table stands for."""
        return int(self.counts.sum())

    def labels(self, i: int, level: int) -> IntArray:
        """Return, per combination, the label index of column ``i`` at a level (cached)."""
        label = self.labels_cache.get((i, level))
        if label is None:
            column = self.columns[i]
            label = column.level_codes[level].astype(np.int32)[column.codes]
            self.labels_cache[(i, level)] = label
        return label

    def key(self, levels: tuple[int, ...]) -> IntArray:
        """Return, per combination, one integer naming its generalized class (mixed radix)."""
        key = np.zeros(len(self.counts), np.int64)
        span = 1
        for i, (column, level) in enumerate(zip(self.columns, levels, strict=True)):
            label = self.labels(i, level)
            radix = len(column.level_names[level])
            if span * radix >= 2**62:  # re-number before the mixed radix could overflow int64
                _, inverse = np.unique(key, return_inverse=True)
                key, span = inverse.astype(np.int64), int(inverse.max()) + 1
            key = key * radix + label
            span *= radix
        return key

    def rolled_up(self, rows: IntArray, counts: FloatArray) -> Frame:
        """Return a smaller frame: some combinations (class representatives) with new counts.

        A generalization of a node is a generalization of its classes, so a node above an
        evaluated one can be judged on that node's classes instead of every combination
        (ARX's roll-up). Sensitive triples are not carried: only k-only searches roll up.
        """
        columns = []
        for column in self.columns:
            view = copy.copy(column)
            view.codes = column.codes[rows]
            columns.append(view)
        return Frame(columns, counts, [])
