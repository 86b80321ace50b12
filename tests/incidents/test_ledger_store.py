"""The incident store on the real ledger (SQLite file and PostgreSQL), audit-chained."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from mamori.domain.incidents.events import TimelineEntryAdded
from mamori.domain.incidents.flow import Step
from mamori.ledger.incidents import SqlIncidentStore, verify_incident_events
from mamori.services.incidents.ports import ConcurrentChangeError
from mamori.services.incidents.usecases import IncidentService
from mamori.testing.incidents import FixedClock, InMemoryEvidenceStore
from tests.incidents.conftest import AWARE, fill_step, open_ransomware
from tests.ledger.world import MakePlatform


def _service(platform: object, clock: FixedClock) -> IncidentService:
    return IncidentService(SqlIncidentStore(platform.ledger), clock, evidence=InMemoryEvidenceStore())  # type: ignore[attr-defined]


def test_APPI_26_1_a_full_walk_through_is_stored_and_audit_chained(
    database_url: str, make_platform: MakePlatform, clock: FixedClock
) -> None:
    platform = make_platform(database_url)
    service = _service(platform, clock)
    incident = open_ransomware(service, persons=1500)
    while incident.step is not Step.CLOSED:
        incident = service.advance(fill_step(service, incident).id, "officer")
    fresh = _service(platform, clock)  # a new process would see the same state
    assert fresh.get(incident.id) == incident
    assert fresh.store.incident_ids() == [incident.id]
    kinds = [e.kind for e in platform.ledger.audit_entries()]
    assert kinds[0] == "incident-opened" and kinds[-1] == "incident-step-advanced"
    assert len(kinds) == incident.version
    assert platform.ledger.verify_audit() is None
    with platform.ledger.engine.connect() as c:
        assert verify_incident_events(c) is None


def test_ids_are_reserved_per_year_and_stale_writers_are_refused(
    database_url: str, make_platform: MakePlatform, clock: FixedClock
) -> None:
    platform = make_platform(database_url)
    service = _service(platform, clock)
    first, second = open_ransomware(service), open_ransomware(service)
    assert (first.id, second.id) == ("INC-2022-0001", "INC-2022-0002")
    event = TimelineEntryAdded(incident_id=first.id, at=AWARE, actor="x", occurred_at=AWARE, text="late")
    with pytest.raises(ConcurrentChangeError):
        service.store.append(first.id, [event], first.version - 1)
    assert service.get(first.id) == first


def test_a_changed_incident_event_row_is_detected(
    tmp_path: object, make_platform: MakePlatform, clock: FixedClock
) -> None:
    platform = make_platform(f"sqlite:///{tmp_path}/ledger.sqlite3")
    service = _service(platform, clock)
    incident = open_ransomware(service)
    with platform.ledger.engine.begin() as c:
        c.execute(sa.text("UPDATE incident_events SET payload = replace(payload, '500', '5') WHERE seq = 1"))
    with platform.ledger.engine.connect() as c:
        broken = verify_incident_events(c)
    assert broken is not None and broken.tampering == "changed" and incident.id in broken.detail


@pytest.mark.postgres
def test_APPI_26_1_postgres_refuses_edits_of_the_incident_log(
    pg_server: object, make_platform: MakePlatform, clock: FixedClock
) -> None:
    platform = make_platform(pg_server.create_database("incident_append_only"))  # type: ignore[attr-defined]
    open_ransomware(_service(platform, clock))
    for statement in ("UPDATE incident_events SET actor = 'x'", "DELETE FROM incident_events"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), platform.ledger.engine.begin() as c:
            c.execute(sa.text(statement))
