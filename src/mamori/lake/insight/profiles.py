"""Features and lifestyle scores on DuckDB, written as Parquet for the lake and the member portal."""

from __future__ import annotations

import os
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb
import yaml

from mamori.domain.insight.scores import Catalogue, parse_catalogue
from mamori.lake.insight.features import DUCKDB, features_sql, scores_sql
from mamori.lake.insight.world import InsightWorld, open_world
from mamori.lake.snapshot import read_snapshot_meta
from mamori.services.profiles import ProfileInfo

CATALOGUE_FILE = "scores.yaml"


@cache
def load_catalogue() -> Catalogue:
    """Read the score catalogue shipped in the package."""
    text = resources.files("mamori.lake.insight").joinpath(CATALOGUE_FILE).read_text(encoding="utf-8")
    return parse_catalogue(yaml.safe_load(text), file=CATALOGUE_FILE)


def snapshot_day(world: InsightWorld) -> tuple[datetime, int]:
    """Return the snapshot's instant and ledger position (features are as of that day)."""
    meta = read_snapshot_meta(world.snapshot)
    return datetime.fromisoformat(meta["mamori.taken_at"]), int(meta["mamori.position"])


class DuckDBProfiles:
    """Computes features and scores for a world on DuckDB."""

    def __init__(self, world: InsightWorld, threads: int | None = None) -> None:
        self.world = world
        self.threads = threads
        self.catalogue = load_catalogue()

    def refresh(self, profiling_bit: int, analysis_bit: int, out_dir: Path) -> ProfileInfo:
        """Write features.parquet and scores.parquet (each replaced atomically)."""
        taken_at, position = snapshot_day(self.world)
        world = InsightWorld(
            self.world.members, self.world.transactions, self.world.snapshot, self.world.shops
        )
        con = open_world(world, self.threads)
        out_dir.mkdir(parents=True, exist_ok=True)
        features, scores = out_dir / "features.parquet", out_dir / "scores.parquet"
        try:
            eligible = (1 << profiling_bit) | (1 << analysis_bit)
            sql = features_sql(self.catalogue, DUCKDB, taken_at.date(), eligible, world.shops is not None)
            con.execute(f"CREATE TABLE features AS {sql}")
            featured = _count(con, "SELECT count(*) FROM features")
            _copy(con, "SELECT * FROM features ORDER BY subject_id", features)
            con.execute(f"CREATE TABLE scores AS {scores_sql(self.catalogue, DUCKDB, profiling_bit)}")
            scored = _count(con, "SELECT count(DISTINCT subject_id) FROM scores")
            _copy(con, "SELECT * FROM scores ORDER BY subject_id, score_id", scores)
        finally:
            con.close()
        return ProfileInfo(features, scores, featured, scored, position)


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    found = con.execute(sql).fetchone()
    return int(found[0]) if found else 0


def _copy(con: duckdb.DuckDBPyConnection, sql: str, path: Path) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    literal = str(temporary).replace("'", "''")
    con.execute(f"COPY ({sql}) TO '{literal}' (FORMAT parquet)")
    os.replace(temporary, path)  # a withdrawn member never lingers in a half-written file


class ParquetScores:
    """Reads one member's scores from scores.parquet (the ScoreReader port)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def rows_for(self, subject_id: str) -> list[tuple[str, float, list[tuple[str, float]]]]:
        """Return (score id, score, [(feature, contribution)]) for a member."""
        if not self.path.exists():
            return []
        con = duckdb.connect()
        try:
            rows = con.execute(
                "SELECT score_id, score, contributions FROM read_parquet(?) WHERE subject_id = ? ORDER BY score_id",
                [str(self.path), subject_id],
            ).fetchall()
        finally:
            con.close()
        return [(r[0], float(r[1]), [(c["feature"], float(c["contribution"])) for c in r[2]]) for r in rows]
