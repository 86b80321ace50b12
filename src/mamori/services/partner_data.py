"""What a partner (recipient) may fetch over the API: its insight releases and its provisions, never another's.

An insight request from a partner is the same spec as `mamori insight run SPEC.yaml`, with the
recipient taken from the key: a partner can only ever spend its own budget (MAMORI-DP-1) and
receive its own results. The platform's controls (consent MAMORI-1, thresholds MAMORI-AGG-1)
are those of `services.insight.run_insight`; nothing here can relax them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any, Protocol

from mamori.domain.insight.spec import InsightSpec, parse_spec
from mamori.errors import InputError
from mamori.services.insight import Account, Release
from mamori.services.lineage_view import ExportFiles
from mamori.services.regulator_export import ProvisionFacts, ProvisionSearch

REQUEST_FILE = "request body"


class InsightRunner(Protocol):
    """Runs a validated spec on the data plane and records the release (services.insight.run_insight)."""

    def run(self, spec: InsightSpec, actor: str) -> Release:
        """Run and record one release."""
        ...


class ResultStore(Protocol):
    """Keeps the rows of each release so the recipient can fetch them again."""

    def save(self, release_id: int, columns: list[str], rows: list[dict[str, Any]]) -> None:
        """Keep a release's rows."""
        ...

    def load(self, release_id: int, digest: str) -> tuple[list[str], list[dict[str, Any]]] | None:
        """Return a release's columns and rows (checked against the recorded digest), or None."""
        ...


class ReleaseLog(Protocol):
    """The ledger's release records and budgets."""

    def releases(self, recipient_id: str | None = None) -> list[dict[str, object]]:
        """Return release records, oldest first."""
        ...

    def account(self, recipient_id: str) -> Account | None:
        """Return a recipient with its budget."""
        ...


@dataclass(frozen=True, slots=True)
class ReleaseView:
    """One release as its recipient or the officer sees it."""

    release_id: int
    at: datetime
    recipient: str
    purpose: str
    spec: dict[str, Any]
    snapshot_position: int
    snapshot_taken_at: str
    snapshot_digest: str
    cells: int
    suppressed: list[list[str]]
    epsilon: float
    result_digest: str


def _view(row: Mapping[str, Any]) -> ReleaseView:
    return ReleaseView(
        release_id=int(row["seq"]),
        at=row["at"],
        recipient=str(row["recipient_id"]),
        purpose=str(row["purpose_id"]),
        spec=json.loads(row["spec"]),
        snapshot_position=int(row["snapshot_position"]),
        snapshot_taken_at=str(row["snapshot_taken_at"]),
        snapshot_digest=str(row["snapshot_digest"]),
        cells=int(row["cells"]),
        suppressed=json.loads(row["suppressed"]),
        epsilon=float(row["epsilon"]),
        result_digest=str(row["result_digest"]),
    )


def request_insight(
    document: Mapping[str, Any],
    recipient: str,
    floor: int,
    runner: InsightRunner,
    results: ResultStore,
    actor: str,
) -> Release:
    """Run a partner's spec for the key's recipient only, and keep the rows for later fetches."""
    named = document.get("recipient")
    if named not in (None, recipient):
        raise InputError(
            "提供先はキーの提供先に限られます",
            "the recipient is the key's own",
            file=REQUEST_FILE,
            field="recipient",
        )
    population = document.get("population", "all")
    if population != "all":
        # Match and PSI runs are not tied to a recipient yet, so a partner could name another
        # client's overlap; until they are, the API offers every consenting member only.
        raise InputError(
            "API で指定できる母集団は all のみです（照合結果の利用は運用者に依頼してください）",
            "the API offers population `all` only (ask the operator for a match-run overlap)",
            file=REQUEST_FILE,
            field="population",
        )
    spec = parse_spec({**document, "recipient": recipient}, file=REQUEST_FILE, floor=floor)
    release = runner.run(spec, actor)
    results.save(release.release_id, list(release.outcome.columns), release.outcome.rows)
    return release


def releases_of(log: ReleaseLog, recipient: str | None = None) -> list[ReleaseView]:
    """Return the releases of one recipient (or, for the officer, of all), newest first."""
    return [_view(row) for row in reversed(log.releases(recipient))]


def release_of(log: ReleaseLog, recipient: str, release_id: int) -> ReleaseView | None:
    """Return one release of this recipient; another recipient's is None, as if it did not exist."""
    return next((r for r in releases_of(log, recipient) if r.release_id == release_id), None)


def rows_of(results: ResultStore, release: ReleaseView) -> tuple[list[str], list[dict[str, Any]]] | None:
    """Return the kept rows of a release (None when it was made before rows were kept)."""
    return results.load(release.release_id, release.result_digest)


def budgets(log: ReleaseLog, recipients: Sequence[str]) -> list[Account]:
    """Return each recipient's privacy budget: total, spent, remaining (MAMORI-DP-1)."""
    found = (log.account(r) for r in recipients)
    return [a for a in found if a is not None]


def provisions_of(store: ProvisionSearch, recipient: str) -> list[ProvisionFacts]:
    """Return the provisions made to this recipient, newest first."""
    return list(reversed(store.search(recipient=recipient)))


def provision_of(store: ProvisionSearch, recipient: str, lineage_id: str) -> ProvisionFacts | None:
    """Return one provision made to this recipient; another recipient's is None."""
    return next((p for p in store.search(recipient=recipient) if p.lineage_id == lineage_id), None)


def export_file(files: ExportFiles, provision: ProvisionFacts) -> str | None:
    """Return the export's path only when the file on disk is this provision's, else None.

    The ledger keeps the path the export was written to; a file since replaced, or a relative
    path read from another working folder, must never be handed to a recipient as this
    provision, so the manifest written beside the export must name the same lineage id.
    """
    path = provision.export_path
    if not path or not PurePath(path).is_absolute():
        return None
    found = files.describe(path)
    manifest = found.get("manifest") or {}
    return path if found.get("exists") and manifest.get("lineage_id") == provision.lineage_id else None
