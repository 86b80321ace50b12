"""The consent gate: only subjects whose consent covers the engagement's purpose are linked.

Linking is processing for a purpose (APPI Art. 18(1)); mamori's policy (MAMORI-1) lets a subject
take part only under a valid grant for that purpose. The consent snapshot (`mamori snapshot`) holds
one row per subject with purpose bitmasks and, in its metadata, the purpose → bit map and the
ledger position it was taken at.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from mamori.errors import InputError

RULES = ("APPI-18-1", "MAMORI-1")


@dataclass(frozen=True, slots=True)
class Gate:
    """Which subjects may be linked for a purpose, and the snapshot that said so."""

    purpose: str
    snapshot: Path
    position: str
    taken_at: str
    allowed: pl.Series  # subject ids

    def split(self, frame: pl.DataFrame) -> tuple[pl.DataFrame, int]:
        """Return the rows whose subject is covered, and how many were excluded."""
        kept = frame.filter(pl.col("id").is_in(self.allowed.implode()))
        return kept, frame.height - kept.height


def latest_snapshot(lake_dir: Path) -> Path:
    """Return the newest consent snapshot under the lake, or fail saying how to make one."""
    found = sorted((lake_dir / "snapshots").glob("consent-*.parquet"))
    if not found:
        raise InputError(
            "同意スナップショットがありません（mamori snapshot で作成）",
            "no consent snapshot; run `mamori snapshot` first",
            file=str(lake_dir / "snapshots"),
        )
    return found[-1]


def gate(snapshot: Path, purpose: str) -> Gate:
    """Read the snapshot and return the subjects granted `purpose` and not objecting to it."""
    try:
        meta = {k.decode(): v.decode() for k, v in (pq.read_schema(snapshot).metadata or {}).items()}
        table = pl.read_parquet(snapshot, columns=["subject_id", "granted_mask", "objected_mask"])
    except (OSError, pl.exceptions.PolarsError, ValueError) as exc:
        raise InputError(
            "同意スナップショットを読めません", f"cannot read the snapshot: {exc}", file=str(snapshot)
        ) from exc
    bits = json.loads(meta.get("mamori.purpose_bits", "{}"))
    if purpose not in bits:
        raise InputError(
            f"目的 {purpose} はスナップショットにありません",
            f"purpose {purpose} is not in the snapshot",
            file=str(snapshot),
            field="--purpose",
        )
    bit = int(bits[purpose])
    granted = ((pl.col("granted_mask") // (1 << bit)) % 2 == 1) & (
        (pl.col("objected_mask") // (1 << bit)) % 2 == 0
    )
    allowed = table.filter(granted)["subject_id"].cast(pl.String)
    return Gate(
        purpose, snapshot, meta.get("mamori.position", "?"), meta.get("mamori.taken_at", "?"), allowed
    )
