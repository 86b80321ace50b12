"""The rows of insight releases kept in the lake, and what a new request reads (snapshot, world).

The ledger keeps each release's record and the SHA-256 of its rows (MAMORI-AGG-1, MAMORI-DP-1);
the rows themselves are kept here so a recipient can fetch a past result again. On reading,
the rows are hashed the way the engine hashed them, so a file changed after the release is
refused rather than served.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from mamori.domain.calendar import jst_date
from mamori.domain.insight.spec import InsightSpec
from mamori.errors import InputError, LedgerError
from mamori.lake.insight.world import InsightWorld
from mamori.lake.snapshot import read_snapshot_meta
from mamori.services.snapshot import SnapshotEngine, SnapshotSource, take_snapshot
from mamori.settings import Settings


def rows_digest(rows: list[dict[str, Any]]) -> str:
    """Hash rows exactly as the insight engine does (canonical JSON)."""
    canonical = json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class JsonReleaseResults:
    """One JSON file per release under `lake/insight/releases/`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, release_id: int) -> Path:
        return self.folder / f"release-{int(release_id)}.json"

    def save(self, release_id: int, columns: list[str], rows: list[dict[str, Any]]) -> None:
        """Write a release's rows atomically."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(release_id)
        temporary = path.with_name(f".{path.name}.tmp")
        body = {"release_id": release_id, "columns": columns, "rows": rows}
        temporary.write_text(json.dumps(body, ensure_ascii=False, default=str), encoding="utf-8")
        os.replace(temporary, path)

    def load(self, release_id: int, digest: str) -> tuple[list[str], list[dict[str, Any]]] | None:
        """Return a release's columns and rows, or None when they were not kept; refuse altered rows."""
        path = self._path(release_id)
        if not path.is_file():
            return None
        body = json.loads(path.read_text(encoding="utf-8"))
        rows: list[dict[str, Any]] = body["rows"]
        if rows_digest(rows) != digest:
            raise LedgerError(
                f"提供 #{release_id} の結果ファイルが記録と一致しません（改変の疑い）",
                f"the rows of release #{release_id} do not match the ledger's digest (altered?)",
            )
        return list(body["columns"]), rows


class FreshSnapshots:
    """Return a consent snapshot no older than the ledger: reuse the newest, or take a new one.

    A release must not count a member who withdrew after the last snapshot (MAMORI-1), so a
    snapshot whose ledger position or JST day is behind is replaced before the request runs.
    """

    def __init__(self, settings: Settings, source: SnapshotSource, engine: SnapshotEngine) -> None:
        self.settings, self.source, self.engine = settings, source, engine

    def current(self, now: datetime) -> Path:
        """Return the path of a snapshot at the ledger's current position, taken today (JST)."""
        folder = self.settings.lake_dir / "snapshots"
        found = sorted(folder.glob("*.parquet"), key=lambda p: p.stat().st_mtime) if folder.is_dir() else []
        if found:
            meta = read_snapshot_meta(found[-1])
            taken = meta.get("mamori.taken_at", "")
            same_day = bool(taken) and jst_date(datetime.fromisoformat(taken)) == jst_date(now)
            if same_day and meta.get("mamori.position") == str(self.source.position()):
                return found[-1]
        target = folder / f"consent-{now:%Y%m%dT%H%M%S%f}.parquet"
        return take_snapshot(self.source, self.engine, now, target, self.settings.policy).path


def insight_world(lake_dir: Path, snapshot: Path, spec: InsightSpec) -> InsightWorld:
    """Return the lake's world for a request, with the features and scores of the last profile refresh.

    `mamori insight refresh` writes them to `lake/profiles/`; a spec that reads scores when none
    were computed is bad input, not a failure of the engine.
    """
    world = InsightWorld.in_folder(lake_dir, snapshot)
    profiles = lake_dir / "profiles"
    features = world.features or _existing(profiles / "features.parquet")
    scores = world.scores or _existing(profiles / "scores.parquet")
    if spec.score_ids and scores is None:
        raise InputError(
            "スコアがまだ計算されていません（mamori insight refresh）",
            "no lifestyle scores have been computed yet (`mamori insight refresh`)",
            field="metrics",
        )
    return InsightWorld(world.members, world.transactions, snapshot, world.shops, features, scores)


def _existing(path: Path) -> Path | None:
    return path if path.is_file() else None
