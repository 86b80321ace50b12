"""Laplace noise from OpenDP, calibrated to a sensitivity and an ε (MAMORI-DP-1).

OpenDP (the OpenDP project's vetted library) draws the noise from a cryptographically secure
source with exact sampling, which hand-written numpy noise would not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_ENABLED = False


def _prelude() -> Any:
    global _ENABLED
    import opendp.prelude as dp  # imported late: only DP requests need it

    if not _ENABLED:
        dp.enable_features("contrib")  # the Laplace mechanism is in OpenDP's contrib set
        _ENABLED = True
    return dp


def laplace(values: Sequence[float], sensitivity: float, epsilon: float) -> list[float]:
    """Add Laplace noise so that releasing `values` is ε-DP for L1 `sensitivity`."""
    if not values:
        return []
    dp = _prelude()
    scale = sensitivity / epsilon
    space = dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.l1_distance(T=float)
    measurement = dp.m.make_laplace(*space, scale=scale)
    # The privacy map is OpenDP's own statement of the loss; refuse if it is not within ε.
    spent = float(measurement.map(float(sensitivity)))
    if spent > epsilon * (1 + 1e-9):
        raise ValueError(f"the Laplace mechanism would spend {spent} > {epsilon}")
    return [float(v) for v in measurement([float(v) for v in values])]
