"""The insight engine on DuckDB: reads the world, aggregates, suppresses, returns released rows."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa

from mamori.domain.insight.spec import InsightSpec
from mamori.lake.insight.cells import aggregate, key_text, release_rows
from mamori.lake.insight.world import InsightWorld, open_world
from mamori.lake.snapshot import read_snapshot_meta
from mamori.services.insight import InsightOutcome, SnapshotRef


def file_digest(path: Path) -> str:
    """Return the SHA-256 of a file (the snapshot a release was computed from)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class DuckDBInsightEngine:
    """Runs insight requests over a world folder and a consent snapshot."""

    def __init__(self, world: InsightWorld, threads: int | None = None) -> None:
        self.world = world
        self.threads = threads

    def snapshot(self) -> SnapshotRef:
        """Describe the consent snapshot the engine reads."""
        meta = read_snapshot_meta(self.world.snapshot)
        return SnapshotRef(
            path=str(self.world.snapshot),
            position=int(meta.get("mamori.position", "0")),
            taken_at=meta.get("mamori.taken_at", ""),
            bits=json.loads(meta.get("mamori.purpose_bits", "{}")),
            digest=file_digest(self.world.snapshot),
        )

    def run(self, spec: InsightSpec, bit: int, population: pa.Table | None) -> InsightOutcome:
        """Aggregate the consenting (and population) members; suppress and noise as the spec says."""
        snapshot = self.snapshot()
        as_of = _as_of(snapshot.taken_at)
        con = open_world(self.world, self.threads)
        try:
            if population is not None:
                con.register("population", population.select(["subject_id"]))
            cells = aggregate(
                con, spec, bit, as_of, population=population is not None,
                has_features=self.world.features is not None,
            )  # fmt: skip
        finally:
            con.close()
        rows = release_rows(spec, cells)
        canonical = json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str)
        suppressed = sorted(key_text(k) for k in cells.suppression.suppressed)
        return InsightOutcome(
            rows=rows,
            columns=[*cells.dims, *(m.replace(":", "_") for m in spec.metrics), "suppressed"],
            suppressed=suppressed,
            primary=len(cells.suppression.primary),
            snapshot=snapshot,
            epsilon=cells.epsilon,
            digest=hashlib.sha256(canonical.encode()).hexdigest(),
        )


def _as_of(taken_at: str) -> date:
    """Ages are counted on the snapshot's JST date (the ledger's legal calendar)."""
    if not taken_at:
        return date.today()  # a snapshot without metadata is not produced by mamori; be lenient
    return datetime.fromisoformat(taken_at).date()
