"""Primary and complementary (secondary) cell suppression for MAMORI-AGG-1.

A cell covering fewer than `min_persons` distinct persons is suppressed (primary). That alone
is not enough: a client who knows a row, column or any coarser marginal total (from this
release or from another request over the same population) recovers a lone suppressed cell by
subtraction. So the algorithm adds secondary suppressions until no suppressed cell is a
linear combination of released cells and known margins:

1. line rule (the classic heuristic): every known line (all dimensions fixed but one) that
   holds a suppressed cell holds at least two; the partner is the smallest released cell;
2. audit: for every connected group of suppressed cells, the equations "margin = sum of its
   cells" are solved exactly (projection onto their row space); a suppressed cell whose value is the
   same in every solution is exactly recoverable, and gets a partner; repeat from 1.

Margins are "known" when they would themselves be released (persons >= min_persons), i.e.
the whole hierarchy of margins over every subset of the dimensions, down to the grand total.
Hand-written because no well-kept Python library does cell suppression (sdcTable and
tau-Argus are R / Java desktop tools); the audit makes the heuristic checkable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

Key = tuple[Hashable, ...]
Margin = tuple[tuple[int, ...], Key]  # (kept dimension indexes, their values)
_TOLERANCE = 1e-9
_DENSE_LIMIT = 400  # cells; beyond this the sparse null-space test is much faster
_NULL_SAMPLES = 4


@dataclass(frozen=True, slots=True)
class Suppression:
    """Which cells are withheld, and why."""

    primary: frozenset[Key]
    secondary: frozenset[Key]

    @property
    def suppressed(self) -> frozenset[Key]:
        """Return every withheld cell."""
        return self.primary | self.secondary


def margin_subsets(dims: int) -> list[tuple[int, ...]]:
    """Return every proper subset of dimension indexes, coarsest (grand total) first."""
    return [s for size in range(dims) for s in combinations(range(dims), size)]


def margins_of(cells: Mapping[Key, float], dims: int) -> dict[Margin, list[Key]]:
    """Group the cells under every margin of every proper subset of dimensions."""
    found: dict[Margin, list[Key]] = defaultdict(list)
    for subset in margin_subsets(dims):
        for key in cells:
            found[(subset, tuple(key[i] for i in subset))].append(key)
    return found


def suppress(
    cells: Mapping[Key, float],
    dims: int,
    min_persons: int,
    margin_persons: Mapping[Margin, float] | None = None,
) -> Suppression:
    """Choose the cells to withhold so that none below `min_persons` can be recovered.

    `cells` maps each non-empty cell to its distinct persons; `margin_persons` gives the
    distinct persons of each margin when they do not add up (a person buying in two
    categories); by default a margin's persons are the sum of its cells.
    """
    primary = frozenset(k for k, v in cells.items() if v < min_persons)
    members = margins_of(cells, dims)
    persons = margin_persons or {m: float(sum(cells[k] for k in ks)) for m, ks in members.items()}
    known = {m: ks for m, ks in members.items() if persons.get(m, 0.0) >= min_persons}
    lines = {m: ks for m, ks in known.items() if len(m[0]) == dims - 1}
    of_cell: dict[Key, list[Margin]] = defaultdict(list)
    for margin, ks in known.items():
        for k in ks:
            of_cell[k].append(margin)
    suppressed = set(primary)
    while True:
        _line_rule(cells, lines, suppressed)
        exposed = recoverable(known, suppressed)
        if not exposed:
            break
        added = False
        for key in sorted(exposed, key=repr):
            partner = _partner(cells, key, of_cell, known, suppressed, dims)
            if partner is not None:
                suppressed.add(partner)
                added = True
        if not added:  # nothing left to hide behind; cannot happen when margins are consistent
            break
    return Suppression(primary, frozenset(suppressed) - primary)


def _line_rule(cells: Mapping[Key, float], lines: Mapping[Margin, list[Key]], suppressed: set[Key]) -> None:
    changed = True
    while changed:
        changed = False
        for keys in lines.values():
            hidden = [k for k in keys if k in suppressed]
            shown = [k for k in keys if k not in suppressed]
            if len(hidden) == 1 and shown:
                suppressed.add(min(shown, key=lambda k: (cells[k], repr(k))))
                changed = True


def _partner(
    cells: Mapping[Key, float],
    key: Key,
    of_cell: Mapping[Key, list[Margin]],
    known: Mapping[Margin, list[Key]],
    suppressed: set[Key],
    dims: int,
) -> Key | None:
    # Prefer a partner in the same line (costs least information), then in any shared margin.
    for wanted in (dims - 1, None):
        candidates = [
            k
            for m in of_cell.get(key, [])
            if wanted is None or len(m[0]) == wanted
            for k in known[m]
            if k not in suppressed
        ]
        if candidates:
            return min(candidates, key=lambda k: (cells[k], repr(k)))
    return None


def recoverable(known: Mapping[Margin, list[Key]], suppressed: set[Key] | frozenset[Key]) -> set[Key]:
    """Return the suppressed cells whose exact value follows from the known margins."""
    rows = [[k for k in ks if k in suppressed] for ks in known.values()]
    rows = [r for r in rows if r]
    exposed: set[Key] = set()
    for component_rows, component_cells in _components(rows):
        index = {k: i for i, k in enumerate(component_cells)}
        pinned = _pinned_dense if len(component_cells) <= _DENSE_LIMIT else _pinned_sparse
        flags = pinned(component_rows, index)
        exposed.update(k for k, i in index.items() if flags[i])
    return exposed


def _pinned_dense(rows: list[list[Key]], index: Mapping[Key, int]) -> npt.NDArray[np.bool_]:
    matrix = np.zeros((len(rows), len(index)))
    for r, row in enumerate(rows):
        for k in row:
            matrix[r, index[k]] = 1.0
    # e_j lies in the row space of the equations iff the orthogonal projector onto that row
    # space has 1 on its diagonal at j; the row space is the range of the Gram matrix AᵀA.
    eigenvalues, vectors = np.linalg.eigh(matrix.T @ matrix)
    keep = eigenvalues > _TOLERANCE * max(float(eigenvalues.max(initial=0.0)), 1.0)
    diagonal: npt.NDArray[np.float64] = np.sum(vectors[:, keep] ** 2, axis=1)
    return diagonal > 1 - 1e-6


def _pinned_sparse(rows: list[list[Key]], index: Mapping[Key, int]) -> npt.NDArray[np.bool_]:
    """Large groups: a cell is pinned iff it is zero in every vector of the null space.

    Random null-space vectors x = z - Aᵀy (y the least-squares solution of Aᵀy = z, by LSQR on
    the sparse matrix) are generic: a free cell is non-zero in them with probability 1, so a
    few of them separate pinned from free cells without a dense factorization.
    """
    from scipy.sparse import csr_matrix  # only large tables need it
    from scipy.sparse.linalg import lsqr

    data: list[float] = []
    cols: list[int] = []
    ptr = [0]
    for row in rows:
        cols.extend(index[k] for k in row)
        data.extend([1.0] * len(row))
        ptr.append(len(cols))
    transpose = csr_matrix((data, cols, ptr), shape=(len(rows), len(index))).T.tocsr()
    generator = np.random.default_rng(len(index))  # deterministic: the same table, the same answer
    free = np.zeros(len(index), dtype=bool)
    for _ in range(_NULL_SAMPLES):
        z = generator.standard_normal(len(index))
        y = lsqr(transpose, z, atol=1e-14, btol=1e-14, iter_lim=20 * len(index))[0]
        x = z - transpose @ y
        free |= np.abs(x) > 1e-7 * float(np.linalg.norm(z))
    return ~free


def _components(rows: list[list[Key]]) -> list[tuple[list[list[Key]], list[Key]]]:
    parent: dict[Key, Key] = {}

    def find(k: Key) -> Key:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for row in rows:
        first = find(row[0])
        for k in row[1:]:
            parent[find(k)] = first
    grouped_rows: dict[Key, list[list[Key]]] = defaultdict(list)
    grouped_cells: dict[Key, set[Key]] = defaultdict(set)
    for row in rows:
        root = find(row[0])
        grouped_rows[root].append(row)
        grouped_cells[root].update(row)
    return [(grouped_rows[r], sorted(grouped_cells[r], key=repr)) for r in grouped_rows]
