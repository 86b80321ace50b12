"""Read a partner file into batches of raw text columns, keeping every record accounted for.

CSV/TSV is parsed by DuckDB with an explicit dialect (no sniffing surprises) and
`store_rejects`: a ragged row, bytes invalid in UTF-8 or a record beyond the size limit is
not lost but reported with its record number and raw text. JSON Lines are read as lines and
parsed by DuckDB's JSON functions, so a broken line is a quarantined row, not a failed file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa

from mamori.domain.intake import Reason
from mamori.errors import InputError
from mamori.lake.intake import encoding as enc
from mamori.lake.intake.transform import INDEX, JSON_OK

BATCH_ROWS = 200_000
_REJECT_REASONS = {
    "MISSING COLUMNS": Reason.RAGGED_ROW,
    "TOO MANY COLUMNS": Reason.RAGGED_ROW,
    "INVALID ENCODING": Reason.INVALID_ENCODING,
    "INVALID UNICODE": Reason.INVALID_ENCODING,
    "LINE SIZE OVER MAXIMUM": Reason.LINE_TOO_LONG,
}


@dataclass
class Rejected:
    """A record the reader could not split into fields."""

    row: int  # 1-based record number, header excluded
    reason: Reason
    raw: str
    byte_position: int | None = None


@dataclass
class RawFile:
    """An opened input: its headers, an iterator of raw batches, and the reader's rejects."""

    path: Path
    file_format: str
    encoding: str | None
    headers: list[str]
    sha256: str
    _con: duckdb.DuckDBPyConnection
    _query: str
    _tmp: tempfile.TemporaryDirectory[str] | None = None
    parsed_rows: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def batches(self, limit: int | None = None) -> Iterator[pl.DataFrame]:
        """Yield raw batches (all text, plus the record index); `limit` reads only the first rows."""
        query = self._query if limit is None else f"SELECT * FROM ({self._query}) LIMIT {int(limit)}"
        reader = self._con.sql(query).to_arrow_reader(BATCH_ROWS)
        offset = 0
        for batch in reader:
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            yield frame.with_columns(pl.int_range(offset, offset + frame.height, dtype=pl.Int64).alias(INDEX))
            offset += frame.height
        if limit is None:
            self.parsed_rows = offset
            self.rejected = self._rejects()

    def row_numbers(self, indexes: pl.Series) -> pl.Series:
        """Map parse positions to 1-based record numbers (records the reader rejected are skipped)."""
        rejected = np.array(sorted({r.row for r in self.rejected}), dtype=np.int64)
        idx = indexes.to_numpy()
        # The k-th parsed record is the k-th record number not taken by a rejected one.
        numbers = idx + 1
        for _ in range(len(rejected) + 1):
            shift = np.searchsorted(rejected, numbers, side="right")
            moved = idx + 1 + shift
            if np.array_equal(moved, numbers):
                break
            numbers = moved
        return pl.Series("row", numbers, dtype=pl.Int64)

    def _rejects(self) -> list[Rejected]:
        if self.file_format not in {"csv", "tsv"}:
            return []
        rows = self._con.execute(
            "SELECT line, min(error_type), min(csv_line), min(line_byte_position) FROM reject_errors GROUP BY line ORDER BY line"
        ).fetchall()
        return [
            Rejected(
                int(line) - 1,
                _REJECT_REASONS.get(str(kind), Reason.MALFORMED_RECORD),
                str(raw or ""),
                position,
            )
            for line, kind, raw, position in rows
        ]

    def close(self) -> None:
        """Release the connection and temporary files."""
        self._con.close()
        if self._tmp is not None:
            self._tmp.cleanup()


def file_sha256(path: Path) -> str:
    """Hash a file (recorded in the catalogue as its provenance)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(8 * 1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def format_of(path: Path, declared: str | None = None) -> str:
    """Return csv, tsv, parquet or jsonl from a declared format or the file name."""
    name = (declared or path.suffix.lstrip(".")).lower()
    found = {"csv": "csv", "tsv": "tsv", "txt": "tsv", "parquet": "parquet", "pq": "parquet",
             "jsonl": "jsonl", "ndjson": "jsonl", "json": "jsonl"}.get(name)  # fmt: skip
    if found is None:
        raise InputError(
            f"形式が分かりません: {path.name}",
            f"unknown file format: {path.name} (csv, tsv, parquet, jsonl)",
            file=str(path),
        )
    return found


def open_file(
    path: Path,
    *,
    declared_encoding: str | None = None,
    declared_format: str | None = None,
    threads: int | None = None,
) -> RawFile:
    """Open a file for intake; refuse an unreadable or empty one (InputError)."""
    if not path.is_file():
        raise InputError("ファイルがありません", "no such file", file=str(path))
    if path.stat().st_size == 0:
        raise InputError(
            "ファイルが空です（見出し行もありません）",
            "the file is empty (not even a header)",
            file=str(path),
        )
    file_format = format_of(path, declared_format)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET TimeZone = 'Asia/Tokyo'")
    con.execute("SET enable_progress_bar = false")
    sha = file_sha256(path)
    if file_format == "parquet":
        return _open_parquet(path, con, sha)
    if file_format == "jsonl":
        return _open_jsonl(path, con, sha)
    return _open_delimited(path, con, sha, file_format, declared_encoding)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _open_delimited(
    path: Path, con: duckdb.DuckDBPyConnection, sha: str, file_format: str, declared: str | None
) -> RawFile:
    encoding = enc.detect(path, declared)
    tmp: tempfile.TemporaryDirectory[str] | None = None
    source = path
    if encoding == "cp932":
        tmp = tempfile.TemporaryDirectory(prefix="mamori-intake-")
        source = Path(tmp.name) / "utf8.csv"
        enc.transcode_to_utf8(path, source, encoding)
    delimiter = "\t" if file_format == "tsv" else ","
    headers = _headers(source, delimiter, path)
    columns = "{" + ", ".join(f"{_literal(h)}: 'VARCHAR'" for h in headers) + "}"
    query = (
        f"SELECT * FROM read_csv({_literal(str(source))}, columns={columns}, header=true, auto_detect=false,"
        f" delim={_literal(delimiter)}, quote='\"', escape='\"', strict_mode=true, store_rejects=true,"
        " rejects_scan='mamori_scan', rejects_table='reject_errors')"
    )
    return RawFile(path, file_format, encoding, headers, sha, con, query, tmp)


def _headers(source: Path, delimiter: str, original: Path) -> list[str]:
    with source.open("rb") as handle:
        head = handle.read(1024 * 1024).decode("utf-8-sig", errors="replace")
    first = next(csv.reader(io.StringIO(head), delimiter=delimiter), None)
    if not first or not any(h.strip() for h in first):
        raise InputError("見出し行がありません", "no header row", file=str(original), line=1)
    headers = [h.strip() or f"column_{i + 1}" for i, h in enumerate(first)]
    seen: dict[str, int] = {}
    for i, header in enumerate(headers, start=1):
        if header in seen:
            raise InputError(
                f"見出し「{header}」が重複しています（{seen[header]} 列目と {i} 列目）。どちらの値か決められません",
                f"duplicate header {header!r} (columns {seen[header]} and {i}): ambiguous which value is meant",
                file=str(original),
                line=1,
                field=header,
            )
        seen[header] = i
    return headers


def _open_parquet(path: Path, con: duckdb.DuckDBPyConnection, sha: str) -> RawFile:
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({_literal(str(path))})").fetchall()
    except duckdb.Error as exc:
        raise InputError(
            f"Parquet として読めません: {exc}", f"not a readable Parquet file: {exc}", file=str(path)
        ) from exc
    headers = [str(row[0]) for row in described]
    select = ", ".join(f"CAST({_quote(h)} AS VARCHAR) AS {_quote(h)}" for h in headers)
    return RawFile(
        path, "parquet", None, headers, sha, con, f"SELECT {select} FROM read_parquet({_literal(str(path))})"
    )


def _open_jsonl(path: Path, con: duckdb.DuckDBPyConnection, sha: str) -> RawFile:
    # Control characters must be escaped inside JSON, so a raw \x1f never occurs in a valid
    # line: it is a safe delimiter for reading whole lines.
    lines = (
        f"read_csv({_literal(str(path))}, columns={{'line': 'VARCHAR'}}, header=false, auto_detect=false,"
        " delim='\\x1f', quote='', escape='', strict_mode=false)"
    )
    con.execute(f"CREATE TEMP VIEW lines AS SELECT line FROM {lines}")
    valid = "CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' ELSE false END"
    first = con.execute(f"SELECT json_keys(line) FROM lines WHERE {valid} LIMIT 1").fetchone()
    every = con.execute(f"SELECT DISTINCT unnest(json_keys(line)) FROM lines WHERE {valid}").fetchall()
    # Keys in the order of the first object, then keys that appear only later, sorted.
    headers = list(first[0]) if first else []
    headers += sorted(str(k[0]) for k in every if k[0] not in headers)
    if not headers:
        raise InputError("JSON オブジェクトの行がありません", "no JSON object lines", file=str(path))
    select = ", ".join(
        f"CASE WHEN ok THEN json_extract_string(line, {_literal('$.' + _quote(h))}) END AS {_quote(h)}"
        for h in headers
    )
    query = f"SELECT {select}, coalesce(ok, false) AS {JSON_OK} FROM (SELECT line, {valid} AS ok FROM lines)"
    return RawFile(path, "jsonl", "utf-8", headers, sha, con, query)


def arrow_schema_of(frame: pl.DataFrame) -> pa.Schema:
    """Return the Arrow schema of a polars frame (for writers)."""
    return frame.head(0).to_arrow().schema
