"""Notices to the affected persons sent in bulk, each delivery recorded (APPI-26-2)."""

from __future__ import annotations

import email
import email.policy
import hashlib
from pathlib import Path

from mamori.documents.render import to_text
from mamori.domain.incidents.classification import Audience
from mamori.domain.incidents.report import build_notice
from mamori.files.outbox import EmailOutbox
from mamori.services.incidents.notices import send_notices
from mamori.services.incidents.usecases import IncidentService
from mamori.testing.incidents import InMemoryIncidentStore, InMemoryOutbox
from tests.incidents.conftest import AWARE, Cli, open_ransomware


def test_APPI_26_2_everyone_reached_closes_the_subjects_task(service: IncidentService) -> None:
    incident = open_ransomware(service)
    outbox = InMemoryOutbox()
    report = send_notices(
        service, incident.id, "officer", affected=["S2", "S1", "S1"], contacts={"S1": "a@example.com", "S2": "b@example.com"},
        title="お知らせ", body="本文", outbox=outbox,
    )  # fmt: skip
    assert report.delivered == 2 and report.undeliverable == ()
    assert [m.subject_id for m in outbox.messages] == ["S1", "S2"]
    assert report.incident.tasks[Audience.SUBJECTS].done
    manifest = outbox.manifests[incident.id]
    assert hashlib.sha256(manifest.encode()).hexdigest() == report.manifest_sha256
    assert report.incident.deliveries == (("memory", 2, 0, report.manifest_sha256),)


def test_APPI_26_2_persons_without_contact_need_the_substitute_measure(
    service: IncidentService, store: InMemoryIncidentStore
) -> None:
    incident = open_ransomware(service)
    report = send_notices(
        service, incident.id, "officer", affected=["S1", "S2"], contacts={"S1": "a@example.com"},
        title="お知らせ", body="本文", outbox=InMemoryOutbox(),
    )  # fmt: skip
    assert report.undeliverable == ("S2",)
    assert not report.incident.tasks[Audience.SUBJECTS].done
    assert "incident-notices-delivered" in [kind for kind, _, _ in store.audit]


def test_APPI_26_2_the_email_carries_the_notice_in_japanese_and_english(
    service: IncidentService, tmp_path: Path
) -> None:
    incident = open_ransomware(service)
    body = to_text(build_notice(incident, AWARE.date()))
    outbox = EmailOutbox(tmp_path, incident.id, "privacy@example.com")
    send_notices(
        service, incident.id, "officer", affected=["S1"], contacts={"S1": "member@example.com"},
        title="個人情報の漏えい等に関するお知らせ", body=body, outbox=outbox,
    )  # fmt: skip
    raw = (tmp_path / incident.id / "S1.eml").read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["To"] == "member@example.com" and "お知らせ" in str(message["Subject"])
    text = message.get_content()  # type: ignore[attr-defined]
    assert "概要" in text and "overview" in text and "本人の数" not in text
    assert (
        (tmp_path / incident.id / f"{incident.id}-deliveries.csv")
        .read_text()
        .splitlines()[1]
        .startswith("S1,<")
    )


def test_APPI_26_2_cli_send_notices(cli: Cli, tmp_path: Path) -> None:
    opened = cli.json(
        "incident", "open", "--title", "t", "--cause", "ransomware", "--persons", "3", "--discovered-by", "x",
        "--summary", "y",
    )  # fmt: skip
    affected = tmp_path / "affected.csv"
    affected.write_text("subject_id\nS1\nS2\nS3\n")
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("subject_id,email\nS1,a@example.com\nS2,b@example.com\n")
    result = cli.json(
        "incident", "send-notices", str(opened["id"]), "--affected", str(affected), "--contacts", str(contacts),
        "--outbox", str(tmp_path / "outbox"),
    )  # fmt: skip
    assert (result["delivered"], result["undeliverable"]) == (2, 1)
    assert len(list((tmp_path / "outbox" / str(opened["id"])).glob("*.eml"))) == 2


def test_a_subject_id_cannot_write_outside_the_outbox_folder(
    service: IncidentService, tmp_path: Path
) -> None:
    incident = open_ransomware(service)
    outbox = EmailOutbox(tmp_path / "outbox", incident.id, "privacy@example.com")
    send_notices(
        service, incident.id, "officer", affected=["../../escape", "a/b"],
        contacts={"../../escape": "x@example.com", "a/b": "y@example.com"},
        title="お知らせ", body="本文", outbox=outbox,
    )  # fmt: skip
    written = sorted(p.name for p in (tmp_path / "outbox" / incident.id).glob("*.eml"))
    assert written == ["..%2F..%2Fescape.eml", "a%2Fb.eml"]
    assert not list(tmp_path.glob("*.eml")) and not (tmp_path / "escape.eml").exists()


def test_APPI_26_1_impact_is_recorded_even_when_the_facts_do_not_change(service: IncidentService) -> None:
    from mamori.domain.incidents.impact import Exposure
    from mamori.testing.incidents import FakeLineage

    lineage = FakeLineage({"LIN-1": [Exposure("S1", frozenset({"name"}))]})
    svc = IncidentService(service.store, service.clock, lineage=lineage)
    incident = open_ransomware(svc)
    first, _ = svc.impact_from_lineage(incident.id, "officer", ["LIN-1"], {})
    again, impact = svc.impact_from_lineage(incident.id, "officer", ["LIN-1"], {})
    assert again.version == first.version + 1 and again.impact is not None
    assert again.impact.sources == ("LIN-1",) and again.impact.persons == impact.persons == 1
    assert svc.affected(incident.id, {}) == impact
