"""Lineage from leaked files (CSV and Parquet through DuckDB), fed to reportability."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mamori.domain.items import DataItem
from mamori.errors import InputError
from mamori.lake.leaked_files import LeakedFiles
from mamori.services.incidents.usecases import IncidentService
from mamori.testing.incidents import FixedClock, InMemoryIncidentStore
from tests.incidents.conftest import Cli, make_facts


def _files(tmp_path: Path) -> dict[str, Path]:
    csv = tmp_path / "newsletter.csv"
    rows = ["member_id,name,email,card_number,birth_date"]
    rows += [f"M{i:04d},名前{i},m{i}@example.com,,1980-01-01" for i in range(600)]
    rows += ["M0001,名前1,m1@example.com,,1980-01-01", ",no id,x@example.com,,"]  # duplicate and no subject
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    parquet = tmp_path / "payments.parquet"
    ids = [f"M{i:04d}" for i in range(500, 1100)]
    pq.write_table(
        pa.table(
            {
                "member_id": ids,
                "card_number": ["4111111111111111"] * len(ids),
                "birth_date": [date(2012, 5, 5)] * len(ids),
            }
        ),
        parquet,
    )
    return {"newsletter.csv": csv, "payments.parquet": parquet}


def test_exposures_are_one_per_distinct_subject_with_the_filled_columns(tmp_path: Path) -> None:
    reader = LeakedFiles(_files(tmp_path), "member_id", "birth_date")
    rows = reader.rows("newsletter.csv")
    assert len(rows) == 600 and rows[0].subject_id == "M0000"
    assert rows[0].items == frozenset({"name", "email"})  # card_number was empty
    assert rows[0].birth_date == date(1980, 1, 1)
    assert reader.rows("payments.parquet")[0].items == frozenset({"card_number"})


def test_PPC_RULE_7_2_and_7_4_impact_from_two_leaked_files(tmp_path: Path) -> None:
    service = IncidentService(
        InMemoryIncidentStore(),
        FixedClock(make_facts().aware_at),
        lineage=LeakedFiles(_files(tmp_path), "member_id", "birth_date"),
    )
    incident = service.open(
        "officer",
        title="誤送信と不正アクセス",
        facts=make_facts(persons=0, items=()),
        discovered_by="x",
        summary="y",
    )
    catalogue = {"card_number": DataItem("card_number", financial=True)}
    incident, impact = service.impact_from_lineage(
        incident.id, "officer", ["newsletter.csv", "payments.parquet"], catalogue
    )
    assert impact.persons == 1100 and impact.minors == 600
    assert impact.financial_items == ("card_number",)
    assert service.view(incident.id).assessment.categories == (2, 4)


def test_a_missing_subject_column_is_named(tmp_path: Path) -> None:
    reader = LeakedFiles(_files(tmp_path), "customer_no")
    with pytest.raises(InputError) as caught:
        reader.rows("newsletter.csv")
    assert caught.value.field == "customer_no" and caught.value.file is not None


def test_APPI_26_1_cli_impact_lists_the_affected_and_re_decides(cli: Cli, tmp_path: Path) -> None:
    opened = cli.json(
        "incident", "open", "--title", "誤送信", "--cause", "misdelivery", "--persons", "0", "--discovered-by", "x",
        "--summary", "添付ファイルを誤送信",
    )  # fmt: skip
    incident_id = str(opened["id"])
    files = _files(tmp_path)
    listing = tmp_path / "affected.csv"
    result = cli.json(
        "incident", "impact", incident_id, "--file", str(files["newsletter.csv"]), "--file",
        str(files["payments.parquet"]), "--birth-column", "birth_date", "--financial-items", "card_number",
        "--subjects-out", str(listing),
    )  # fmt: skip
    assert result["impact"]["persons"] == 1100  # type: ignore[index]
    assert result["incident"]["assessment"]["categories"] == [2, 4]  # type: ignore[index]
    lines = listing.read_text().splitlines()
    assert lines[:2] == ["subject_id,items", "M0000,email;name"] and len(lines) == 1101
    assert "M1099,card_number" in lines and "M0550,card_number;email;name" in lines
    # Rule 10: each person's notice lists that person's items only.
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("subject_id,email\nM0000,a@example.com\nM1099,b@example.com\n")
    sent = cli.json(
        "incident", "send-notices", incident_id, "--affected", str(listing), "--contacts", str(contacts),
        "--outbox", str(tmp_path / "outbox"),
    )  # fmt: skip
    assert (sent["delivered"], sent["undeliverable"]) == (2, 1098)
    newsletter_only = _body(tmp_path / "outbox" / incident_id / "M0000.eml")
    payments_only = _body(tmp_path / "outbox" / incident_id / "M1099.eml")
    assert (
        "項目: メールアドレス（email）、氏名（name）" in newsletter_only
        and "card_number" not in newsletter_only
    )
    assert "項目: クレジットカード番号（card_number）" in payments_only and "(email)" not in payments_only


def _body(path: Path) -> str:
    import email
    import email.policy

    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return str(message.get_content())  # type: ignore[attr-defined]
