"""Impact from the ledger's provision records: the people in a leaked export, by lineage id."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from mamori.bootstrap import Platform
from mamori.domain.incidents.facts import Cause
from mamori.domain.provision.lineage import lineage_id
from mamori.domain.recipients import Recipient
from mamori.errors import InputError
from mamori.lake.provide import DuckDBExporter
from mamori.ledger.incidents import SqlIncidentStore
from mamori.ledger.lineage import SqlProvisionLineage
from mamori.ledger.provisions import SqlProvisionStore
from mamori.services.incidents.usecases import IncidentService
from mamori.services.provide import ProvisionRequest, provide
from mamori.testing.incidents import FixedClock
from tests.incidents.conftest import Cli, make_facts
from tests.provision.conftest import member_csv, provision_platform  # noqa: F401 - fixtures

NOW = datetime(2024, 4, 1, 3, 0, tzinfo=UTC)
SHOP = Recipient(
    "adco", "ad_business", name="Example広告株式会社", address="東京都港区1-1", representative="代表 一郎"
)


def _export(platform: Platform, member_csv: Path, out: Path) -> str:  # noqa: F811
    request = ProvisionRequest(
        purpose="provide_ads",
        recipient=SHOP,
        items=("member_id", "purchases"),
        population=tuple(f"s{i}" for i in range(1, 7)),
        at=NOW,
        lineage_id=lineage_id(NOW, bytes(12)),
    )
    provide(
        platform.ledger,
        SqlProvisionStore(platform.ledger),
        DuckDBExporter(member_csv, "member_id", request.items, out),
        request,
        "operator",
    )
    return request.lineage_id


def test_APPI_26_1_the_people_in_a_leaked_export_come_from_its_provision_record(
    provision_platform: Platform,  # noqa: F811
    member_csv: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    lineage = _export(provision_platform, member_csv, tmp_path / "export.csv")
    reader = SqlProvisionLineage(provision_platform.ledger)
    assert reader.sources() == [lineage]
    rows = reader.rows(lineage)
    assert sorted(r.subject_id for r in rows) == [
        "s1",
        "s2",
        "s3",
    ]  # exactly who was in it, not the population
    assert rows[0].items == frozenset({"member_id", "purchases"}) and rows[0].birth_date is not None
    service = IncidentService(SqlIncidentStore(provision_platform.ledger), FixedClock(NOW), lineage=reader)
    incident = service.open(
        "officer",
        title="提供先からの漏えい",
        facts=make_facts(aware_at=NOW, cause=Cause.UNAUTHORIZED_ACCESS, persons=0, items=()),
        discovered_by="提供先",
        summary="提供先のサーバから流出",
    )
    incident, impact = service.impact_from_lineage(incident.id, "officer", [lineage], {})
    assert impact.persons == 3 and incident.facts.persons == 3
    assert incident.facts.items == ("member_id", "purchases")
    assert service.view(incident.id).assessment.categories == (3,)  # PPC-RULE-7-3 from a single person


def test_an_unknown_lineage_id_is_named(provision_platform: Platform) -> None:  # noqa: F811
    with pytest.raises(InputError) as caught:
        SqlProvisionLineage(provision_platform.ledger).rows("LIN-20240401-000000000000000000000000")
    assert "LIN-20240401" in caught.value.en


def test_APPI_26_1_cli_impact_by_lineage_id(
    provision_platform: Platform,  # noqa: F811
    member_csv: Path,  # noqa: F811
    tmp_path: Path,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lineage = _export(provision_platform, member_csv, tmp_path / "export.csv")
    monkeypatch.setenv("MAMORI_DATABASE_URL", f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    opened = cli.json(
        "incident", "open", "--title", "t", "--cause", "misdelivery", "--persons", "0", "--discovered-by", "x",
        "--summary", "y",
    )  # fmt: skip
    result = cli.json("incident", "impact", str(opened["id"]), "--lineage", lineage)
    assert result["impact"]["persons"] == 3 and result["impact"]["sources"] == [lineage]  # type: ignore[index]
    code, _, err = cli("incident", "impact", str(opened["id"]))
    assert code == 2 and "--lineage" in err
