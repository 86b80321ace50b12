"""Optimal full-domain generalization: a search of the hierarchy lattice with pruning.

A node is one level per quasi-identifier. The privacy models are monotone over the lattice
(generalizing a satisfying node keeps it satisfying, with suppression counted), so, as in
ARX's Flash, a node that holds tags all its generalizations and a node that fails tags all
its specializations; nodes are visited along upward paths with a binary search on each
path. Among the minimal satisfying nodes (the only candidates for a monotone loss) the one
with the least information loss wins.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from mamori.domain.anonymity.models import PrivacyModel
from mamori.lake.anonymize.checks import ClassStats, class_stats
from mamori.lake.anonymize.frame import Frame, IntArray


@dataclass(slots=True)
class Solution:
    """The chosen generalization: class per combination, which classes are kept, and stats."""

    cls: IntArray
    n_classes: int
    stats: ClassStats
    levels: tuple[int, ...] | None  # full-domain levels (None for local recoding)
    nodes_total: int = 0
    nodes_checked: int = 0


def _classes(frame: Frame, node: tuple[int, ...]) -> tuple[IntArray, int]:
    _, inverse = np.unique(frame.key(node), return_inverse=True)
    return inverse.astype(np.int64), int(inverse.max()) + 1 if len(inverse) else 0


def _loss(frame: Frame, cls: IntArray, stats: ClassStats, node: tuple[int, ...]) -> float:
    """Generalization loss (NCP) with each suppressed record counted as fully generalized."""
    kept = stats.ok[cls]
    loss = np.zeros(len(frame.counts))
    for column, level in zip(frame.columns, node, strict=True):
        domain = max(len(column.values) - 1, 1)
        per_label = (column.leaves(level) - 1) / domain
        loss += per_label[column.level_codes[level][column.codes]]
    loss = np.where(kept, loss, len(frame.columns))
    return float((loss * frame.counts).sum())


class _Search:
    def __init__(self, frame: Frame, model: PrivacyModel) -> None:
        self.frame = frame
        self.model = model
        self.budget = np.floor(model.max_suppression * frame.rows + 1e-9)
        tops = [c.levels - 1 for c in frame.columns]
        self.nodes = np.array(list(itertools.product(*(range(t + 1) for t in tops))), dtype=np.int64)
        self.state = np.zeros(len(self.nodes), np.int8)  # 0 unknown, 1 holds, -1 fails
        self.index = {tuple(int(x) for x in row): i for i, row in enumerate(self.nodes)}
        self.checked = 0
        self.cache: dict[int, tuple[IntArray, int, ClassStats]] = {}

    def holds(self, i: int) -> bool:
        if self.state[i] == 0:
            node = tuple(int(x) for x in self.nodes[i])
            cls, n = _classes(self.frame, node)
            stats = class_stats(self.frame, cls, n, self.model)
            self.checked += 1
            suppressed = float(stats.sizes[~stats.ok].sum())
            good = suppressed <= self.budget
            if good:
                self.cache[i] = (cls, n, stats)
                self.state[np.all(self.nodes >= self.nodes[i], axis=1) & (self.state == 0)] = 1
            else:
                self.state[np.all(self.nodes <= self.nodes[i], axis=1) & (self.state == 0)] = -1
            self.state[i] = 1 if good else -1
        return bool(self.state[i] == 1)

    def path(self, start: int) -> list[int]:
        """An upward path from a node to the top, raising the lowest dimension first."""
        node = self.nodes[start].copy()
        tops = self.nodes.max(axis=0)
        out = [start]
        while (node < tops).any():
            dim = int(np.argmin(np.where(node < tops, node, np.iinfo(np.int64).max)))
            node[dim] += 1
            out.append(self.index[tuple(int(x) for x in node)])
        return out

    def run(self) -> None:
        for i in np.argsort(self.nodes.sum(axis=1), kind="stable"):
            if self.state[i] != 0:
                continue
            path = [j for j in self.path(int(i)) if self.state[j] == 0]
            low, high = 0, len(path) - 1
            while low <= high:  # binary search: the path is monotone
                mid = (low + high) // 2
                if self.holds(path[mid]):
                    high = mid - 1
                else:
                    low = mid + 1


def search(frame: Frame, model: PrivacyModel) -> Solution | None:
    """Find the full-domain generalization with least loss that satisfies the model."""
    run = _Search(frame, model)
    run.run()
    good = np.flatnonzero(run.state == 1)
    if len(good) == 0:
        return None
    nodes = run.nodes
    minimal = [
        int(i)
        for i in good
        if not np.any(np.all(nodes[good] <= nodes[i], axis=1) & np.any(nodes[good] < nodes[i], axis=1))
    ]
    best: tuple[float, int] | None = None
    for i in minimal:
        if i not in run.cache:  # tagged by prediction: evaluate it now to know its loss
            run.state[i] = 0
            run.holds(i)
        cls, _, stats = run.cache[i]
        loss = _loss(frame, cls, stats, tuple(int(x) for x in nodes[i]))
        if best is None or loss < best[0]:
            best = (loss, i)
    assert best is not None
    cls, n, stats = run.cache[best[1]]
    return Solution(cls, n, stats, tuple(int(x) for x in nodes[best[1]]), len(nodes), run.checked)
