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
from mamori.lake.anonymize.frame import FloatArray, Frame, IntArray


@dataclass(slots=True)
class Solution:
    """The chosen generalization: class per combination, which classes are kept, and stats."""

    cls: IntArray
    n_classes: int
    stats: ClassStats
    levels: tuple[int, ...] | None  # full-domain levels (None for local recoding)
    nodes_total: int = 0
    nodes_checked: int = 0


def dense_ids(key: IntArray) -> tuple[IntArray, int]:
    """Number distinct keys 0..n-1; a presence table when the key range is small, else a sort."""
    if len(key) == 0:
        return key, 0
    top = int(key.max()) + 1
    if top <= 4 * len(key) + 1024:
        present = np.zeros(top, bool)
        present[key] = True
        ids = np.cumsum(present, dtype=np.int32)  # ids < len(key) < 2**31: half the memory traffic
        ids -= 1
        return ids[key].astype(np.int64), int(ids[-1]) + 1
    _, inverse = np.unique(key, return_inverse=True)
    return inverse.astype(np.int64), int(inverse.max()) + 1


def _classes(frame: Frame, node: tuple[int, ...]) -> tuple[IntArray, int]:
    return dense_ids(frame.key(node))


def _loss(frame: Frame, cls: IntArray, stats: ClassStats, node: tuple[int, ...]) -> float:
    """Generalization loss (NCP) with each suppressed record counted as fully generalized."""
    kept = stats.ok[cls]
    loss = np.zeros(len(frame.counts))
    for i, (column, level) in enumerate(zip(frame.columns, node, strict=True)):
        domain = max(len(column.values) - 1, 1)
        per_label = (column.leaves(level) - 1) / domain
        loss += per_label[frame.labels(i, level)]
    loss = np.where(kept, loss, len(frame.columns))
    return float((loss * frame.counts).sum())


class _PairBounds:
    """Lower bounds on suppression from pairs of quasi-identifiers (exact pruning, no pass over data).

    A class of a node lies inside one class of its projection onto any two columns, so the
    records in projected classes smaller than k are suppressed at that node at least. Pair
    tables are small (distinct pairs), are built once per pair, and their bound per level
    pair is memoized: with near-unique combinations this rejects the costly nodes near the
    bottom of the lattice without evaluating them.
    """

    def __init__(self, frame: Frame, k: int) -> None:
        self.frame = frame
        self.k = k
        self.pairs: dict[tuple[int, int], tuple[IntArray, IntArray, FloatArray]] = {}
        self.memo: dict[tuple[int, int, int, int], float] = {}
        self.tables: dict[tuple[int, int, int, int], tuple[IntArray, IntArray, FloatArray]] = {}

    def _pair(self, a: int, b: int) -> tuple[IntArray, IntArray, FloatArray]:
        if (a, b) not in self.pairs:
            ca, cb = self.frame.columns[a].codes, self.frame.columns[b].codes
            ids, n = dense_ids(ca * len(self.frame.columns[b].values) + cb)
            first = np.full(n, -1, np.int64)
            first[ids[::-1]] = np.arange(len(ids))[::-1]
            counts = np.bincount(ids, weights=self.frame.counts, minlength=n)
            self.pairs[(a, b)] = (ca[first], cb[first], counts)
        return self.pairs[(a, b)]

    def _smallest_below(self, a: int, b: int, la: int, lb: int) -> tuple[IntArray, IntArray, FloatArray]:
        best = self._pair(a, b)
        for (ta, tb, ka, kb), table in self.tables.items():
            if (ta, tb) == (a, b) and ka <= la and kb <= lb and len(table[2]) < len(best[2]):
                best = table
        return best

    def bound(self, node: tuple[int, ...]) -> float:
        """Return the largest pairwise lower bound on the records suppressed at a node."""
        worst = 0.0
        columns = self.frame.columns
        for a in range(len(columns)):
            for b in range(a + 1, len(columns)):
                key = (a, b, node[a], node[b])
                if key not in self.memo:
                    pa, pb, counts = self._smallest_below(a, b, node[a], node[b])
                    la = columns[a].level_codes[node[a]][pa]
                    lb = columns[b].level_codes[node[b]][pb]
                    ids, n = dense_ids(la * len(columns[b].level_names[node[b]]) + lb)
                    sizes = np.bincount(ids, weights=counts, minlength=n)
                    self.memo[key] = float(sizes[sizes < self.k].sum())
                    first = np.full(n, -1, np.int64)
                    first[ids[::-1]] = np.arange(len(ids))[::-1]
                    self.tables[key] = (pa[first], pb[first], sizes)  # roll-up for coarser level pairs
                worst = max(worst, self.memo[key])
        return worst


class LatticeSearch:
    """The lattice with each node's state (unknown, holds, fails), evaluated with roll-up and bounds."""

    def __init__(self, frame: Frame, model: PrivacyModel, *, bounds: bool = True) -> None:
        self.frame = frame
        self.use_bounds = bounds
        self.roll_failing = True  # keep failing nodes' classes too: nodes above them start there
        self.model = model
        self.budget = np.floor(model.max_suppression * frame.rows + 1e-9)
        tops = [c.levels - 1 for c in frame.columns]
        self.nodes = np.array(list(itertools.product(*(range(t + 1) for t in tops))), dtype=np.int64)
        self.state = np.zeros(len(self.nodes), np.int8)  # 0 unknown, 1 holds, -1 fails
        self.index = {tuple(int(x) for x in row): i for i, row in enumerate(self.nodes)}
        self.checked = 0
        self.losses: dict[int, float] = {}
        self.bounds = _PairBounds(frame, model.k)
        self.pruned = 0
        self.rolled: dict[int, Frame] = {}  # node -> its classes as a frame (representatives, sizes)

    def _base(self, node: IntArray) -> Frame:
        """The smallest evaluated frame below a node (roll-up), else the whole table."""
        if self.frame.sensitive or not self.rolled:
            return self.frame
        ids = np.fromiter(self.rolled, dtype=np.int64, count=len(self.rolled))
        below = np.all(self.nodes[ids] <= node, axis=1)
        if not below.any():
            return self.frame
        sizes = np.array([len(self.rolled[int(j)].counts) for j in ids[below]])
        return self.rolled[int(ids[below][np.argmin(sizes)])]

    def holds(self, i: int) -> bool:
        if self.state[i] == 0:
            node = tuple(int(x) for x in self.nodes[i])
            if self.use_bounds and len(node) > 2 and self.bounds.bound(node) > self.budget:
                self.pruned += 1
                self.state[np.all(self.nodes <= self.nodes[i], axis=1) & (self.state == 0)] = -1
                self.state[i] = -1
                return False
            base = self._base(self.nodes[i])
            cls, n = _classes(base, node)
            stats = class_stats(base, cls, n, self.model)
            self.checked += 1
            suppressed = float(stats.sizes[~stats.ok].sum())
            good = suppressed <= self.budget
            if not self.frame.sensitive and n < 0.9 * len(base.counts) and (good or self.roll_failing):
                first = np.empty(n, np.int64)
                first[cls] = np.arange(len(cls))  # any member represents its class
                self.rolled[i] = base.rolled_up(first, stats.sizes)
            if good:
                self.losses[i] = _loss(base, cls, stats, node)
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
    run = LatticeSearch(frame, model)
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
        if i not in run.losses:  # tagged by prediction: evaluate it now to know its loss
            run.state[i] = 0
            run.holds(i)
        if best is None or run.losses[i] < best[0]:
            best = (run.losses[i], i)
    assert best is not None
    return solution_at(run, best[1])


def solution_at(run: LatticeSearch, index: int) -> Solution:
    """Return the solution of one node, classes computed on the whole frame."""
    levels = tuple(int(x) for x in run.nodes[index])
    cls, n = _classes(run.frame, levels)
    stats = class_stats(run.frame, cls, n, run.model)
    return Solution(cls, n, stats, levels, len(run.nodes), run.checked)
