"""PSI runs kept by id in the lake, so that an insight request can use the overlap (`{psi: RUN_ID}`).

What is kept is exactly what the platform learned, and no more: in mode "members" (which the
client allowed with `--allow-members`) the platform's OWN subject ids found in the overlap; in
mode "size", only the counts. The client's identifiers, blinded values and the secret scalar
are never written. A run is bound to the recipient it was run with: its overlap is about that
client's customers, and serves only that client's requests (APPI-18-1).

    lake/psi/run-<RUN_ID>.json         counts, mode, context, recipient, members file digest
    lake/psi/members-<RUN_ID>.parquet  subject_id (mode "members" only)

The JSON is written last, so a run that has one is complete. Runs are records: an id is not reused.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from mamori.domain.insight.spec import RUN_ID
from mamori.errors import InputError, RefusedError
from mamori.lake.psi.protocol import Outcome


@dataclass(frozen=True, slots=True)
class PsiRun:
    """What a recorded PSI run says about itself."""

    run_id: str
    recipient: str
    context: str
    mode: str
    intersection_size: int
    own_elements: int
    peer_elements: int
    members: int | None
    members_sha256: str | None
    recorded_at: str


def check_run(run_id: str, recipient: str | None) -> None:
    """Refuse a run id that cannot name a file, or a record without its recipient."""
    if not RUN_ID.fullmatch(run_id):
        raise InputError(
            "実行 ID は英数字で始まり、英数字と . _ - からなる 100 文字以内です",
            "a run id starts with a letter or digit and has up to 100 letters, digits, . _ -",
            field="--run-id",
        )
    if not recipient:
        raise InputError(
            "--run-id には --recipient が必要です", "--run-id needs --recipient", field="--recipient"
        )


class PsiRuns:
    """The platform's recorded PSI runs in `lake/psi/`."""

    def __init__(self, lake_dir: Path) -> None:
        self.folder = lake_dir / "psi"

    def record(
        self, run_id: str, outcome: Outcome, *, recipient: str, mode: str, context: str, recorded_at: str
    ) -> PsiRun:
        """Keep the platform's outcome of a run under `run_id` (refused if the id was used)."""
        check_run(run_id, recipient)
        if self._meta(run_id).exists():
            raise InputError(
                f"PSI の実行 {run_id} は記録済みです（別の ID を指定してください）",
                f"PSI run {run_id} is already recorded (choose another id)",
                field="--run-id",
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        digest = None
        if outcome.members is not None:
            digest = _write_members(self._members(run_id), outcome.members)
        run = PsiRun(
            run_id=run_id,
            recipient=recipient,
            context=context,
            mode=mode,
            intersection_size=outcome.size,
            own_elements=outcome.own_count,
            peer_elements=outcome.peer_count,
            members=len(outcome.members) if outcome.members is not None else None,
            members_sha256=digest,
            recorded_at=recorded_at,
        )
        temporary = self._meta(run_id).with_name(f".{self._meta(run_id).name}.tmp")
        temporary.write_text(json.dumps(asdict(run), ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temporary, self._meta(run_id))
        return run

    def get(self, run_id: str) -> PsiRun | None:
        """Return a recorded run, or None."""
        meta = self._meta(run_id)
        if not RUN_ID.fullmatch(run_id) or not meta.exists():
            return None
        try:
            return PsiRun(**json.loads(meta.read_text(encoding="utf-8")))
        except (ValueError, TypeError) as exc:
            raise InputError(
                "PSI の実行記録が壊れています", "the PSI run record is corrupt", file=str(meta)
            ) from exc

    def overlap(self, run_id: str, recipient: str) -> pa.Table:
        """Return the platform's subjects in a run's overlap (`subject_id`), for that run's recipient only."""
        run = self.get(run_id)
        if run is None:
            raise InputError(
                f"PSI の実行 {run_id} の記録がありません（{self.folder}；mamori psi finish/serve --run-id で記録します）",
                f"no PSI run {run_id} is recorded in {self.folder} (`mamori psi finish/serve --run-id` records one)",
                field="population",
            )
        if run.recipient != recipient:
            # The overlap describes one client's customers; another client may not query it.
            raise RefusedError(
                f"PSI の実行 {run_id} は提供先 {run.recipient} との案件です（要求: {recipient}）",
                f"PSI run {run_id} was run with recipient {run.recipient}, not {recipient}",
                rules=("APPI-18-1",),
            )
        if run.members is None or run.members_sha256 is None:
            raise InputError(
                f"PSI の実行 {run_id} は size モードで、基盤は共通部分の人数しか知りません"
                "（members モードと相手方の --allow-members が必要です）",
                f"PSI run {run_id} was in size mode: the platform learned only the overlap's size "
                "(an insight population needs mode members, allowed by the client with --allow-members)",
                field="population",
            )
        path = self._members(run_id)
        if not path.exists() or _sha256(path) != run.members_sha256:
            raise InputError(
                f"PSI の実行 {run_id} の会員ファイルが記録と一致しません",
                f"the members file of PSI run {run_id} does not match its record",
                file=str(path),
            )
        return pq.read_table(path, columns=["subject_id"])

    def _meta(self, run_id: str) -> Path:
        return self.folder / f"run-{run_id}.json"

    def _members(self, run_id: str) -> Path:
        return self.folder / f"members-{run_id}.parquet"


def _write_members(path: Path, members: tuple[str, ...]) -> str:
    temporary = path.with_name(f".{path.name}.tmp")
    pq.write_table(pa.table({"subject_id": pa.array(sorted(set(members)), pa.string())}), temporary)
    os.replace(temporary, path)
    return _sha256(path)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
