"""Read consent events exported from an existing membership system (CSV or Parquet).

All or nothing: the first bad rows are named (file, row, field) and nothing is imported, since
a consent history with holes would silently change who may be contacted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from mamori.errors import InputError
from mamori.services.event_table import EVENT_SCHEMA, FORBIDDEN

_ALIASES = {"subject_id": "subject", "purpose_id": "purpose", "terms_version": "terms", "actor": "by"}
REQUIRED = ("subject", "purpose", "action", "at", "terms")
_DEFAULTS = {"by": "self", "channel": "import", "text_hash": ""}
_ALLOWED = {"action": ("grant", "withdraw", "object"), "by": ("self", "guardian")}
_MAX_NAMED = 5


def read_event_file(path: Path) -> pa.Table:
    """Read and validate an events file into the ledger's Arrow schema (without positions)."""
    raw = _read(path)
    raw = raw.rename_columns([_ALIASES.get(c.strip().lower(), c.strip().lower()) for c in raw.column_names])
    missing = [c for c in REQUIRED if c not in raw.column_names]
    if missing:
        raise InputError(
            f"必須の列がありません：{', '.join(missing)}",
            f"missing columns: {', '.join(missing)}",
            file=str(path),
            line=1,
            field=missing[0],
        )
    n = raw.num_rows
    columns: dict[str, pa.Array] = {}
    for name in ("subject", "purpose", "action", "terms", "by", "channel", "text_hash"):
        if name in raw.column_names:
            col = pc.utf8_trim_whitespace(raw.column(name).cast(pa.string()).combine_chunks())
        else:
            col = pa.array([_DEFAULTS[name]] * n, pa.string())
        _check_text(path, name, col, required=name in REQUIRED or name == "by")
        if name in _ALLOWED:
            _check_allowed(path, name, col)
        columns[name] = col
    columns["at"] = _parse_instants(path, raw.column("at"))
    return pa.Table.from_arrays(
        [
            pa.nulls(n, pa.int64()),
            columns["subject"],
            columns["purpose"],
            columns["action"],
            columns["at"],
            columns["terms"],
            columns["by"],
            columns["channel"],
            columns["text_hash"],
        ],
        schema=EVENT_SCHEMA,
    )


def _read(path: Path) -> pa.Table:
    ragged: list[Any] = []

    def on_invalid(row: Any) -> str:
        ragged.append(row)
        return "skip"  # collected, then the whole file is refused below

    try:
        if path.suffix.lower() == ".parquet":
            return pq.read_table(path)
        options = pacsv.ConvertOptions(
            strings_can_be_null=False, auto_dict_encode=False, column_types={"at": pa.string()}
        )
        delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
        parse = pacsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid
        )
        table = pacsv.read_csv(
            path,
            parse_options=parse,
            read_options=pacsv.ReadOptions(encoding="utf-8"),
            convert_options=options,
        )
    except FileNotFoundError as exc:
        raise InputError("ファイルがありません", "no such file", file=str(path)) from exc
    except (pa.ArrowInvalid, OSError, UnicodeDecodeError) as exc:
        raise InputError(f"読み込めません：{exc}", f"cannot read the file: {exc}", file=str(path)) from exc
    if ragged:
        row = ragged[0]
        line = row.number or _line_of_text(path, row.text)
        raise InputError(
            f"列の数が見出しと合いません（{row.expected_columns} 列のはずが {row.actual_columns} 列）",
            f"the row has {row.actual_columns} fields, the header {row.expected_columns}",
            file=str(path),
            line=line,
            field=None,
        )
    return table


def _line_of_text(path: Path, text: str) -> int | None:
    # Arrow cannot number rows when quoted fields may hold newlines; find the row's text instead.
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if line == text:
            return number
    return None


def _bad_rows(path: Path, field: str, mask: pa.Array, ja: str, en: str) -> InputError:
    rows = pc.indices_nonzero(pc.fill_null(mask, True)).to_pylist()[:_MAX_NAMED]
    first = rows[0] + 2  # 1-based, after the header line
    listed = ", ".join(str(r + 2) for r in rows)
    return InputError(
        f"{ja}（行 {listed}）", f"{en} (rows {listed})", file=str(path), line=first, field=field
    )


def _check_text(path: Path, field: str, col: pa.Array, *, required: bool) -> None:
    if required:
        empty = pc.or_(pc.is_null(col), pc.equal(pc.utf8_length(col), 0))
        if pc.any(empty).as_py():
            raise _bad_rows(path, field, empty, "値が空です", "value is empty")
    bad = pc.match_substring_regex(col, "[" + "".join(f"\\{c}" if c == "\\" else c for c in FORBIDDEN) + "]")
    if pc.any(pc.fill_null(bad, False)).as_py():
        raise _bad_rows(
            path,
            field,
            bad,
            "タブ・改行・バックスラッシュは使えません",
            "tabs, newlines and backslashes are not allowed",
        )


def _check_allowed(path: Path, field: str, col: pa.Array) -> None:
    allowed = _ALLOWED[field]
    bad = pc.invert(pc.is_in(col, value_set=pa.array(allowed)))
    if pc.any(bad).as_py():
        raise _bad_rows(
            path,
            field,
            bad,
            f"値は {' / '.join(allowed)} のいずれかです",
            f"value must be one of {', '.join(allowed)}",
        )


def _parse_instants(path: Path, column: pa.ChunkedArray) -> pa.Array:
    text = pc.utf8_trim_whitespace(column.cast(pa.string()).combine_chunks())
    # A time without an offset is read on the legal calendar, JST.
    has_offset = pc.match_substring_regex(text, r"(Z|[+-]\d\d:?\d\d)$")
    text = pc.if_else(has_offset, text, pc.binary_join_element_wise(text, "+09:00", ""))
    try:
        return pc.cast(text, pa.timestamp("us", tz="UTC"))
    except pa.ArrowInvalid:
        bad = [_unparseable(v) for v in text.to_pylist()]
        raise _bad_rows(
            path,
            "at",
            pa.array(bad),
            "日時を読めません（ISO 8601 で指定してください）",
            "not a date-time (use ISO 8601)",
        ) from None


def _unparseable(value: str | None) -> bool:
    try:
        pc.cast(pa.array([value]), pa.timestamp("us", tz="UTC"))
    except pa.ArrowInvalid:
        return True
    return value is None
