"""Affected people from lineage, fed to reportability."""

from __future__ import annotations

from datetime import date

import pytest

from mamori.domain.incidents.impact import Exposure
from mamori.domain.items import DataItem
from mamori.errors import InputError
from mamori.services.incidents.usecases import IncidentService
from mamori.testing.incidents import FakeLineage, FixedClock, InMemoryEvidenceStore, InMemoryIncidentStore
from tests.incidents.conftest import make_facts

CATALOGUE = {
    "name": DataItem("name"),
    "email": DataItem("email"),
    "card_number": DataItem("card_number", financial=True),
    "medical_history": DataItem("medical_history", sensitive=True),
}


def _lineage() -> FakeLineage:
    export_a = [Exposure(f"S{i:05d}", frozenset({"name", "email"}), date(1980, 1, 1)) for i in range(900)]
    export_b = [
        Exposure(f"S{i:05d}", frozenset({"name", "card_number"}), date(2010, 5, 5)) for i in range(800, 1100)
    ]
    return FakeLineage({"export-a": export_a, "export-b": export_b, "export-c": []})


@pytest.fixture
def lineage_service(store: InMemoryIncidentStore, clock: FixedClock) -> IncidentService:
    return IncidentService(store, clock, evidence=InMemoryEvidenceStore(), lineage=_lineage())


def _open(service: IncidentService) -> str:
    return service.open(
        "officer", title="漏えい", facts=make_facts(persons=0, items=()), discovered_by="x", summary="y"
    ).id


def test_PPC_RULE_7_4_and_7_2_persons_counted_once_across_exports_and_flags_from_items(
    lineage_service: IncidentService,
) -> None:
    incident_id = _open(lineage_service)
    incident, impact = lineage_service.impact_from_lineage(
        incident_id, "officer", ["export-a", "export-b"], CATALOGUE
    )
    assert impact.persons == 1100  # 900 + 300 with 100 in both
    assert impact.items == ("card_number", "email", "name")
    assert impact.financial_items == ("card_number",) and impact.sensitive_items == ()
    assert impact.minors == 300  # born 2010: 12 years old in October 2022
    decision = lineage_service.view(incident.id).assessment
    assert decision.categories == (2, 4)
    assert {"PPC-RULE-7-2", "PPC-RULE-7-4"} <= set(decision.rules)


def test_PPC_RULE_7_4_one_export_under_the_threshold_stays_unreportable(
    lineage_service: IncidentService,
) -> None:
    incident_id = _open(lineage_service)
    incident, impact = lineage_service.impact_from_lineage(incident_id, "officer", ["export-a"], CATALOGUE)
    assert impact.persons == 900 and incident.facts.persons == 900
    assert not lineage_service.view(incident_id).assessment.reportable


def test_lineage_never_lowers_a_count_the_officer_already_knows(lineage_service: IncidentService) -> None:
    incident_id = _open(lineage_service)
    lineage_service.amend_facts(incident_id, "officer", "社外の名簿も含む", persons=5000)
    incident, impact = lineage_service.impact_from_lineage(incident_id, "officer", ["export-c"], CATALOGUE)
    assert impact.persons == 0 and incident.facts.persons == 5000


def test_an_unknown_source_is_named(lineage_service: IncidentService) -> None:
    incident_id = _open(lineage_service)
    with pytest.raises(InputError) as caught:
        lineage_service.impact_from_lineage(incident_id, "officer", ["export-zz"], CATALOGUE)
    assert "export-zz" in caught.value.en
