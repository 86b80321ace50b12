"""Mondrian: multidimensional local recoding by recursive median splits, vectorized.

LeFevre et al.'s strict Mondrian splits a partition at the median of the quasi-identifier
with the widest normalized span, if both halves still satisfy the privacy model, else tries
the next widest. Here every open partition of a round is split at once with array
operations over the frequency table (one round per tree depth), so the cost grows with the
depth of the tree, not with the number of partitions. Identical points never separate:
splits are thresholds on a value's rank.
"""

from __future__ import annotations

import numpy as np

from mamori.domain.anonymity.models import PrivacyModel
from mamori.lake.anonymize.checks import class_stats, global_distributions
from mamori.lake.anonymize.flash import Solution
from mamori.lake.anonymize.frame import FloatArray, Frame, IntArray


def _spans(frame: Frame, ranks: IntArray, part: IntArray, n_parts: int) -> FloatArray:
    """Normalized span per (partition, dimension): value range for numbers, distinct share otherwise."""
    spans = np.zeros((n_parts, len(frame.columns)))
    for d, column in enumerate(frame.columns):
        if column.numeric:
            number = column.number[column.codes]
            low = np.full(n_parts, np.inf)
            high = np.full(n_parts, -np.inf)
            np.minimum.at(low, part, number)
            np.maximum.at(high, part, number)
            whole = column.number.max() - column.number.min()
            spans[:, d] = (high - low) / whole if whole > 0 else 0.0
        else:
            width = len(column.values)
            if n_parts * width <= 50_000_000:  # a presence table beats hashing at these sizes
                present = np.bincount(part * width + ranks[d], minlength=n_parts * width) > 0
                count = present.reshape(n_parts, width).sum(axis=1)
            else:
                distinct = np.unique(part * width + ranks[d])
                count = np.bincount(distinct // width, minlength=n_parts)
            spans[:, d] = count / width
    return spans


def _split(
    ranks: IntArray, counts: FloatArray, part: IntArray, dim_of_part: IntArray, chosen: IntArray
) -> IntArray:
    """Return, per chosen combination, whether it goes left of its partition's weighted median."""
    r = ranks[dim_of_part[part[chosen]], chosen]
    p = part[chosen]
    order = np.lexsort((r, p))
    ps, rs, cs = p[order], r[order], counts[chosen][order]
    boundary = np.empty(len(ps), bool)
    boundary[0] = True
    np.not_equal(ps[1:], ps[:-1], out=boundary[1:])
    starts = np.flatnonzero(boundary)
    group = np.cumsum(boundary) - 1
    cum = np.cumsum(cs)
    before = np.concatenate(([0.0], cum[starts[1:] - 1]))[group]
    within = cum - before
    total = np.add.reduceat(cs, starts)[group]
    reached = np.flatnonzero(2 * within >= total)
    first = np.unique(group[reached], return_index=True)[1]
    median = rs[reached[first]]  # per partition, in the order of the sorted partitions
    top = np.maximum.reduceat(rs, starts)
    # When the median is the largest rank, split below it instead, so the right side is not empty.
    left_sorted = np.where(median[group] == top[group], rs < median[group], rs <= median[group])
    left = np.empty(len(chosen), bool)
    left[order] = left_sorted
    return left


def search(frame: Frame, model: PrivacyModel) -> Solution | None:
    """Partition the table so that every partition satisfies the model (no suppression needed)."""
    m = len(frame.counts)
    reference = global_distributions(frame)
    part = np.zeros(m, np.int64)
    root = class_stats(frame, part, 1, model, global_p=reference)
    if not root.ok[0]:
        return None
    ranks = np.stack([c.rank[c.codes] for c in frame.columns])
    n_parts = 1
    open_mask = np.ones(1, bool)
    while open_mask.any():
        spans = _spans(frame, ranks, part, n_parts)
        order = np.argsort(-spans, axis=1, kind="stable")
        unresolved = open_mask.copy()
        next_open = np.zeros(n_parts, bool)
        for attempt in range(len(frame.columns)):
            dim_of_part = order[:, attempt]
            trying = unresolved & (spans[np.arange(len(spans)), dim_of_part] > 0)
            if not trying.any():
                break
            chosen = np.flatnonzero(trying[part])
            left = _split(ranks, frame.counts, part, dim_of_part, chosen)
            child = np.full(m, 2 * n_parts, np.int64)  # combinations not being split: one ignored class
            child[chosen] = part[chosen] * 2 + left
            stats = class_stats(frame, child, 2 * n_parts + 1, model, global_p=reference)
            valid = trying & stats.ok[0 : 2 * n_parts : 2] & stats.ok[1 : 2 * n_parts : 2]
            n_new = int(valid.sum())
            moved = chosen[valid[part[chosen]] & ~left[np.arange(len(chosen))]]
            new_id = np.cumsum(valid) - 1 + n_parts
            part[moved] = new_id[part[moved]]
            # Both halves of a split stay open for the next round; a new half is not retried now.
            unresolved = np.r_[unresolved & ~valid, np.zeros(n_new, bool)]
            next_open = np.r_[next_open | valid, np.ones(n_new, bool)]
            spans = np.r_[spans, np.zeros((n_new, spans.shape[1]))]
            order = np.r_[order, np.zeros((n_new, order.shape[1]), np.int64)]
            n_parts += n_new
        open_mask = np.r_[next_open, np.zeros(n_parts - len(next_open), bool)]
    stats = class_stats(frame, part, n_parts, model, global_p=reference)
    return Solution(part, n_parts, stats, None)
