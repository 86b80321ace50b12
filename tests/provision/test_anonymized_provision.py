"""Providing an anonymized dataset: its publication must be there and match (APPI-43-3, 43-4),
the statement to the recipient is attached; every provider record names its consent snapshot."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from mamori.bootstrap import Platform
from mamori.domain.anonymity.models import PrivacyModel
from mamori.domain.provision.lineage import lineage_id
from mamori.domain.recipients import Recipient
from mamori.domain.requests import ProvisionKind
from mamori.errors import RefusedError
from mamori.lake.anonymize.engine import Job, run
from mamori.lake.anonymize.paperwork import write_paperwork
from mamori.lake.anonymize.published import read_release
from mamori.lake.provide import DuckDBExporter, snapshot_taker
from mamori.ledger.portal_sources import ProvisionsOfSubject
from mamori.ledger.provisions import SqlProvisionStore
from mamori.services.provide import Provision, ProvisionRequest, provide
from tests.paths import REPO

SHOP = Recipient(
    "adco", "ad_business", name="Example広告株式会社", address="東京都港区1-1", representative="代表 一郎"
)
NOW = datetime(2024, 4, 1, 3, 0, tzinfo=UTC)
ITEMS = ("member_id", "age", "sex", "spend")


@pytest.fixture
def release(tmp_path: Path) -> Path:
    """A real anonymized dataset (k = 3 on age, sex) with the paperwork `mamori anonymize` keeps."""
    src = tmp_path / "members.csv"
    n = 36
    table = pa.table(
        {
            "member_id": [f"s{1 + i % 6}" for i in range(n)],
            "name": [f"会員{i}" for i in range(n)],
            "age": [30 + i % 3 for i in range(n)],
            "sex": ["F" if i % 2 else "M" for i in range(n)],
            "spend": [100 * (i % 5) for i in range(n)],
        }
    )
    pacsv.write_csv(table, src)
    out = tmp_path / "release.csv"
    report = run(Job(src, out, qi=["age", "sex"], keep=["member_id", "spend"], model=PrivacyModel(k=3)))
    write_paperwork(
        report,
        out,
        business="Example株式会社",
        made_on=date(2024, 3, 31),
        recipient=None,
        method_ja="暗号化したファイルの送付",
        method_en="encrypted file transfer",
        lineage_id=lineage_id(NOW, bytes(12)),
    )
    return out


def _request(data: Path, items: tuple[str, ...] = ITEMS) -> ProvisionRequest:
    return ProvisionRequest(
        purpose="provide_ads",
        recipient=SHOP,
        items=items,
        population=tuple(f"s{i}" for i in range(1, 7)),
        at=NOW,
        lineage_id=lineage_id(NOW, bytes(range(12))),
        kind=ProvisionKind.ANONYMIZED,
        release=read_release(data),
    )


def _provide(platform: Platform, data: Path, out: Path, request: ProvisionRequest, **kw: object) -> Provision:
    return provide(
        platform.ledger,
        SqlProvisionStore(platform.ledger),
        DuckDBExporter(data, "member_id", request.items, out),
        request,
        "operator",
        **kw,  # type: ignore[arg-type]
    )


def test_APPI_43_3_anonymized_dataset_without_publication_is_refused(
    provision_platform: Platform, release: Path, tmp_path: Path
) -> None:
    release.with_name(release.name + ".publication.ja.txt").unlink()
    with pytest.raises(RefusedError) as caught:
        _provide(provision_platform, release, tmp_path / "e.csv", _request(release))
    assert caught.value.rules == ("APPI-43-3", "APPI-43-4")
    assert str(release) in caught.value.ja and str(release) in caught.value.en
    assert not (tmp_path / "e.csv").exists()


def test_APPI_43_3_plain_table_without_manifest_is_refused_as_anonymized(
    provision_platform: Platform, member_csv: Path, tmp_path: Path
) -> None:
    with pytest.raises(RefusedError) as caught:
        _provide(provision_platform, member_csv, tmp_path / "e.csv", _request(member_csv, ("member_id",)))
    assert "APPI-43-3" in caught.value.rules and "publication" in caught.value.en


def test_APPI_43_4_items_not_published_are_refused(
    provision_platform: Platform, release: Path, tmp_path: Path
) -> None:
    with pytest.raises(RefusedError) as caught:
        _provide(provision_platform, release, tmp_path / "e.csv", _request(release, (*ITEMS, "name")))
    assert caught.value.rules == ("APPI-43-3", "APPI-43-4")
    assert "name" in caught.value.en and "not published" in caught.value.en


def test_APPI_43_4_dataset_columns_differing_from_publication_are_refused(
    provision_platform: Platform, release: Path, tmp_path: Path
) -> None:
    manifest_path = release.with_name(release.name + ".manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["items"] = [i for i in manifest["items"] if i != "spend"]  # spend left unpublished
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(RefusedError) as caught:
        _provide(provision_platform, release, tmp_path / "e.csv", _request(release, ("member_id", "age")))
    assert "unpublished columns: spend" in caught.value.en and "spend" in caught.value.ja


def test_APPI_43_4_statement_to_the_recipient_is_attached_and_recorded(
    provision_platform: Platform, release: Path, tmp_path: Path
) -> None:
    request = _request(release)
    provision = _provide(provision_platform, release, tmp_path / "e.csv", request)
    assert provision.notice is not None
    assert "匿名加工情報です" in provision.notice.ja and "Example広告株式会社" in provision.notice.ja
    assert "Method of provision: encrypted file transfer" in provision.notice.en
    assert all(item in provision.notice.en for item in ITEMS)
    records = SqlProvisionStore(provision_platform.ledger).records_of(request.lineage_id)
    notice = next(r for r in records if r["rule"] == "APPI-43-4")
    assert notice["kind"] == "anonymized_notice" and "第43条第4項" in notice["items"]["ja"]


def test_APPI_29_1_provider_record_names_the_consent_snapshot_file_and_hash(
    provision_platform: Platform, member_csv: Path, tmp_path: Path
) -> None:
    request = ProvisionRequest(
        purpose="provide_ads",
        recipient=SHOP,
        items=("member_id", "purchases"),
        population=tuple(f"s{i}" for i in range(1, 7)),
        at=NOW,
        lineage_id=lineage_id(NOW, bytes(12)),
    )
    provision = _provide(
        provision_platform,
        member_csv,
        tmp_path / "e.csv",
        request,
        snapshot=snapshot_taker(
            provision_platform.ledger,
            provision_platform.snapshots,
            NOW,
            tmp_path / "consent.parquet",
            provision_platform.settings.policy,
        ),
    )
    snap = tmp_path / "consent.parquet"
    digest = hashlib.sha256(snap.read_bytes()).hexdigest()
    assert provision.snapshot is not None and provision.snapshot.position == provision.consent_position > 0
    store = SqlProvisionStore(provision_platform.ledger)
    items = store.records_of(request.lineage_id)[0]["items"]
    assert str(snap) in items["consent_snapshot"] and digest in items["consent_snapshot"]
    assert f"ledger position {provision.consent_position}" in items["consent_snapshot"]
    shown = ProvisionsOfSubject(store).for_subject("s1")  # the portal and console read this
    assert digest in shown[0]["consent_snapshot"]
    audit = next(e for e in provision_platform.ledger.audit_entries() if e.kind == "provision-recorded")
    assert digest in json.loads(audit.payload)["consent_snapshot"]


def test_APPI_29_1_cli_provide_takes_and_names_the_snapshot(
    provision_platform: Platform, member_csv: Path, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "MAMORI_HOME": str(tmp_path / "home"),
        "MAMORI_LANG": "en",
        "MAMORI_DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
    }

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mamori", *args], capture_output=True, text=True, env=env, check=False
        )

    result = cli(
        "provide", str(member_csv), "--purpose", "provide_ads", "--items", "member_id,purchases",
        "--out", str(tmp_path / "x.csv"), "--recipient-id", "adco", "--recipient-name", "Example",
        "--recipient-address", "Tokyo", "--representative", "CEO", "--category", "ad_business", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    snap = json.loads(result.stdout)["consent_snapshot"]
    assert hashlib.sha256(Path(snap["path"]).read_bytes()).hexdigest() == snap["sha256"]
    listed = json.loads(cli("provisions", "--subject", "s1", "--json").stdout)["provisions"]
    assert (
        snap["sha256"] in listed[0]["consent_snapshot"] and listed[0]["consent_position"] == snap["position"]
    )


def test_APPI_43_3_cli_refuses_anonymized_dataset_without_publication_naming_the_file(
    provision_platform: Platform, release: Path, tmp_path: Path
) -> None:
    for lang in ("ja", "en"):
        release.with_name(f"{release.name}.publication.{lang}.txt").unlink()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "MAMORI_HOME": str(tmp_path / "home"),
        "MAMORI_LANG": "en",
        "MAMORI_DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mamori",
            "provide",
            str(release),
            "--kind",
            "anonymized",
            "--purpose",
            "provide_ads",
            "--items",
            "age,sex",
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
    assert "APPI-43-3" in result.stderr and str(release) in result.stderr
    assert not (tmp_path / "x.csv").exists()
