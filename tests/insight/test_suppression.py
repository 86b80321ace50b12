"""Complementary suppression: an attacker with every released total must not recover a hidden cell."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mamori.domain.insight.suppression import Key, margins_of, recoverable, suppress


def attacker_recovers(
    cells: dict[Key, float], dims: int, hidden: frozenset[Key], min_persons: int
) -> set[Key]:
    """Solve for each hidden cell from released cells and every releasable margin (least squares)."""
    margins = margins_of(cells, dims)
    equations, targets = [], []
    unknown = sorted(hidden, key=repr)
    index = {k: i for i, k in enumerate(unknown)}
    for keys in margins.values():
        total = sum(cells[k] for k in keys)
        if total < min_persons:
            continue  # that margin would itself be suppressed
        row = np.zeros(len(unknown))
        for k in keys:
            if k in index:
                row[index[k]] = 1.0
        if row.any():
            equations.append(row)
            targets.append(total - sum(cells[k] for k in keys if k not in index))
    recovered = set()
    if not equations:
        return recovered
    a = np.array(equations)
    for k, i in index.items():
        # e_i is in the row space iff a^T y = e_i has an exact solution: the attacker's linear combination.
        e = np.zeros(len(unknown))
        e[i] = 1.0
        y, *_ = np.linalg.lstsq(a.T, e, rcond=None)
        if np.allclose(a.T @ y, e, atol=1e-8):
            value = float(y @ np.array(targets))
            assert value == pytest.approx(cells[k])  # the attack really yields the true value
            recovered.add(k)
    return recovered


def random_table(seed: int, shape: tuple[int, ...], small: float) -> dict[Key, float]:
    rng = np.random.default_rng(seed)
    cells: dict[Key, float] = {}
    for key in itertools.product(*(range(n) for n in shape)):
        value = int(rng.integers(1, 40)) if rng.random() < small else int(rng.integers(50, 400))
        cells[key] = float(value)
    return cells


def test_MAMORI_AGG_1_primary_only_is_recoverable_by_row_totals() -> None:
    cells = {("a", "x"): 10.0, ("a", "y"): 200.0, ("b", "x"): 300.0, ("b", "y"): 250.0}
    primary = frozenset({("a", "x")})
    assert attacker_recovers(cells, 2, primary, 50) == {("a", "x")}


def test_MAMORI_AGG_1_complementary_suppression_blocks_row_column_recovery() -> None:
    cells = {("a", "x"): 10.0, ("a", "y"): 200.0, ("b", "x"): 300.0, ("b", "y"): 250.0}
    result = suppress(cells, 2, 50)
    assert result.primary == {("a", "x")}
    assert result.suppressed == set(cells)  # a 2x2 table with one small cell must hide all four
    assert attacker_recovers(cells, 2, result.suppressed, 50) == set()


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("shape", [(4, 5), (3, 4, 3), (6, 7), (2, 3, 2, 3)])
def test_MAMORI_AGG_1_no_suppressed_cell_recoverable_from_any_margin(
    seed: int, shape: tuple[int, ...]
) -> None:
    cells = random_table(seed, shape, small=0.2)
    result = suppress(cells, len(shape), 50)
    assert result.primary == {k for k, v in cells.items() if v < 50}
    assert attacker_recovers(cells, len(shape), result.suppressed, 50) == set()
    assert (
        recoverable(
            {m: ks for m, ks in margins_of(cells, len(shape)).items() if sum(cells[k] for k in ks) >= 50},
            result.suppressed,
        )
        == set()
    )


def test_MAMORI_AGG_1_line_rule_alone_leaves_a_bridge_the_audit_closes() -> None:
    # Two 2x2 blocks of small cells joined by one hidden cell: every line holds two hidden
    # cells, yet the joining cell follows from the margins; the audit must catch it.
    cells: dict[Key, float] = {}
    for r, c in itertools.product(range(5), range(5)):
        cells[(r, c)] = 500.0
    for key in [(0, 0), (0, 1), (1, 0), (1, 1), (3, 3), (3, 4), (4, 3), (4, 4), (1, 3)]:
        cells[key] = 10.0
    result = suppress(cells, 2, 50)
    assert attacker_recovers(cells, 2, result.suppressed, 50) == set()


def test_MAMORI_AGG_1_large_cells_are_all_released() -> None:
    cells = random_table(3, (4, 4), small=0.0)
    assert suppress(cells, 2, 50).suppressed == frozenset()


def test_MAMORI_AGG_1_sparse_and_dense_audits_agree() -> None:
    from mamori.domain.insight import suppression

    cells = random_table(5, (5, 8, 5), small=0.35)
    known = {m: ks for m, ks in margins_of(cells, 3).items() if sum(cells[k] for k in ks) >= 50}
    primary = frozenset(k for k, v in cells.items() if v < 50)
    dense_limit = suppression._DENSE_LIMIT
    try:
        suppression._DENSE_LIMIT = 10**9
        dense = recoverable(known, primary)
        suppression._DENSE_LIMIT = 0
        sparse = recoverable(known, primary)
    finally:
        suppression._DENSE_LIMIT = dense_limit
    assert dense == sparse and dense  # primary suppression alone leaves recoverable cells here
    result = suppress(cells, 3, 50)
    assert attacker_recovers(cells, 3, result.suppressed, 50) == set()


@pytest.mark.parametrize("seed", range(4))
def test_MAMORI_AGG_1_sparse_audit_protects_like_dense(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from mamori.domain.insight import suppression

    monkeypatch.setattr(suppression, "_DENSE_LIMIT", 0)
    cells = random_table(seed, (4, 6, 3), small=0.3)
    result = suppress(cells, 3, 50)
    assert attacker_recovers(cells, 3, result.suppressed, 50) == set()
