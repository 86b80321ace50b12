"""One pipeline, two engines: DuckDB and Spark (local mode) give identical results on the same files."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from tests.intake.helpers import HEADER, ingest_bytes, read_data, read_quarantine

pytestmark = pytest.mark.spark

CUSTOMERS = (
    HEADER
    + "\n".join(
        [
            "C1,山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ,昭和55年5月1日,男,+81 90-1234-5678,Taro@Example.COM,〒100-0001,東京都千代田区千代田１－１",
            'C2,中島 美咲,,R4.5.1,F,(03)1234-5678,,1000001,=HYPERLINK("x")',
            "C3,佐藤 花子,,平成45年1月1日,女,,,,",
            "C4,鈴木 一郎,,,,03-1234-567,,,",
            "C5,,,,,,,,",
            ",名無し,,,,,,,",
            "C7,short",
            "C8,ヴァイオリン 弾き,ゔぁいおりん,2001/2/3,2,０９０ー１２３４ー５６７８,x+tag@example.org,１００－０００１,大阪府大阪市北区梅田1-1-1",
        ]
    )
    + "\n"
)
TRANSACTIONS = (
    "取引ID,会員ID,店舗ID,購入日時,カテゴリ,金額,チャネル\n"
    + "\n".join(
        [
            'T1,M1,S1,2025-01-02 10:00:00,food,"¥1,280",store',
            "T2,M1,S2,2025-01-02T10:00:00+09:00,food,▲500,app",
            "T3,M2,S1,2031-01-01 00:00:00,food,100,store",
            "T4,M3,S3,yesterday,food,100,store",
            "T5,M3,S3,2025/1/3 9:30,books,12.5,online",
        ]
    )
    + "\n"
)
BROWSING = (
    "\n".join(
        [
            json.dumps(
                {
                    "cookie_id": "ck_1",
                    "viewed_at": "2025-01-01T10:00:00+09:00",
                    "url": "/",
                    "ip_address": "192.0.2.1",
                }
            ),
            "{broken",
            json.dumps(
                {"cookie_id": "ck_3", "viewed_at": "2025-01-01 10:00:00", "ip_address": "2001:db8::1"}
            ),
        ]
    )
    + "\n"
)


@pytest.fixture(scope="module", autouse=True)
def spark() -> None:
    """The process's shared Spark session (tests/conftest.py stops it at the end of the run)."""
    pytest.importorskip("pyspark")
    from mamori.lake.spark import spark_session

    spark_session()


@pytest.mark.parametrize(
    ("name", "kind", "content", "key"),
    [
        ("customers.csv", "customers", CUSTOMERS, "customer_id"),
        ("transactions.csv", "transactions", TRANSACTIONS, "transaction_id"),
        ("views.jsonl", "browsing", BROWSING, "cookie_id"),
    ],
)
def test_duckdb_and_spark_give_identical_output(
    tmp_path: Path, name: str, kind: str, content: str, key: str
) -> None:
    results = {}
    for engine in ("duckdb", "spark"):
        outcome, _ = ingest_bytes(tmp_path / engine, content.encode(), name=name, kind=kind, engine=engine)
        data = read_data(outcome).sort(key)
        quarantine = read_quarantine(outcome).sort("row", "field", "reason")
        rows_file = Path(outcome.record.path) / "quarantine_rows.parquet"
        bad_rows = pl.read_parquet(rows_file).sort("row")
        counts = (
            outcome.published.rows_in,
            outcome.published.rows_accepted,
            outcome.published.rows_quarantined,
        )
        results[engine] = (data, quarantine, bad_rows, counts, outcome.published.reasons, outcome.warnings)
    duck, spark = results["duckdb"], results["spark"]
    assert duck[0].height > 0 and duck[1].height > 0, "the files must have accepted and quarantined rows"
    assert duck[0].schema == spark[0].schema
    assert duck[0].equals(spark[0])
    assert duck[1].equals(spark[1])
    assert duck[2].equals(spark[2])
    assert duck[3:] == spark[3:]
