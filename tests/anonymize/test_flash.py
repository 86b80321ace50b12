"""The lattice search with pruning finds the same optimum as evaluating every node."""

from __future__ import annotations

import itertools
from pathlib import Path

import duckdb
import pytest

from mamori.domain.anonymity.hierarchies import addresses, age_bands, postal_codes
from mamori.domain.anonymity.models import PrivacyModel
from mamori.lake.anonymize import descent, flash
from mamori.lake.anonymize.checks import class_stats
from mamori.lake.anonymize.source import build_frame, open_source, prepare


@pytest.mark.parametrize("k", [3, 8])
def test_PPC_RULE_34_flash_is_optimal_over_the_whole_lattice(members_csv: Path, k: int) -> None:
    source = open_source(members_csv, duckdb.connect())
    qi = ["age", "sex", "address", "postal_code"]
    prepare(source, qi, qi, [], 0.999)
    frame, _ = build_frame(
        source, qi, [], {"age": age_bands(), "address": addresses(), "postal_code": postal_codes()}
    )
    model = PrivacyModel(k=k, max_suppression=0.02)
    found = flash.search(frame, model)
    assert found is not None and found.levels is not None
    assert found.nodes_checked < found.nodes_total  # pruning skipped nodes
    best = None
    for node in itertools.product(*(range(c.levels) for c in frame.columns)):
        cls, n = flash._classes(frame, node)
        stats = class_stats(frame, cls, n, model)
        if stats.sizes[~stats.ok].sum() <= int(model.max_suppression * frame.rows):
            loss = flash._loss(frame, cls, stats, node)
            best = loss if best is None else min(best, loss)
    chosen_cls, n = flash._classes(frame, found.levels)
    chosen = flash._loss(frame, chosen_cls, class_stats(frame, chosen_cls, n, model), found.levels)
    assert chosen == pytest.approx(best)


@pytest.mark.parametrize("k", [3, 8])
def test_PPC_RULE_34_greedy_descent_finds_a_minimal_satisfying_node(members_csv: Path, k: int) -> None:
    source = open_source(members_csv, duckdb.connect())
    qi = ["age", "sex", "address", "postal_code"]
    prepare(source, qi, qi, [], 0.999)
    frame, _ = build_frame(
        source, qi, [], {"age": age_bands(), "address": addresses(), "postal_code": postal_codes()}
    )
    model = PrivacyModel(k=k, max_suppression=0.02)
    budget = int(model.max_suppression * frame.rows)
    found = descent.search(frame, model)
    assert found is not None and found.levels is not None
    assert found.stats.sizes[~found.stats.ok].sum() <= budget
    optimum = flash.search(frame, model)
    assert optimum is not None and found.nodes_checked < optimum.nodes_checked
    for dim, level in enumerate(found.levels):  # minimal: every one-level specialization fails
        if level == 0:
            continue
        below = tuple(lv - (d == dim) for d, lv in enumerate(found.levels))
        cls, n = flash._classes(frame, below)
        stats = class_stats(frame, cls, n, model)
        assert stats.sizes[~stats.ok].sum() > budget
