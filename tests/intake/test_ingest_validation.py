"""Row validation and normalization into the lake's schema."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from mamori.lake.intake import open_intake
from mamori.lake.intake.engine_duckdb import DuckDbRunner
from mamori.services.intake import ingest
from mamori.testing.catalog import InMemoryDatasetCatalog
from tests.intake.helpers import HEADER, NOW, ingest_bytes, read_data, reasons_by_row

ROWS = [
    "C1,山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ,昭和55年5月1日,男,+81 90-1234-5678,Taro@Example.COM,〒100-0001,東京都千代田区千代田１－１",
    ",名無し,,,,,,,",  # no id
    "C3,佐藤 花子,,平成45年1月1日,女,,,,",  # an era year that never was
    "C4,佐藤 次郎,,2030-01-01,男,,,,",  # born in the future
    "C5,鈴木 一郎,,,,03-1234-567,,,",  # too short for a Japanese number
    "C6,鈴木 二郎,,,,,,100-00011,",  # postal code of 8 digits
    "C7,鈴木 三郎,,,,,a@b@example.com,,",  # not one address
    "C8,,,,,,,,",  # nothing but the id
    "C9,高橋 四郎,,,不明な値,,,,",  # a gender code nobody defined
    "C10,中島 美咲,,R4.5.1,F,(03)1234-5678,,1000001,",  # kana inferred from the kanji
]


@pytest.fixture
def outcome(tmp_path: Path):  # type: ignore[no-untyped-def]
    return ingest_bytes(tmp_path, (HEADER + "\n".join(ROWS) + "\n").encode())[0]


def test_every_failed_check_has_its_reason_and_row(outcome) -> None:  # type: ignore[no-untyped-def]
    assert reasons_by_row(outcome) == {
        2: {"missing_id"},
        3: {"invalid_date"},
        4: {"future_date"},
        5: {"invalid_phone"},
        6: {"invalid_postal"},
        7: {"invalid_email"},
        8: {"no_usable_field"},
        9: {"invalid_gender"},
    }
    p = outcome.published
    assert (p.rows_in, p.rows_accepted, p.rows_quarantined) == (10, 2, 8)


def test_accepted_rows_are_normalized(outcome) -> None:  # type: ignore[no-untyped-def]
    first = read_data(outcome).row(0, named=True)
    assert first["name"] == "山田 太郎"  # kept as written
    assert first["name_kana"] == "ヤマダタロウ"
    assert first["name_kana_written"] == "ﾔﾏﾀﾞ ﾀﾛｳ"
    assert first["kana_inferred"] is False
    assert first["birth_date"] == date(1980, 5, 1)
    assert first["gender"] == "M"
    assert first["phone"] == "+819012345678"
    assert first["email"] == "taro@example.com"
    assert first["postal_code"] == "1000001"
    assert first["address"] == "東京都千代田区千代田1-1"


def test_kanji_only_names_get_an_inferred_reading(outcome) -> None:  # type: ignore[no-untyped-def]
    row = read_data(outcome).row(1, named=True)
    assert (row["name_kana"], row["kana_inferred"], row["birth_date"]) == (
        "ナカジマミサキ",
        True,
        date(2022, 5, 1),
    )


def test_quarantine_names_file_row_and_field(outcome) -> None:  # type: ignore[no-untyped-def]
    entries = [e for e in outcome.published.quarantine if e.row == 5]
    assert [(e.file, e.field, e.reason) for e in entries] == [("in.csv", "電話番号", "invalid_phone")]


def test_json_lines_with_a_broken_line(tmp_path: Path) -> None:
    lines = [
        {
            "cookie_id": "ck_1",
            "viewed_at": "2025-01-01T10:00:00+09:00",
            "url": "/",
            "ip_address": "192.0.2.1",
        },
        "{not json",
        {"cookie_id": "ck_3", "viewed_at": "2025-01-01 10:00:00", "url": "/cart", "ip_address": "999.0.0.1"},
        {
            "cookie_id": "ck_4",
            "viewed_at": "2025-01-01T01:00:00Z",
            "device_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        },
    ]
    text = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    outcome, _ = ingest_bytes(tmp_path, text.encode(), name="views.jsonl", kind="browsing")
    assert reasons_by_row(outcome) == {2: {"malformed_record"}, 3: {"invalid_ip"}}
    data = read_data(outcome)
    assert data["viewed_at"].dt.hour().to_list() == [1, 1]  # JST 10:00 and 01:00 UTC are both 01:00 UTC


def test_parquet_input_with_typed_columns(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "transaction_id": ["T1", "T2"],
            "member_id": ["M1", "M2"],
            "amount_yen": [1280, -50],
            "purchased_at": ["2025-01-01 10:00:00", "2031-01-01 00:00:00"],
        }
    )
    frame.write_parquet(tmp_path / "tx.parquet")
    catalog = InMemoryDatasetCatalog()
    intake = open_intake(tmp_path / "tx.parquet", kind="transactions", lake_dir=tmp_path / "lake", now=NOW)
    result = ingest(intake, catalog, source_name="pos", now=NOW)
    assert reasons_by_row(result) == {2: {"future_date"}}
    assert read_data(result)["amount_yen"].to_list() == [1280]


def test_mapping_file_maps_partner_headers(tmp_path: Path) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  cust_no: customer_id\n  tel_no: phone\n", encoding="utf-8")
    data = "cust_no\ttel_no\nA1\t090 1234 5678\n"
    outcome, _ = ingest_bytes(tmp_path, data.encode(), name="c.tsv", mapping_file=mapping)
    assert read_data(outcome).select("customer_id", "phone").rows() == [("A1", "+819012345678")]


def test_schema_file_defines_a_new_kind(tmp_path: Path) -> None:
    schema = tmp_path / "survey.yaml"
    schema.write_text(
        "kind: survey\nid: answer_id\nfields: {answer_id: id, answered_on: date, score: integer}\naliases: {answer_id: [回答ID]}\n",
        encoding="utf-8",
    )
    outcome, _ = ingest_bytes(
        tmp_path, "回答ID,answered_on,score\nQ1,令和5年1月2日,4\n".encode(), kind=None, schema_file=schema
    )  # type: ignore[arg-type]
    assert outcome.record.kind == "survey"
    assert outcome.published.rows_in == 1


def test_a_failure_half_way_leaves_no_dataset_visible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes((HEADER + "\n".join(ROWS) + "\n").encode())
    intake = open_intake(path, kind="customers", lake_dir=tmp_path / "lake", now=NOW)

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", disk_full)
    catalog = InMemoryDatasetCatalog()
    with pytest.raises(OSError, match="No space"):
        ingest(intake, catalog, source_name="partner", now=NOW)
    assert catalog.datasets() == []
    assert not [p for p in (tmp_path / "lake").rglob("*") if p.is_file()]
    assert isinstance(intake.runner, DuckDbRunner)


def test_APPI_20_2_sensitive_and_APPI_31_1_personal_related_columns_are_marked(tmp_path: Path) -> None:
    data = "顧客ID,氏名,病歴,端末\nC1,山田 太郎,高血圧,0f8fad5b-d9cb-469f-a165-70867728950e\nC2,山田 花子,,1c2d3e4f-0000-4000-8000-00000000abcd\n"
    outcome, _ = ingest_bytes(tmp_path, data.encode())
    assert outcome.record.marks["病歴"] == ("sensitive:APPI-20-2",)
    assert outcome.record.marks["端末"] == ("personal_related:APPI-31-1",)
    assert outcome.record.classifications["端末"] == ("device_id",)
    assert "氏名" not in outcome.record.marks
