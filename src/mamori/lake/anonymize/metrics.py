"""Re-identification risk and utility of a release, from its equivalence classes.

Risk models (El Emam; as ARX reports them): prosecutor (the attacker knows the person is
in the release: 1 / class size), journalist (the attacker matches against a larger
population: here the whole input, generalized the same way), marketer (the share of
records an attacker re-identifies by matching everyone: classes / records). Utility:
NCP (normalized certainty penalty), discernibility (Bayardo & Agrawal: Σ|E|², a suppressed
record costs the table size) and non-uniform entropy (Σ -log2 P(original | shown)).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mamori.lake.anonymize.flash import Solution
from mamori.lake.anonymize.frame import FloatArray, Frame
from mamori.lake.anonymize.labels import Shown


def risk(frame: Frame, solution: Solution) -> dict[str, Any]:
    """Compute prosecutor, journalist and marketer risk and the share of unique records."""
    n = frame.rows
    stats = solution.stats
    kept_classes = stats.ok & (stats.sizes > 0)
    sizes = stats.sizes[kept_classes]
    released = float(sizes.sum())
    before_unique = float(frame.counts[frame.counts == 1].sum()) / n if n else 0.0
    if released == 0:
        return {"records_released": 0}
    # The population is the input: released classes keep all their records (suppression
    # removes whole classes), so each released class's population size equals its size.
    population = sizes
    return {
        "prosecutor": {
            "highest": float(1 / sizes.min()),
            "average": float(len(sizes) / released),
            "records_at_highest": float(sizes[sizes == sizes.min()].sum() / released),
        },
        "journalist": {
            "highest": float(1 / population.min()),
            "average": float((sizes / population).sum() / released),
            "population": "input",
        },
        "marketer": float(len(sizes) / released),
        "unique_records_before": before_unique,
        "unique_records_after": float(sizes[sizes == 1].sum() / released),
    }


def utility(frame: Frame, solution: Solution, shown: list[Shown]) -> dict[str, Any]:
    """Compute NCP (GenILoss), discernibility and non-uniform entropy of the release."""
    n = frame.rows
    stats = solution.stats
    kept = stats.ok[solution.cls]
    counts = frame.counts
    suppressed = float(counts[~kept].sum())
    ncp_per_column = {}
    total_ncp = 0.0
    entropy = 0.0
    for column, view in zip(frame.columns, shown, strict=True):
        ncp = float((np.where(kept, view.ncp, 1.0) * counts).sum()) / n
        ncp_per_column[column.name] = ncp
        total_ncp += ncp
        # P(original | shown) among the released records: joint frequency over label frequency.
        width = len(column.values)
        label_freq = np.bincount(view.label[kept], weights=counts[kept], minlength=len(view.names))
        value_freq = np.bincount(column.codes, weights=counts, minlength=width)
        joint_at: FloatArray
        if solution.levels is not None:
            # Full-domain: the label is a function of the value, so the joint is the value's count.
            joint_at = np.bincount(column.codes[kept], weights=counts[kept], minlength=width)[column.codes]
        else:
            joint_key = view.label * width + column.codes
            unique, inverse = np.unique(joint_key[kept], return_inverse=True)
            joint = np.bincount(inverse, weights=counts[kept])
            at = np.clip(np.searchsorted(unique, joint_key), 0, max(len(unique) - 1, 0))
            joint_at = joint[at] if len(unique) else np.ones(len(counts))
        p = np.where(
            kept, joint_at / np.maximum(label_freq[view.label], 1e-300), value_freq[column.codes] / n
        )
        entropy += float((-np.log2(np.clip(p, 1e-300, 1.0)) * counts).sum())
    sizes = stats.sizes[stats.ok]
    return {
        "ncp": total_ncp / len(frame.columns),
        "ncp_per_column": ncp_per_column,
        "discernibility": float((sizes**2).sum() + suppressed * n),
        "non_uniform_entropy": entropy,
        "equivalence_classes": len(sizes),
        "average_class_size": float(sizes.mean()) if len(sizes) else 0.0,
    }


def achieved(solution: Solution, t_released: float | None) -> dict[str, Any]:
    """Return the k, l and t the released classes reach."""
    stats = solution.stats
    ok = stats.ok & (stats.sizes > 0)
    if not ok.any():
        return {"k": 0}

    def finite(values: np.ndarray) -> float | None:
        low = float(values[ok].min())
        return None if np.isinf(low) else low

    return {
        "k": int(stats.sizes[ok].min()),
        "l_distinct": finite(stats.l_distinct),
        "l_entropy": finite(stats.l_entropy),
        "t": t_released,
    }
