"""Console records: provision search and the regulator export, datasets and lineage, insight and budgets."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mamori.domain.calendar import jst_date
from mamori.ledger.provisions import SqlProvisionStore
from mamori.services.catalog import DatasetRecord, ProviderDeclaration
from tests.web.partner_world import FORMULA_NAME, XSS_NAME, PartnerWorld, make_partner_world


@pytest.fixture(scope="module")
def pw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PartnerWorld]:
    world = make_partner_world(tmp_path_factory.mktemp("records"))
    yield world
    world.ctx.platform.ledger.engine.dispose()


def _audit(pw: PartnerWorld, kind: str) -> list[dict[str, object]]:
    return [json.loads(e.payload) for e in pw.ctx.platform.ledger.audit_entries() if e.kind == kind]


def test_search_by_recipient_subject_and_date(pw: PartnerWorld) -> None:
    officer = pw.staff("officer")
    page = officer.get("/console/provisions?recipient=acme").text
    assert pw.lineages["acme"] in page and pw.lineages["otherco"] not in page
    # APPI-29-1: each provision names the consent snapshot it was decided on.
    store = SqlProvisionStore(pw.ctx.platform.ledger)
    acme = next(r for r in store.search() if r.lineage_id == pw.lineages["acme"])
    assert "同意スナップショット" in page and store.snapshot_of(acme) in page
    subject = _a_subjects(pw, "acme")[0]
    page = officer.get(f"/console/provisions?subject={subject}").text
    assert pw.lineages["acme"] in page
    today = jst_date(datetime.now(UTC))
    tomorrow = today + timedelta(days=1)
    assert pw.lineages["acme"] in officer.get(f"/console/provisions?since={today}&until={today}").text
    assert pw.lineages["acme"] not in officer.get(f"/console/provisions?since={tomorrow}").text
    assert officer.get("/console/provisions?since=not-a-date").status_code == 400


def test_APPI_29_1_regulator_export_json_has_every_record_item_and_is_audit_chained(pw: PartnerWorld) -> None:
    officer = pw.staff("officer")
    response = officer.get("/console/provisions/export.json?recipient=acme")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    document = response.json()
    assert document["filters"]["recipient"] == "acme" and "APPI-29-1" in document["rules"]
    (provision,) = document["provisions"]
    assert provision["lineage_id"] == pw.lineages["acme"] and provision["subjects"] > 0
    (record,) = [r for r in provision["records"] if r["rule"] == "APPI-29-1"]
    items = {i["item"]: i for i in record["items"]}
    # Rule 20: recipient's name, address, representative, country; the persons; the items; consent.
    for required in ("recipient_name", "recipient_address", "recipient_representative", "recipient_country",
                     "subjects", "items", "consent"):  # fmt: skip
        assert items[required]["value"], required
    assert items["recipient_name"]["value"] == XSS_NAME
    assert items["recipient_name"]["label_ja"] == "第三者の氏名又は名称"
    assert record["keep_until"]  # APPI-29-3: the retention is part of the record
    (entry,) = [e for e in _audit(pw, "provision-records-exported") if e["format"] == "json"]
    assert entry["sha256"] == hashlib.sha256(response.content).hexdigest()
    assert entry["lineage_ids"] == [pw.lineages["acme"]]


def test_regulator_csv_is_safe_against_formula_injection(pw: PartnerWorld) -> None:
    response = pw.staff("auditor").get("/console/provisions/export.csv?recipient=otherco")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and {r["lineage_id"] for r in rows} == {pw.lineages["otherco"]}
    names = {r["value"] for r in rows if r["item"] == "recipient_name"}
    assert names == {"'" + FORMULA_NAME}
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert {r["item"] for r in rows if r["rule"] == "APPI-29-1"} >= {"recipient_name", "subjects", "items"}


def test_export_roles_operator_cannot_members_cannot(pw: PartnerWorld) -> None:
    assert pw.staff("operator").get("/console/provisions/export.csv").status_code == 403
    assert pw.staff("operator").get("/console/provisions?recipient=acme").status_code == 200
    assert pw.staff("auditor").get("/console/provisions/export.json").status_code == 200


def test_script_names_are_escaped_on_every_records_page(pw: PartnerWorld) -> None:
    officer = pw.staff("officer")
    for path in ("/console/provisions?recipient=acme", "/console/lineage", f"/console/lineage/{pw.lineages['acme']}",
                 "/console/insight"):  # fmt: skip
        page = officer.get(path).text
        assert "<script>alert(1)" not in page, path
        assert "株式会社アクメ&lt;script&gt;" in page, path


def test_lineage_lists_exports_and_tells_one_exports_story(pw: PartnerWorld) -> None:
    auditor = pw.staff("auditor")
    page = auditor.get("/console/lineage").text
    assert pw.lineages["acme"] in page and pw.lineages["otherco"] in page
    page = auditor.get(f"/console/lineage/{pw.lineages['acme']}").text
    export = pw.home / "provisions" / f"{pw.lineages['acme']}.csv"
    assert str(export) in page  # which export
    assert "acme" in page and "provide_partners" in page  # who received it, for what
    assert "APPI-29-1" in page and "同意台帳の位置" in page  # the record, and the consent position read
    assert str((pw.home / "synth" / "members.csv").resolve()) in page  # where from
    subjects = len(_a_subjects(pw, "acme"))
    assert f"{subjects}（" in page  # how many persons
    assert auditor.get("/console/lineage/L-nothing").status_code == 404


def _a_subjects(pw: PartnerWorld, recipient: str) -> list[str]:
    from mamori.bootstrap import build_records

    return build_records(pw.ctx.platform).provisions.subjects_of(pw.lineages[recipient])


def test_APPI_30_1_dataset_lineage_shows_provenance_and_missing_declaration(pw: PartnerWorld) -> None:
    catalog = pw.ctx.platform.catalog
    base = {
        "kind": "members",
        "source": "提携店<script>",
        "path": "lake/x.parquet",
        "file_name": "x.csv",
        "file_sha256": "ab" * 32,
        "ingested_at": datetime.now(UTC),
        "schema": (("member_id", "VARCHAR"),),
        "rows_in": 10,
        "rows_accepted": 9,
        "rows_quarantined": 1,
    }
    members = str((pw.home / "synth" / "members.csv").resolve())  # what the provisions were made from
    catalog.register(DatasetRecord(dataset_id="intake/D-declared/1", **{**base, "path": members}))  # type: ignore[arg-type]
    catalog.record_declaration(
        "intake/D-declared/1", ProviderDeclaration("提携店A", "東京都", "代表", "店頭で同意を得て取得")
    )
    catalog.register(DatasetRecord(dataset_id="D-bare", **base))  # type: ignore[arg-type]
    officer = pw.staff("officer")
    page = officer.get("/console/lineage").text
    assert "intake/D-declared/1" in page and "D-bare" in page and "提携店&lt;script&gt;" in page
    declared = officer.get("/console/lineage/intake/D-declared/1").text
    assert "店頭で同意を得て取得" in declared and "9" in declared and "ab" * 32 in declared
    assert "未記録" in officer.get("/console/lineage/D-bare").text
    # The export's manifest names its source, so the provision's lineage links the dataset.
    story = officer.get(f"/console/lineage/{pw.lineages['acme']}").text
    assert 'href="/console/lineage/intake/D-declared/1"' in story


def test_MAMORI_DP_1_insight_page_lists_releases_and_budgets(pw: PartnerWorld) -> None:
    made = pw.partner("acme").post(
        "/api/v1/insight", json={"purpose": "analysis", "group_by": ["gender"], "metrics": ["persons"],
                                 "dp": {"epsilon": 0.5}},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    page = pw.staff("auditor").get("/console/insight").text
    assert f"<td>{made.json()['release_id']}</td>" in page
    assert "<td>3</td><td>0.5</td><td>2.5</td>" in page.replace("\n", "")  # total, spent, remaining
    assert "otherco" in page and "analysis" in page and "gender" in page


def test_records_pages_need_a_console_role(pw: PartnerWorld, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    anon = TestClient(pw.app)
    for path in (
        "/console/provisions",
        "/console/lineage",
        "/console/insight",
        "/console/provisions/export.csv",
    ):
        response = anon.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/signin"


def test_APPI_29_1_cli_writes_the_same_export_and_audits_it(pw: PartnerWorld, tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.paths import SRC

    env = {
        "PYTHONPATH": str(SRC.parent),
        "MAMORI_HOME": str(pw.home),
        "MAMORI_DATABASE_URL": str(pw.ctx.platform.settings.database_url),
        "PATH": "/usr/bin:/bin",
    }
    out = tmp_path / "records.csv"
    command = [
        sys.executable,
        "-m",
        "mamori",
        "provisions-export",
        "--recipient",
        "otherco",
        "--out",
        str(out),
    ]
    result = subprocess.run([*command, "--json"], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["provisions"] == 1 and summary["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    web = pw.staff("officer").get("/console/provisions/export.csv?recipient=otherco").content
    assert out.read_bytes() == web  # one service, one format
    assert any(e["sha256"] == summary["sha256"] for e in _audit(pw, "provision-records-exported"))
    bad = subprocess.run([*command[:-1], str(tmp_path / "x.xlsx")], env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "x.xlsx" in bad.stderr


def test_operator_reads_lineage_and_budgets_in_english(pw: PartnerWorld) -> None:
    operator = pw.staff("operator")
    assert "Datasets and lineage" in operator.get("/console/lineage?lang=en").text
    page = operator.get("/console/insight?lang=en").text
    assert "Privacy budget per recipient" in page and 'lang="en"' in page
    assert "Provision records search" in operator.get("/console/provisions?lang=en").text
