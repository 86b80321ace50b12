"""Provision records, retention, lineage ids and spreadsheet-safe cells (pure domain)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mamori.domain.decision import Text
from mamori.domain.provision.export import safe_cell
from mamori.domain.provision.lineage import is_lineage_id, lineage_id
from mamori.domain.provision.records import (
    Basis,
    Party,
    art31_record,
    foreign_information,
    provider_record,
    recipient_record,
)
from mamori.domain.provision.retention import RecordMethod, period_end, retention
from mamori.domain.recipients import Recipient

SHOP = Recipient(
    id="r1",
    category="retail",
    name="Example商事株式会社",
    address="東京都千代田区1-1",
    representative="代表 太郎",
)
ABROAD = Recipient(
    id="r2", category="retail", country="US", name="Example Inc.", address="1 Main St", representative="CEO"
)
LIN = "LIN-20240401-0123456789abcdef01234567"


def test_APPI_29_1_consent_variant_has_every_rule_20_item() -> None:
    record = provider_record(
        basis=Basis.CONSENT, recipient=SHOP, subjects=("s1", "s2"), items=("氏名", "購買履歴"),
        provided_on=date(2024, 4, 1), lineage_id=LIN, consent_snapshot="snap-1",
    )  # fmt: skip
    assert set(record.items) == {
        "consent", "recipient_name", "recipient_address", "recipient_representative",
        "recipient_country", "subjects", "items", "consent_snapshot",
    }  # fmt: skip
    assert not record.missing()
    assert record.rule == "APPI-29-1" and record.consent_snapshot == "snap-1"
    assert record.subjects == ("s1", "s2")


def test_APPI_29_1_opt_out_variant_records_the_date_instead_of_consent() -> None:
    record = provider_record(
        basis=Basis.OPT_OUT, recipient=SHOP, subjects=("s1",), items=("購買履歴",),
        provided_on=date(2024, 4, 1), lineage_id=LIN, consent_snapshot="snap-1",
    )  # fmt: skip
    assert "consent" not in record.items and record.items["provided_on"] == "2024-04-01"


def test_APPI_28_1_foreign_recipient_adds_consent_abroad_and_information() -> None:
    record = provider_record(
        basis=Basis.CONSENT, recipient=ABROAD, subjects=("s1",), items=("購買履歴",),
        provided_on=date(2024, 4, 1), lineage_id=LIN, consent_snapshot="snap-1",
    )  # fmt: skip
    assert "foreign_consent" in record.items
    info = foreign_information(
        ABROAD, Text("州法による", "state laws"), Text("契約で同等の措置", "contractual measures")
    )
    assert "US" in info.ja and "state laws" in info.en and "措置" in info.ja


def test_APPI_29_1_missing_recipient_address_is_a_gap() -> None:
    bare = Recipient(id="r3", category="retail", name="X")
    record = provider_record(
        basis=Basis.CONSENT, recipient=bare, subjects=("s1",), items=("a",), provided_on=date(2024, 4, 1),
        lineage_id=LIN, consent_snapshot="s",
    )  # fmt: skip
    assert set(record.missing()) == {"recipient_address", "recipient_representative"}


def test_APPI_30_1_recipient_confirmation_record() -> None:
    provider = Party("Partner株式会社", "大阪府大阪市北区1", "代表 花子")
    record = recipient_record(
        basis=Basis.CONSENT, provider=provider, acquisition="会員登録時に本人から取得", subjects=("p1",),
        items=("購買履歴",), received_on=date(2024, 5, 1), lineage_id=LIN,
    )  # fmt: skip
    assert record.rule == "APPI-30-1" and not record.missing()
    assert {"provider_name", "provider_address", "provider_representative", "acquisition", "consent"} <= set(
        record.items
    )
    opt = recipient_record(
        basis=Basis.OPT_OUT, provider=provider, acquisition="x", subjects=("p1",), items=("a",),
        received_on=date(2024, 5, 1), lineage_id=LIN, ppc_published=False,
    )  # fmt: skip
    assert opt.missing() == ["ppc_published"]  # opt-out data without the PPC publication is a gap


def test_APPI_31_3_confirmation_record() -> None:
    record = art31_record(
        recipient=ABROAD, items=("cookie_id",), provided_on=date(2024, 6, 1),
        confirmation_method="提供先の同意取得の申告書", lineage_id=LIN,
    )  # fmt: skip
    assert record.rule == "APPI-31-3" and "foreign_information" in record.items and not record.missing()


def test_APPI_29_3_each_record_three_years_from_making() -> None:
    kept = retention(RecordMethod.EACH, date(2024, 4, 1))
    assert kept.keep_until == date(2027, 3, 31) and kept.rule == "APPI-29-3"


def test_APPI_29_3_bulk_three_years_from_last_provision() -> None:
    kept = retention(RecordMethod.BULK, date(2024, 4, 1), date(2025, 1, 10))
    assert kept.keep_until == date(2028, 1, 9)


def test_APPI_29_3_contract_one_year_from_last_provision() -> None:
    assert retention(RecordMethod.CONTRACT, date(2024, 4, 1), date(2024, 9, 30)).keep_until == date(
        2025, 9, 29
    )


def test_APPI_29_3_leap_day_and_legal_hold() -> None:
    assert period_end(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert retention(RecordMethod.EACH, date(2024, 4, 1), legal_hold=True).keep_until is None


def test_lineage_ids_are_well_formed_and_dated_in_JST() -> None:
    lid = lineage_id(datetime(2024, 3, 31, 16, 0, tzinfo=UTC), bytes(range(12)))
    assert lid == "LIN-20240401-000102030405060708090a0b"
    assert is_lineage_id(lid) and not is_lineage_id("LIN-2024-x")
    with pytest.raises(ValueError, match="96"):
        lineage_id(datetime(2024, 1, 1, tzinfo=UTC), b"short")


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+81", "'+81"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("山田", "山田"),
    ],
)
def test_export_cells_are_safe_against_formula_injection(raw: str, safe: str) -> None:
    assert safe_cell(raw) == safe
