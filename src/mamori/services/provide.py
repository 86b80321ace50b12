"""Provide data to a recipient: decide per subject, export exactly the allowed, record it all.

The transaction boundary of a provision (APPI-27, 28, 29, 31): every subject of the
population gets the policy decision (the domain's, through the ledger); the export holds
exactly the allowed subjects and carries a lineage id; the provider record (APPI-29-1),
the Art. 31 confirmation record (APPI-31-3) and the Art. 28 information for a recipient
abroad are built from the facts and written with the provision in one ledger transaction.
If that write fails the export is withdrawn, so no export exists without its records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from mamori.domain.anonymity.publication import Release, Texts, release_notice, release_problems
from mamori.domain.calendar import jst_date
from mamori.domain.decision import Decision, Text
from mamori.domain.provision.records import Basis, Record, art31_record, foreign_information, provider_record
from mamori.domain.provision.retention import RecordMethod
from mamori.domain.recipients import Recipient
from mamori.domain.requests import Action, PolicyRequest, ProvisionKind
from mamori.errors import RefusedError
from mamori.services.decisions import decide_for_subject
from mamori.services.ports import Ledger

ENCRYPTED_TRANSFER = Texts("暗号化したファイルの送付", "encrypted file transfer")


@dataclass(frozen=True, slots=True)
class ProvisionRequest:
    """What is to be provided, to whom, for which purpose, about whom."""

    purpose: str
    recipient: Recipient
    items: tuple[str, ...]
    population: tuple[str, ...]
    at: datetime
    lineage_id: str
    kind: ProvisionKind = ProvisionKind.PERSONAL_DATA
    record_method: RecordMethod = RecordMethod.EACH
    confirmation_method: str = ""  # Art. 31: how the recipient's consent was confirmed
    foreign_system: Text | None = None  # Art. 28: the country's system
    foreign_measures: Text | None = None  # Art. 28: the recipient's measures
    release: Release | None = None  # anonymized kind: the dataset's publication and columns
    provision_method: Texts = ENCRYPTED_TRANSFER  # APPI-43-4: the method stated to the recipient


@dataclass(frozen=True, slots=True)
class SnapshotRef:
    """The consent snapshot a provision was decided on: its file, content hash and ledger position."""

    path: str
    sha256: str
    position: int

    def describe(self) -> str:
        """Name the snapshot in a record (file, hash and position: enough to find and verify it)."""
        return f"{self.path} (sha256 {self.sha256}, ledger position {self.position})"


@dataclass(slots=True)
class Provision:
    """A provision as done: who was in it, who was not and why, its records and its export."""

    request: ProvisionRequest
    allowed: tuple[str, ...]
    denied: dict[str, tuple[str, ...]]  # subject -> rule ids
    rules: dict[str, int]  # rule id -> subjects it decided
    records: list[Record] = field(default_factory=list)
    foreign_info: Text | None = None
    consent_position: int = 0
    snapshot: SnapshotRef | None = None
    notice: Texts | None = None  # APPI-43-4 statement to the recipient (anonymized kind)
    export_path: str = ""
    export_rows: int = 0


class Exporter(Protocol):
    """Writes the export of exactly the given subjects, stamped with the lineage id."""

    def export(self, subjects: Sequence[str], lineage_id: str) -> tuple[str, int]:
        """Write the export; return its path and row count."""
        ...

    def withdraw(self, path: str) -> None:
        """Remove an export whose records could not be written."""
        ...


class ProvisionStore(Protocol):
    """Keeps provisions and records, append-only and searchable."""

    def record(self, provision: Provision, actor: str) -> None:
        """Write a provision, its subjects and its records in one transaction, audit-chained."""
        ...


def _decide(ledger: Ledger, request: ProvisionRequest, subject: str) -> Decision:
    return decide_for_subject(
        ledger,
        PolicyRequest(
            id=f"{request.lineage_id}:{subject}",
            at=request.at,
            subject=subject,
            action=Action.PROVIDE,
            purpose=request.purpose,
            items=request.items,
            kind=request.kind,
            recipient=request.recipient,
        ),
    )


def _records(request: ProvisionRequest, provision: Provision, decisions: list[Decision]) -> None:
    obligations = {o for d in decisions for o in d.obligations}
    day = jst_date(request.at)
    if "APPI-29-1" in obligations:
        # Opt-out provisions (APPI-27-2) record the date instead of the fact of consent.
        basis = Basis.OPT_OUT if any("APPI-27-2" in d.rules for d in decisions) else Basis.CONSENT
        provision.records.append(
            provider_record(
                basis=basis,
                recipient=request.recipient,
                subjects=provision.allowed,
                items=request.items,
                provided_on=day,
                lineage_id=request.lineage_id,
                consent_snapshot=provision.snapshot.describe()
                if provision.snapshot
                else f"ledger position {provision.consent_position}",
                method=request.record_method,
            )
        )
    if "APPI-43-4" in obligations and request.release is not None:
        # Rule 37: items and method stated to the recipient, with the fact that it is anonymized.
        provision.notice = release_notice(
            request.release,
            request.recipient.name or request.recipient.id,
            request.provision_method,
            request.items,
        )
    if "APPI-31-3" in obligations:
        if not request.confirmation_method.strip():
            raise RefusedError(
                "個人関連情報の提供には確認の方法の記録が必要です",
                "personal-related provision needs the confirmation method recorded",
                rules=("APPI-31-3",),
            )
        provision.records.append(
            art31_record(
                recipient=request.recipient,
                items=request.items,
                provided_on=day,
                confirmation_method=request.confirmation_method,
                lineage_id=request.lineage_id,
                subjects=provision.allowed,
            )
        )
    if request.recipient.abroad:
        if request.foreign_system is None or request.foreign_measures is None:
            raise RefusedError(
                "外国にある第三者への提供には、国の制度と提供先の措置の情報が必要です",
                "provision abroad needs the country's system and the recipient's measures",
                rules=("APPI-28-1",),
            )
        provision.foreign_info = foreign_information(
            request.recipient, request.foreign_system, request.foreign_measures
        )
    gaps = [f"{r.rule}:{k}" for r in provision.records for k in r.missing()]
    if gaps:
        raise RefusedError(
            f"記録の必須事項が空です: {', '.join(gaps)}（提供先の名称・住所・代表者等）",
            f"required record items are empty: {', '.join(gaps)} (recipient name, address, representative...)",
            rules=("APPI-29-1",),
        )


def check_release(kind: ProvisionKind, release: Release | None, items: tuple[str, ...]) -> None:
    """Refuse an anonymized dataset without its publication, or whose items do not match it."""
    if kind is not ProvisionKind.ANONYMIZED:
        return
    if release is None:
        raise RefusedError(
            "匿名加工情報の提供には、公表した項目の記録が必要です",
            "providing anonymized information needs the record of its published items",
            rules=("APPI-43-3", "APPI-43-4"),
        )
    problems = release_problems(release, items)
    if problems:
        raise RefusedError(
            "；".join(p.ja for p in problems),
            "; ".join(p.en for p in problems),
            rules=("APPI-43-3", "APPI-43-4"),
        )


def provide(
    ledger: Ledger,
    store: ProvisionStore,
    exporter: Exporter,
    request: ProvisionRequest,
    actor: str,
    snapshot: Callable[[], SnapshotRef] | None = None,
) -> Provision:
    """Decide, export exactly the allowed subjects, and record the provision.

    With ``snapshot``, the consent snapshot is taken first and named in the provider record
    (file, content hash, ledger position), so "why was this person in that export?" can be
    answered from a file that does not change.
    """
    check_release(request.kind, request.release, request.items)
    taken = snapshot() if snapshot is not None else None
    position = taken.position if taken is not None else ledger.position()
    decisions = {subject: _decide(ledger, request, subject) for subject in request.population}
    allowed = tuple(s for s, d in decisions.items() if d.allowed)
    denied = {s: d.rules for s, d in decisions.items() if not d.allowed}
    rules = Counter(rule for d in decisions.values() for rule in d.rules)
    provision = Provision(request, allowed, denied, dict(rules), consent_position=position, snapshot=taken)
    if not allowed:
        common = tuple(r for r, _ in Counter(r for rs in denied.values() for r in rs).most_common(3))
        raise RefusedError(
            "提供できる本人がいません", "no subject may be provided", rules=common or ("MAMORI-1",)
        )
    _records(request, provision, [decisions[s] for s in allowed])
    provision.export_path, provision.export_rows = exporter.export(allowed, request.lineage_id)
    try:
        store.record(provision, actor)
    except Exception:
        exporter.withdraw(provision.export_path)
        raise
    return provision
