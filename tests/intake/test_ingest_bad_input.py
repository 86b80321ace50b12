"""Every kind of bad input the issue lists: each is handled, and rows in = accepted + quarantined."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from mamori.errors import InputError, RefusedError
from tests.intake.helpers import HEADER, ingest_bytes, read_data, read_quarantine, reasons_by_row

GOOD = "C1,山田 太郎,ヤマダ タロウ,1980-05-01,男,03-1234-5678,taro@example.com,100-0001,東京都千代田区千代田1-1\n"


def test_wrong_encoding_declared_is_refused_with_the_likely_one(tmp_path: Path) -> None:
    data = (HEADER + GOOD).encode("cp932")
    with pytest.raises(InputError, match="cp932") as caught:
        ingest_bytes(tmp_path, data, encoding="utf-8")
    assert caught.value.file is not None
    assert caught.value.line == 1


def test_shift_jis_is_detected_and_read(tmp_path: Path) -> None:
    outcome, _ = ingest_bytes(tmp_path, (HEADER + GOOD).encode("cp932"))
    assert outcome.published.rows_accepted == 1
    assert read_data(outcome)["name"].to_list() == ["山田 太郎"]


def test_utf8_with_bom_is_read(tmp_path: Path) -> None:
    outcome, _ = ingest_bytes(tmp_path, b"\xef\xbb\xbf" + (HEADER + GOOD).encode("utf-8"))
    assert outcome.published.rows_accepted == 1
    assert read_data(outcome)["customer_id"].to_list() == ["C1"]


def test_mixed_encodings_quarantine_the_foreign_rows(tmp_path: Path) -> None:
    rows = [GOOD.replace("C1", f"C{i}") for i in range(1, 6)]
    data = (HEADER + "".join(rows[:2])).encode() + rows[2].encode("cp932") + "".join(rows[3:]).encode()
    outcome, _ = ingest_bytes(tmp_path, data)
    assert outcome.published.rows_in == 5
    assert reasons_by_row(outcome) == {3: {"invalid_encoding"}}


def test_bytes_invalid_in_cp932_quarantine_their_row(tmp_path: Path) -> None:
    good = (HEADER + GOOD).encode("cp932")
    broken = (
        "C2,山田 花子,ヤマダ ハナコ,1982-01-01,女,03-1234-5679,h@example.com,100-0001,".encode("cp932")
        + b"\x81\x7f\n"
    )
    outcome, _ = ingest_bytes(tmp_path, good + broken + GOOD.replace("C1", "C3").encode("cp932"))
    assert outcome.record.rows_in == 3
    assert reasons_by_row(outcome) == {2: {"invalid_encoding"}}
    assert read_quarantine(outcome).filter(read_quarantine(outcome)["row"] == 2)["field"].to_list() == [
        "住所"
    ]


def test_ragged_rows_are_quarantined_with_their_row_numbers(tmp_path: Path) -> None:
    data = (
        HEADER
        + GOOD
        + "C2,short\n"
        + GOOD.replace("C1", "C3").rstrip("\n")
        + ",extra\n"
        + GOOD.replace("C1", "C4")
    )
    outcome, _ = ingest_bytes(tmp_path, data.encode())
    assert reasons_by_row(outcome) == {2: {"ragged_row"}, 3: {"ragged_row"}}
    assert read_data(outcome)["customer_id"].to_list() == ["C1", "C4"]
    lines = Path(outcome.record.path) / "quarantine_lines.parquet"
    assert lines.exists()


def test_quoted_newline_is_valid_csv_and_later_rows_keep_their_numbers(tmp_path: Path) -> None:
    multi = (
        'C2,"山田\n花子",ヤマダ ハナコ,1982-01-01,女,03-1234-5679,h@example.com,100-0001,"東京都\n千代田区"\n'
    )
    bad = GOOD.replace("C1", "C3").replace("03-1234-5678", "12345")
    outcome, _ = ingest_bytes(tmp_path, (HEADER + GOOD + multi + bad).encode())
    assert outcome.published.rows_accepted == 2
    assert "山田\n花子" in read_data(outcome)["name"].to_list()
    assert reasons_by_row(outcome) == {3: {"invalid_phone"}}


def test_header_only_file_has_zero_rows(tmp_path: Path) -> None:
    outcome, _ = ingest_bytes(tmp_path, HEADER.encode())
    assert (
        outcome.published.rows_in,
        outcome.published.rows_accepted,
        outcome.published.rows_quarantined,
    ) == (0, 0, 0)


def test_empty_file_is_refused_as_unreadable(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        ingest_bytes(tmp_path, b"")


def test_ten_megabyte_field_quarantines_its_row(tmp_path: Path) -> None:
    huge = GOOD.replace("C1", "C2").replace("東京都千代田区千代田1-1", "x" * (10 * 1024 * 1024))
    outcome, _ = ingest_bytes(tmp_path, (HEADER + GOOD + huge + GOOD.replace("C1", "C3")).encode())
    assert reasons_by_row(outcome) == {2: {"line_too_long"}}
    assert outcome.published.rows_accepted == 2


def test_field_longer_than_its_type_allows_is_quarantined(tmp_path: Path) -> None:
    long_name = GOOD.replace("C1", "C2").replace("山田 太郎", "山" * 500)
    outcome, _ = ingest_bytes(tmp_path, (HEADER + long_name).encode())
    assert reasons_by_row(outcome) == {1: {"field_too_long"}}


def test_duplicate_headers_refuse_the_file_naming_the_header(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="電話番号") as caught:
        ingest_bytes(tmp_path, ("顧客ID,電話番号,電話番号\nC1,03-1234-5678,03-1234-5679\n").encode())
    assert caught.value.field == "電話番号"


def test_unknown_columns_are_kept_and_reported(tmp_path: Path) -> None:
    outcome, _ = ingest_bytes(
        tmp_path, (HEADER.rstrip("\n") + ",好きな色\n" + GOOD.rstrip("\n") + ",青\n").encode()
    )
    assert read_data(outcome)["好きな色"].to_list() == ["青"]
    assert any("好きな色" in w for w in outcome.warnings)


def test_MYNUM_CD_wrong_check_digit_is_flagged_not_refused(tmp_path: Path) -> None:
    rows = "".join(
        f"C{i},山田 太郎,,,,,,,,12345678901{(8 + i) % 10 if (8 + i) % 10 != 8 else 7}\n" for i in range(1, 5)
    )
    outcome, _ = ingest_bytes(tmp_path, (HEADER.rstrip("\n") + ",番号\n" + rows).encode())
    finding = next(f for f in outcome.findings if f.name == "番号")
    assert finding.kinds == ()
    assert "my_number_check_digit_mismatch" in finding.flags
    assert outcome.published.rows_accepted == 4


def test_MYNUM_20_individual_number_column_refuses_the_file(tmp_path: Path) -> None:
    rows = "C1,山田 太郎,,,,,,,,123456789018\nC2,山田 花子,,,,,,,,621498320257\n"
    with pytest.raises(RefusedError) as caught:
        ingest_bytes(tmp_path, (HEADER.rstrip("\n") + ",備考\n" + rows).encode())
    assert "MYNUM-20" in caught.value.rules
    assert "備考" in caught.value.en
    assert not (tmp_path / "lake").exists() or not any((tmp_path / "lake").rglob("*.parquet"))


def test_PPC_RULE_7_2_card_number_column_refuses_the_file(tmp_path: Path) -> None:
    rows = "C1,山田 太郎,,,,,,,,4111 1111 1111 1111\nC2,山田 花子,,,,,,,,5555-5555-5555-4444\n"
    with pytest.raises(RefusedError) as caught:
        ingest_bytes(tmp_path, (HEADER.rstrip("\n") + ",メモ\n" + rows).encode())
    assert caught.value.rules == ("PPC-RULE-7-2",)


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_formula_prefixes_are_kept_as_data_and_counted(tmp_path: Path, prefix: str) -> None:
    cell = f'{prefix}HYPERLINK("http://example.invalid","x")'
    data = HEADER + GOOD.replace("東京都千代田区千代田1-1", '"' + cell.replace('"', '""') + '"')
    outcome, _ = ingest_bytes(tmp_path, data.encode())
    assert read_data(outcome)["address"].to_list() == [cell]
    assert any("formula" in w for w in outcome.warnings)


def test_formula_cells_are_escaped_on_export(tmp_path: Path) -> None:
    from mamori.lake.export import write_csv_for_people

    frame = pl.DataFrame(
        {"memo": ["=1+1", "+81 3 1234 5678", "@SUM(A1)", "-2", "ふつう", None], "n": [1, 2, 3, 4, 5, 6]}
    )
    target = tmp_path / "out.csv"
    write_csv_for_people(frame, target)
    back = pl.read_csv(target, infer_schema=False, encoding="utf8")
    assert back["memo"].to_list() == ["'=1+1", "'+81 3 1234 5678", "'@SUM(A1)", "'-2", "ふつう", None]
    assert back["n"].to_list() == ["1", "2", "3", "4", "5", "6"]
