"""Identifiers of a customer file as PSI elements, normalized exactly as intake and matching do."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from mamori.errors import InputError
from mamori.lake.match.records import load, read_mapping
from mamori.lake.psi.protocol import Identifier

KINDS = ("email", "phone")


def parse_kinds(text: str) -> tuple[str, ...]:
    """Parse `--on email,phone`."""
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    bad = [k for k in kinds if k not in KINDS]
    if bad or not kinds:
        raise InputError(f"識別子の種類が不正です: {bad}", f"unknown identifier kinds: {bad}", field="--on")
    return kinds


def identifiers(
    path: Path, kinds: Sequence[str], mapping: Path | None = None
) -> dict[Identifier, tuple[str, ...]]:
    """Return {(kind, normalized value): subject ids holding it}; rows without one are simply absent."""
    frame = load(path, read_mapping(mapping))
    owners: dict[Identifier, list[str]] = defaultdict(list)
    for kind in kinds:
        for subject, value in zip(frame["id"].to_list(), frame[kind].to_list(), strict=True):
            if value is not None:
                owners[(kind, value)].append(subject)
    return {ident: tuple(ids) for ident, ids in owners.items()}
