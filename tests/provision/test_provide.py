"""Provision end to end on a real SQLite ledger: decisions, export, records, search."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from mamori.bootstrap import Platform
from mamori.domain.decision import Text
from mamori.domain.provision.lineage import is_lineage_id, lineage_id
from mamori.domain.recipients import Recipient
from mamori.errors import RefusedError
from mamori.lake.provide import DuckDBExporter
from mamori.ledger.provisions import SqlProvisionStore
from mamori.services.provide import ProvisionRequest, provide
from tests.paths import REPO

SHOP = Recipient(
    "adco", "ad_business", name="Example広告株式会社", address="東京都港区1-1", representative="代表 一郎"
)
NOW = datetime(2024, 4, 1, 3, 0, tzinfo=UTC)


def _request(recipient: Recipient = SHOP, purpose: str = "provide_ads", **kw: object) -> ProvisionRequest:
    return ProvisionRequest(
        purpose=purpose,
        recipient=recipient,
        items=("member_id", "purchases"),
        population=tuple(f"s{i}" for i in range(1, 7)),
        at=NOW,
        lineage_id=lineage_id(NOW, bytes(12)),
        **kw,  # type: ignore[arg-type]
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _run(platform: Platform, member_csv: Path, out: Path, request: ProvisionRequest) -> object:
    return provide(
        platform.ledger,
        SqlProvisionStore(platform.ledger),
        DuckDBExporter(member_csv, "member_id", request.items, out),
        request,
        "operator",
    )


def test_APPI_27_1_export_holds_exactly_the_allowed_subjects(
    provision_platform: Platform, member_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export.csv"
    provision = _run(provision_platform, member_csv, out, _request())
    rows = _rows(out)
    assert sorted(r["member_id"] for r in rows) == ["s1", "s2", "s3"]
    assert provision.denied.keys() == {"s4", "s5", "s6"}  # type: ignore[attr-defined]
    assert {r["mamori_lineage_id"] for r in rows} == {_request().lineage_id}
    assert is_lineage_id(rows[0]["mamori_lineage_id"])


def test_export_csv_is_safe_against_formula_injection(
    provision_platform: Platform, member_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export.csv"
    _run(provision_platform, member_csv, out, _request())
    cells = {r["member_id"]: r["purchases"] for r in _rows(out)}
    assert cells["s3"] == '\'=HYPERLINK("http://x.invalid")'
    assert cells["s1"] == "rice"


def test_APPI_29_1_provider_record_written_with_the_provision(
    provision_platform: Platform, member_csv: Path, tmp_path: Path
) -> None:
    _run(provision_platform, member_csv, tmp_path / "e.csv", _request())
    store = SqlProvisionStore(provision_platform.ledger)
    lid = _request().lineage_id
    records = store.records_of(lid)
    assert [r["rule"] for r in records] == ["APPI-29-1"]
    items = records[0]["items"]
    assert items["recipient_name"] == "Example広告株式会社" and "consent" in items
    assert "ledger position" in items["consent"]
    assert records[0]["keep_until"] == "2027-03-31"  # APPI-29-3: 3 years counted from 2024-04-01 (JST)
    assert store.subjects_of(lid) == ["s1", "s2", "s3"]
    kinds = [e.kind for e in provision_platform.ledger.audit_entries()]
    assert "provision-recorded" in kinds
    assert provision_platform.ledger.verify_audit() is None


def test_APPI_33_5_provisions_searchable_by_subject_recipient_and_date(
    provision_platform: Platform, member_csv: Path, tmp_path: Path
) -> None:
    _run(provision_platform, member_csv, tmp_path / "e.csv", _request())
    store = SqlProvisionStore(provision_platform.ledger)
    assert [p.recipient_id for p in store.search(subject="s2")] == ["adco"]
    assert store.search(subject="s4") == []
    assert len(store.search(recipient="adco")) == 1
    assert store.search(since=datetime(2024, 4, 2).date()) == []


def test_APPI_29_1_records_are_append_only(
    provision_platform: Platform, member_csv: Path, tmp_path: Path
) -> None:
    _run(provision_platform, member_csv, tmp_path / "e.csv", _request())
    engine = provision_platform.ledger.engine
    with engine.begin() as c:
        c.execute(text("DELETE FROM provision_subjects"))
    # SQLite has no trigger: the audit chain's digest of the subjects no longer matches the table.
    store = SqlProvisionStore(provision_platform.ledger)
    assert store.subjects_of(_request().lineage_id) == []
    entry = next(e for e in provision_platform.ledger.audit_entries() if e.kind == "provision-recorded")
    assert json.loads(entry.payload)["subjects"] == 3


def test_APPI_28_1_foreign_recipient_needs_information_and_consent_abroad(
    provision_platform: Platform, member_csv: Path, tmp_path: Path
) -> None:
    abroad = Recipient(
        "usad", "ad_business", "US", name="Example Inc.", address="1 Main St", representative="CEO"
    )
    with pytest.raises(RefusedError) as caught:
        _run(provision_platform, member_csv, tmp_path / "a.csv", _request(abroad, "provide_ads_us"))
    assert caught.value.rules == ("APPI-28-1",)
    provision = _run(
        provision_platform,
        member_csv,
        tmp_path / "b.csv",
        _request(
            abroad,
            "provide_ads_us",
            foreign_system=Text("包括的な連邦法はない", "no comprehensive federal law"),
            foreign_measures=Text("契約で APPI 同等の措置", "contractual APPI-equivalent measures"),
        ),
    )
    assert provision.allowed == ("s1",)  # type: ignore[attr-defined]
    records = SqlProvisionStore(provision_platform.ledger).records_of(_request().lineage_id)
    assert {r["rule"] for r in records} == {"APPI-29-1", "APPI-28-1"}
    assert "foreign_consent" in records[0]["items"]


def test_APPI_29_1_missing_recipient_details_refuse_and_leave_no_export(
    provision_platform: Platform, member_csv: Path, tmp_path: Path
) -> None:
    bare = Recipient("adco", "ad_business", name="X")
    with pytest.raises(RefusedError):
        _run(provision_platform, member_csv, tmp_path / "e.csv", _request(bare))
    assert not (tmp_path / "e.csv").exists()


def test_APPI_42_1_pseudonymized_dataset_is_refused_by_mamori_provide(
    provision_platform: Platform, member_csv: Path, tmp_path: Path
) -> None:
    manifest = member_csv.with_name(member_csv.name + ".manifest.json")
    manifest.write_text(json.dumps({"kind": "pseudonymized"}), encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "MAMORI_HOME": str(tmp_path / "home"),
        "MAMORI_LANG": "en",
    }
    env["MAMORI_DATABASE_URL"] = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mamori",
            "provide",
            str(member_csv),
            "--purpose",
            "provide_ads",
            "--items",
            "member_id,purchases",
            "--out",
            str(tmp_path / "x.csv"),
            "--recipient-id",
            "adco",
            "--recipient-name",
            "Example",
            "--recipient-address",
            "Tokyo",
            "--representative",
            "CEO",
            "--category",
            "ad_business",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 3, result.stderr
    assert "APPI-42-1" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_APPI_29_1_mamori_provide_cli_end_to_end(
    provision_platform: Platform, member_csv: Path, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "MAMORI_HOME": str(tmp_path / "home"),
        "MAMORI_LANG": "en",
    }
    env["MAMORI_DATABASE_URL"] = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"

    def cli(*args: str) -> dict[str, object]:
        result = subprocess.run(
            [sys.executable, "-m", "mamori", *args], capture_output=True, text=True, env=env, check=False
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    done = cli(
        "provide", str(member_csv), "--purpose", "provide_ads", "--items", "member_id,purchases",
        "--out", str(tmp_path / "x.csv"), "--recipient-id", "adco", "--recipient-name", "Example広告",
        "--recipient-address", "東京都港区1-1", "--representative", "代表 一郎", "--category", "ad_business", "--json",
    )  # fmt: skip
    assert done["allowed"] == 3 and is_lineage_id(str(done["lineage_id"]))
    found = cli("provisions", "--subject", "s1", "--records", "--json")
    listed = found["provisions"]
    assert isinstance(listed, list) and listed[0]["lineage_id"] == done["lineage_id"]
    assert listed[0]["records"][0]["rule"] == "APPI-29-1"


def test_APPI_30_1_mamori_receive_records_the_providers_declaration(
    provision_platform: Platform, member_csv: Path, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "MAMORI_HOME": str(tmp_path / "home"),
        "MAMORI_LANG": "en",
    }
    env["MAMORI_DATABASE_URL"] = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    base = [sys.executable, "-m", "mamori", "receive", str(member_csv), "--provider-name", "Partner株式会社"]
    rest = [
        "--provider-representative",
        "代表 花子",
        "--acquisition",
        "会員登録時に本人から取得",
        "--items",
        "purchases",
    ]
    missing = subprocess.run(
        [*base, "--provider-address", " ", *rest], capture_output=True, text=True, env=env, check=False
    )
    assert missing.returncode == 3 and "APPI-30-1" in missing.stderr
    done = subprocess.run(
        [*base, "--provider-address", "大阪府大阪市北区1", *rest, "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lid = json.loads(done.stdout)["lineage_id"]
    records = SqlProvisionStore(provision_platform.ledger).records_of(lid)
    assert (
        records[0]["rule"] == "APPI-30-1" and records[0]["items"]["acquisition"] == "会員登録時に本人から取得"
    )


@pytest.mark.postgres
def test_APPI_29_1_provision_tables_refuse_changes_on_postgresql(
    pg_server: object, make_platform: object, member_csv: Path, tmp_path: Path
) -> None:
    from sqlalchemy.exc import DBAPIError

    from tests.provision.conftest import seed_provision_world

    url = pg_server.create_database("provision_append_only")  # type: ignore[attr-defined]
    platform = make_platform(url, tmp_path / "pg-home")  # type: ignore[operator]
    seed_provision_world(platform)
    _run(platform, member_csv, tmp_path / "e.csv", _request())
    for table in ("provisions", "provision_subjects", "provision_records"):
        with pytest.raises(DBAPIError, match="append-only"), platform.ledger.engine.begin() as c:
            c.execute(text(f"DELETE FROM {table}"))
    assert SqlProvisionStore(platform.ledger).subjects_of(_request().lineage_id) == ["s1", "s2", "s3"]
