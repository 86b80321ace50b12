"""A minimal full-domain generalization by greedy descent: Flash's few evaluations, for large tables.

Flash proves optimality by settling every node around the frontier of the lattice; with
near-unique rows (millions of records, six quasi-identifiers) each node just below the
frontier costs a pass over almost the whole table, and hundreds of them must be settled.
This search, in the spirit of ARX's heuristic strategies for large search spaces, settles
only a path: a binary search on Flash's first path finds a satisfying node, then it steps
down one level at a time — to the satisfying specialization with the least loss — until no
specialization satisfies. The result is a *minimal* satisfying node (every node below it
fails), with the same checks, suppression budget and roll-up as Flash; it is not
guaranteed to have the least loss among all minimal nodes. `--algorithm flash` gives that.
"""

from __future__ import annotations

from mamori.domain.anonymity.models import PrivacyModel
from mamori.lake.anonymize.flash import LatticeSearch, Solution, solution_at
from mamori.lake.anonymize.frame import Frame


def search(frame: Frame, model: PrivacyModel) -> Solution | None:
    """Find a minimal satisfying full-domain generalization with few node evaluations."""
    # Pair bounds pay off over hundreds of nodes; for a path their tables cost more than they save.
    run = LatticeSearch(frame, model, bounds=False)
    path = run.path(0)  # node 0 is the bottom (every column at level 0)
    if not run.holds(path[-1]):
        return None
    low, high = 0, len(path) - 1  # path[high] holds; find the lowest node on the path that holds
    while low < high:
        mid = (low + high) // 2
        if run.holds(path[mid]):
            high = mid
        else:
            low = mid + 1
    current = path[high]
    # Going down, a failing child's classes are never a base again: do not keep them.
    run.roll_failing = False
    while True:
        node = run.nodes[current]
        children = []
        for dim in range(len(node)):
            if node[dim] > 0:
                child = node.copy()
                child[dim] -= 1
                children.append(run.index[tuple(int(x) for x in child)])
        good = [c for c in children if run.holds(c)]
        if not good:
            break
        for c in good:  # tagged by prediction: evaluate to know the loss
            if c not in run.losses:
                run.state[c] = 0
                run.holds(c)
        current = min(good, key=lambda c: run.losses[c])
    return solution_at(run, current)
