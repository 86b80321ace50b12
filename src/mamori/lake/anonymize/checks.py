"""Privacy models over equivalence classes: k-anonymity, l-diversity, t-closeness.

A class assignment is an integer per combination of the frequency table; every check is a
handful of ``bincount`` calls over the (combination, sensitive value) triples. Definitions
follow the literature as pycanon implements them, so the tests can verify with it: entropy
l is exp(min class entropy); t is the earth mover's distance to the table's distribution,
ordered for numbers, equal-distance for categories.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mamori.domain.anonymity.models import LKind, PrivacyModel
from mamori.lake.anonymize.frame import BoolArray, FloatArray, Frame, IntArray, Sensitive

# Beyond this many cells the ordered EMD is computed in chunks of classes.
_DENSE_CELLS = 20_000_000


@dataclass(slots=True)
class ClassStats:
    """Per class: size, whether it satisfies the model, and the l / t it reaches."""

    sizes: FloatArray
    ok: BoolArray
    l_distinct: FloatArray
    l_entropy: FloatArray
    t: FloatArray


def _pairs(s: Sensitive, cls: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
    """Collapse the triples of one sensitive attribute to (class, value, count)."""
    width = len(s.values)
    key = cls[s.combo] * width + s.value
    unique, inverse = np.unique(key, return_inverse=True)
    counts = np.bincount(inverse, weights=s.count)
    return unique // width, unique % width, counts


def _distribution(s: Sensitive, cls: IntArray, keep: BoolArray) -> FloatArray:
    weights = s.count * keep[cls[s.combo]]
    hist = np.bincount(s.value, weights=weights, minlength=len(s.values))
    total = hist.sum()
    return hist / total if total else hist


def _t_values(s: Sensitive, cls: IntArray, n_classes: int, sizes: FloatArray, p: FloatArray) -> FloatArray:
    pc, pv, cnt = _pairs(s, cls)
    q = cnt / sizes[pc]
    if not s.numeric:
        # Equal distance: half the L1 distance; absent values contribute p_v each.
        diff = np.abs(q - p[pv]) - p[pv]
        return 0.5 * (1.0 + np.bincount(pc, weights=diff, minlength=n_classes))
    # Ordered EMD over the values present in the reference (pycanon and the literature use
    # the values of the released table): drop the columns of absent values.
    present = np.flatnonzero(p > 0)
    column_of = np.full(len(p), -1, np.int64)
    column_of[present] = np.arange(len(present))
    pv = column_of[pv]
    inside = pv >= 0
    pc, pv, q = pc[inside], pv[inside], q[inside]
    p = p[present]
    width = len(present)
    out = np.zeros(n_classes)
    if width < 2:
        return out
    step = max(1, _DENSE_CELLS // width)
    for start in range(0, n_classes, step):
        stop = min(start + step, n_classes)
        mask = (pc >= start) & (pc < stop)
        dense = np.zeros((stop - start, width))
        dense[pc[mask] - start, pv[mask]] = q[mask]
        # Ordered EMD: sum of |cumulative difference| over the sorted values, over (m - 1).
        out[start:stop] = np.abs(np.cumsum(dense - p, axis=1)).sum(axis=1) / (width - 1)
    return out


def class_stats(
    frame: Frame,
    cls: IntArray,
    n_classes: int,
    model: PrivacyModel,
    *,
    global_p: list[FloatArray] | None = None,
) -> ClassStats:
    """Check every class against the model.

    With ``global_p`` the t-closeness reference is fixed (local recoding, nothing suppressed);
    without it, the reference is the distribution of the records that are kept, found by a
    short fixed point, so that t holds for the released table itself.
    """
    sizes = np.bincount(cls, weights=frame.counts, minlength=n_classes)
    ok = sizes >= model.k
    l_distinct = np.full(n_classes, np.inf)
    l_entropy = np.full(n_classes, np.inf)
    for s in frame.sensitive:
        pc, _, cnt = _pairs(s, cls)
        l_distinct = np.minimum(l_distinct, np.bincount(pc, minlength=n_classes).astype(np.float64))
        p = cnt / sizes[pc]
        entropy = -np.bincount(pc, weights=p * np.log(p), minlength=n_classes)
        l_entropy = np.minimum(l_entropy, np.exp(entropy))
    if model.l is not None and frame.sensitive:
        reached = l_distinct if model.l_kind is LKind.DISTINCT else l_entropy
        ok &= reached >= model.l - 1e-9
    t_values = np.zeros(n_classes)
    if model.t is not None and frame.sensitive:
        before = ok.copy()
        for _ in range(10):
            t_values = np.zeros(n_classes)
            for i, s in enumerate(frame.sensitive):
                p = global_p[i] if global_p is not None else _distribution(s, cls, ok)
                t_values = np.maximum(t_values, _t_values(s, cls, n_classes, sizes, p))
            new_ok = before & (t_values <= model.t + 1e-12)
            if global_p is not None or np.array_equal(new_ok, ok):
                ok = new_ok
                break
            ok = new_ok
    return ClassStats(sizes, ok, l_distinct, l_entropy, t_values)


def global_distributions(frame: Frame) -> list[FloatArray]:
    """Return each sensitive attribute's distribution over the whole table."""
    everything = np.zeros(len(frame.counts), np.int64)
    keep = np.ones(1, bool)
    return [_distribution(s, everything, keep) for s in frame.sensitive]


def released_t(frame: Frame, cls: IntArray, n_classes: int, keep: BoolArray) -> FloatArray:
    """Return per class the t reached against the released table's own distribution."""
    sizes = np.bincount(cls, weights=frame.counts, minlength=n_classes)
    worst = np.zeros(n_classes)
    for s in frame.sensitive:
        worst = np.maximum(worst, _t_values(s, cls, n_classes, sizes, _distribution(s, cls, keep)))
    return worst
