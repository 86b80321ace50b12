"""Use cases over the fakes: evidence by hash, concurrency, unknown ids."""

from __future__ import annotations

import hashlib

import pytest

from mamori.domain.incidents.events import OfficerNotified, TimelineEntryAdded
from mamori.errors import InputError
from mamori.services.incidents.ports import ConcurrentChangeError
from mamori.services.incidents.usecases import IncidentService
from mamori.testing.incidents import InMemoryIncidentStore
from tests.incidents.conftest import AWARE, open_ransomware


def test_evidence_is_recorded_by_the_hash_the_store_computed(service: IncidentService) -> None:
    incident = open_ransomware(service)
    data = "脅迫文のスクリーンショット".encode()
    incident = service.attach_evidence(incident.id, "officer", "ransom-note.png", data, "脅迫文")
    (evidence,) = incident.evidence
    assert evidence.sha256 == hashlib.sha256(data).hexdigest() and evidence.size == len(data)
    assert service.evidence is not None and service.evidence.get(evidence.sha256) == data


def test_a_forged_hash_is_refused(service: IncidentService) -> None:
    from mamori.domain.incidents.events import EvidenceAttached

    incident = open_ransomware(service)
    with pytest.raises(InputError):
        service.record(incident.id, "x", EvidenceAttached, filename="f", sha256="not-a-hash", size=1)


def test_two_writers_cannot_lose_an_entry(service: IncidentService, store: InMemoryIncidentStore) -> None:
    incident = open_ransomware(service)
    stale = service.get(incident.id)
    service.record(incident.id, "a", TimelineEntryAdded, occurred_at=AWARE, text="first")
    event = OfficerNotified(incident_id=incident.id, at=AWARE, actor="b", officer="y")
    with pytest.raises(ConcurrentChangeError):
        store.append(incident.id, [event], stale.version)


def test_unknown_incidents_are_named(service: IncidentService) -> None:
    with pytest.raises(InputError) as caught:
        service.get("INC-1999-0001")
    assert "INC-1999-0001" in caught.value.en


def test_ids_count_per_year_and_the_state_is_the_fold_of_the_log(service: IncidentService) -> None:
    first, second = open_ransomware(service), open_ransomware(service)
    assert (first.id, second.id) == ("INC-2022-0001", "INC-2022-0002")
    assert [i.id for i in service.all()] == [first.id, second.id]
    assert service.get(first.id) == first
