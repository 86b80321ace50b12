"""Read consent events exported from an existing membership system (CSV, TSV or Parquet).

All or nothing: the first bad rows are named (file, row, field) and nothing is imported, since
a consent history with holes would silently change who may be contacted. Reading, validating
and converting is one multi-threaded DuckDB pass, so a migration of millions of events is
bounded by the database load, not by Python.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pyarrow as pa

from mamori.errors import InputError
from mamori.services.event_table import EVENT_SCHEMA

_ALIASES = {"subject_id": "subject", "purpose_id": "purpose", "terms_version": "terms", "actor": "by"}
REQUIRED = ("subject", "purpose", "action", "at", "terms")
OPTIONAL = {"by": "self", "channel": "import", "text_hash": ""}
ACTIONS = ("grant", "withdraw", "object")
ACTORS = ("self", "guardian")
#: Fields that become ids in the ledger's canonical lines, which these characters would break.
PLAIN_FIELDS = ("subject", "purpose", "terms", "channel", "text_hash")
#: A time that ends in one of these carries its own offset; any other is read as JST.
ZONE_OFFSET = r"(Z|[+-][0-9][0-9]:?[0-9][0-9])$"
JST_OFFSET = "+09:00"
_MAX_NAMED = 5


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


# One check per field: (field, SQL that is true for a bad value, message ja, message en).
_CHECKS = (
    *((f, f"coalesce(\"{f}\", '') = ''", "値が空です", "value is empty") for f in (*REQUIRED, "by")),
    *(
        (
            f,
            f"regexp_matches(coalesce(\"{f}\", ''), '[\\t\\n\\r\\\\]')",
            "タブ・改行・バックスラッシュは使えません",
            "tabs, newlines and backslashes are not allowed",
        )
        for f in PLAIN_FIELDS
    ),
    (
        "action",
        f'"action" NOT IN ({_sql_list(ACTIONS)})',
        "値は grant / withdraw / object のいずれかです",
        "value must be one of grant, withdraw, object",
    ),
    (
        "by",
        f'"by" NOT IN ({_sql_list(ACTORS)})',
        "値は self / guardian のいずれかです",
        "value must be self or guardian",
    ),
    (
        "at",
        "at_parsed IS NULL",
        "日時を読めません（ISO 8601 で指定してください）",
        "not a date-time (use ISO 8601)",
    ),
)


def read_event_file(path: Path) -> pa.Table:
    """Read and validate an events file into EVENT_SCHEMA (positions left empty)."""
    if not path.exists():
        raise InputError("ファイルがありません", "no such file", file=str(path))
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        source = _source(con, path)
        con.execute(f"CREATE TEMP VIEW raw AS SELECT * FROM {source}")
        con.execute(_normalized_table(con, path))
        _refuse_bad_rows(con, path)
        return (
            con.sql(
                'SELECT NULL::BIGINT AS seq, subject AS subject_id, purpose AS purpose_id, action, at_parsed AS "at", '
                'terms AS terms_version, "by" AS actor, channel, text_hash FROM events'
            )
            .to_arrow_table()
            .cast(EVENT_SCHEMA)
        )
    except duckdb.Error as exc:
        raise _read_error(path, exc) from exc
    finally:
        con.close()


def delimiter_of(path: Path) -> str:
    """Tab for .tsv/.tab files, comma otherwise."""
    return "\t" if path.suffix.lower() in (".tsv", ".tab") else ","


def _source(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    quoted = "'" + str(path).replace("'", "''") + "'"
    if path.suffix.lower() == ".parquet":
        return f"read_parquet({quoted})"
    delimiter = delimiter_of(path)
    header = read_header(path, delimiter)
    columns = ", ".join(f"'{name.replace(chr(39), '')}': 'VARCHAR'" for name in header)
    return (
        f"read_csv({quoted}, delim='{delimiter}', quote='\"', escape='\"', header=true, auto_detect=false, "
        f"strict_mode=true, columns={{{columns}}})"
    )


def read_header(path: Path, delimiter: str) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle, delimiter=delimiter), None)
    except UnicodeDecodeError as exc:
        raise InputError("UTF-8 ではありません", "the file is not UTF-8", file=str(path), line=1) from exc
    if not header:
        raise InputError("見出し行がありません", "the file has no header line", file=str(path), line=1)
    return header


def present_columns(names: list[str], path: Path) -> dict[str, str]:
    """Map each field this reader knows to the file's column for it; refuse a missing required one."""
    present = {_ALIASES.get(c.strip().lower(), c.strip().lower()): c for c in names}
    missing = [c for c in REQUIRED if c not in present]
    if missing:
        raise InputError(
            f"必須の列がありません：{', '.join(missing)}",
            f"missing columns: {', '.join(missing)}",
            file=str(path),
            line=1,
            field=missing[0],
        )
    return present


def _normalized_table(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    present = present_columns(con.sql("SELECT * FROM raw").columns, path)

    def column(name: str) -> str:
        if name in present:
            value = f'trim(CAST("{present[name]}" AS VARCHAR))'
            return f"coalesce({value}, '{OPTIONAL[name]}')" if name in OPTIONAL else value
        return f"'{OPTIONAL[name]}'"

    at = column("at")
    # A time without an offset is read on the legal calendar, JST.
    with_offset = f"CASE WHEN regexp_matches({at}, '{ZONE_OFFSET}') THEN {at} ELSE {at} || '{JST_OFFSET}' END"
    return (
        # A table keeps file order in its rowid, which numbers the rows only when one is bad.
        "CREATE TEMP TABLE events AS SELECT "
        + ", ".join(f'{column(n)} AS "{n}"' for n in ("subject", "purpose", "action", "terms", *OPTIONAL))
        + f', {at} AS "at", try_cast({with_offset} AS TIMESTAMPTZ) AS at_parsed FROM raw'
    )


def _refuse_bad_rows(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    flags = ", ".join(f"bool_or({sql})" for _, sql, _, _ in _CHECKS)
    verdict = con.sql(f"SELECT {flags} FROM events").fetchall()[0]
    failing = [i for i, flag in enumerate(verdict) if flag]
    if not failing:
        return
    # Only now number the rows: find the first bad row and its first failing check.
    cases = " ".join(f"WHEN {_CHECKS[i][1]} THEN {i}" for i in failing)
    rows = con.sql(
        f"SELECT rowid + 2 AS row_no, CASE {cases} END AS check_no FROM events "
        f"WHERE check_no IS NOT NULL ORDER BY row_no LIMIT {_MAX_NAMED * 4}"
    ).fetchall()
    index = rows[0][1]
    field, _, ja, en = _CHECKS[index]
    listed_rows = [r[0] for r in rows if r[1] == index][:_MAX_NAMED]
    listed = ", ".join(str(r) for r in listed_rows)
    raise InputError(
        f"{ja}（行 {listed}）", f"{en} (rows {listed})", file=str(path), line=int(listed_rows[0]), field=field
    )


def _read_error(path: Path, exc: duckdb.Error) -> InputError:
    message = str(exc)
    found = re.search(r"Line: (\d+)", message)
    first = message.splitlines()[0] if message else type(exc).__name__
    detail = next((ln for ln in message.splitlines() if ln.startswith("Expected Number of Columns")), first)
    return InputError(
        f"読み込めません：{detail}",
        f"cannot read the file: {detail}",
        file=str(path),
        line=int(found.group(1)) if found else None,
    )
