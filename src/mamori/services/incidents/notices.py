"""Send the notice to the affected persons in bulk and record each delivery (APPI-26-2).

The same notice (items 1, 2, 4, 5 and 9 only) goes to every affected person with a contact;
persons without one are counted as undeliverable, for whom the law's substitute measure applies
(publication or an inquiry desk). Each delivery is a line of the manifest, whose hash goes into
the incident's `incident-notices-delivered` event and so into the audit chain.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from mamori.domain.calendar import jst_date
from mamori.domain.incidents.classification import Audience
from mamori.domain.incidents.events import NoticesDelivered, NotificationTaskDone
from mamori.domain.incidents.state import Incident
from mamori.domain.items import DataItem
from mamori.errors import InputError
from mamori.services.incidents.usecases import IncidentService


@dataclass(frozen=True, slots=True)
class Message:
    """One notice to one person."""

    subject_id: str
    to: str
    subject: str
    body: str


@dataclass(frozen=True, slots=True)
class PortalNotice:
    """A notice as the member portal shows it to the person it was delivered to."""

    id: str
    incident_id: str
    subject_id: str
    title: str
    body: str
    delivered_at: datetime


NOTICE_TITLE = (
    "個人情報の漏えい等に関するお知らせとお詫び / Notice about an incident involving your personal data"
)


class Outbox(Protocol):
    """A channel that accepts messages and says how it identifies each one."""

    channel: str

    def put(self, message: Message) -> str:
        """Hand over one message; return its message id."""
        ...

    def put_manifest(self, incident_id: str, text: str) -> None:
        """Keep the delivery manifest beside the messages."""
        ...


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """How a bulk send went."""

    incident: Incident
    delivered: int
    undeliverable: tuple[str, ...]
    manifest_sha256: str


def send_notices(
    service: IncidentService,
    incident_id: str,
    actor: str,
    *,
    affected: Sequence[str],
    contacts: Mapping[str, str],
    title: str,
    body: str | Callable[[str], str],
    outbox: Outbox,
) -> DeliveryReport:
    """Send the notice to every affected person with a contact, and record the batch.

    When everyone was reached, the `subjects` task is marked done; otherwise it stays open and
    the undeliverable persons are returned for the substitute measure.
    """
    manifest = io.StringIO()
    writer = csv.writer(manifest, lineterminator="\n")
    writer.writerow(["subject_id", "message_id", "channel"])
    unreachable: list[str] = []
    delivered = 0
    for subject_id in sorted(set(affected)):
        address = contacts.get(subject_id, "").strip()
        if not address:
            unreachable.append(subject_id)
            writer.writerow([subject_id, "", "undeliverable"])
            continue
        text = body(subject_id) if callable(body) else body  # a per-person notice (Rule 10)
        message_id = outbox.put(Message(subject_id, address, title, text))
        writer.writerow([subject_id, message_id, outbox.channel])
        delivered += 1
    text = manifest.getvalue()
    outbox.put_manifest(incident_id, text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    incident = service.record(
        incident_id,
        actor,
        NoticesDelivered,
        channel=outbox.channel,
        delivered=delivered,
        undeliverable=len(unreachable),
        manifest_sha256=digest,
    )
    task = incident.tasks.get(Audience.SUBJECTS)
    if not unreachable and task is not None and not task.done:
        incident = service.record(
            incident_id, actor, NotificationTaskDone, audience=Audience.SUBJECTS, done_at=service.clock.now(),
            reference=f"{outbox.channel} manifest {digest[:12]}",
        )  # fmt: skip
    return DeliveryReport(incident, delivered, tuple(unreachable), digest)


class NoticeText(Protocol):
    """Renders the notice of an incident, narrowed to one person's items when they are known."""

    def __call__(self, incident: Incident, today: date, items: tuple[str, ...] | None) -> str:
        """Return the notice's text."""
        ...


def notify_affected(
    service: IncidentService,
    incident_id: str,
    actor: str,
    *,
    catalogue: Mapping[str, DataItem],
    channels: Sequence[tuple[Outbox, Mapping[str, str]]],
    text: NoticeText,
) -> list[DeliveryReport]:
    """Send every affected person (from lineage) the notice on each channel, in bulk (APPI-26-2).

    `channels` pairs an outbox with its addresses by subject (a portal account, an email);
    each person's notice lists only that person's items (Rule 10). Every batch is recorded.
    """
    impact = service.affected(incident_id, catalogue)
    if impact is None:
        raise InputError(
            "先に影響範囲を系譜から求めてください",
            "compute the affected people from lineage first",
            field="impact",
        )
    incident = service.get(incident_id)
    today = jst_date(service.clock.now())
    bodies: dict[str, str] = {}

    def body(subject_id: str) -> str:
        if subject_id not in bodies:
            bodies[subject_id] = text(incident, today, tuple(sorted(impact.items_by_subject[subject_id])))
        return bodies[subject_id]

    return [
        send_notices(
            service,
            incident_id,
            actor,
            affected=impact.subjects,
            contacts=addresses,
            title=NOTICE_TITLE,
            body=body,
            outbox=outbox,
        )
        for outbox, addresses in channels
    ]
