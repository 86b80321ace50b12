"""Links into persons, with unified subject ids that survive re-runs.

A person is a connected component of LEFT and RIGHT records joined by accepted links. Ids come from
the previous run's registry when the person is the same: a component takes the id most of its
records had (largest components choose first, so a split keeps the id with its bigger part); a new
person gets `u-` + a hash of its smallest record key, which is stable across runs as well.
Hand-written union-find: a few lines, and the graph is small (links are near one-to-one).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable

import polars as pl

REGISTRY_SCHEMA = {"dataset": pl.String, "record_id": pl.String, "subject_id": pl.String}


def _find(parent: dict[str, str], node: str) -> str:
    root = node
    while parent[root] != root:
        root = parent[root]
    while parent[node] != root:  # path compression
        parent[node], node = root, parent[node]
    return root


def components(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Return the connected components (each sorted), largest first."""
    parent = {n: n for n in nodes}
    for a, b in edges:
        ra, rb = _find(parent, a), _find(parent, b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for node in parent:
        groups[_find(parent, node)].append(node)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))


def _new_id(first: str) -> str:
    return "u-" + hashlib.sha256(first.encode()).hexdigest()[:16]


def assign(
    links: pl.DataFrame,
    left_ids: Iterable[str],
    right_ids: Iterable[str],
    *,
    left_name: str,
    right_name: str,
    registry: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Return (dataset, record_id, subject_id) for every record of both sides."""
    key_l, key_r = f"{left_name}\x1f", f"{right_name}\x1f"
    nodes = [key_l + i for i in left_ids] + [key_r + i for i in right_ids]
    edges = [(key_l + a, key_r + b) for a, b in links.select("left_id", "right_id").iter_rows()]
    previous: dict[str, str] = {}
    if registry is not None:
        for dataset, record, subject in registry.select(list(REGISTRY_SCHEMA)).iter_rows():
            previous[f"{dataset}\x1f{record}"] = subject
    claimed: set[str] = set()
    rows: list[tuple[str, str, str]] = []
    for group in components(nodes, edges):
        votes = Counter(previous[n] for n in group if n in previous)
        choice = next(
            (sid for sid, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])) if sid not in claimed),
            None,
        )
        if choice is None:
            choice = _new_id(group[0])
            suffix = 1
            while choice in claimed:
                choice, suffix = f"{_new_id(group[0])}-{suffix}", suffix + 1
        claimed.add(choice)
        for node in group:
            dataset, _, record = node.partition("\x1f")
            rows.append((dataset, record, choice))
    return pl.DataFrame(rows, schema=REGISTRY_SCHEMA, orient="row")
