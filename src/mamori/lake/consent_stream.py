"""Stream a consent-event file in Arrow batches, so the ledger loads one part while the next is read.

A migration of millions of events should cost about what the database takes to store them. For
CSV and TSV, pyarrow's streaming reader and Arrow kernels apply every rule of `consent_files`
(empty values, forbidden characters, the action and actor vocabularies, ISO 8601 times read as
JST without an offset) at a fraction of a one-pass DuckDB read, batch by batch.

The fast path only ever vouches for rows; it never words a refusal. Whenever it is unsure — a bad
value, a line the CSV parser rejects, a time Arrow cannot read — it hands the file to
`read_event_file`, the one place that names the file, row and field of a bad row. If that reader
accepts the file after all (a time form DuckDB reads and Arrow does not), its rows from that point
on are used. Either way the rows match what `read_event_file` returns; a test holds them equal.
Parquet files go through `read_event_file` directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from mamori.errors import InputError
from mamori.lake.consent_files import (
    ACTIONS,
    ACTORS,
    JST_OFFSET,
    OPTIONAL,
    PLAIN_FIELDS,
    REQUIRED,
    ZONE_OFFSET,
    delimiter_of,
    present_columns,
    read_event_file,
    read_header,
)
from mamori.services.event_table import EVENT_SCHEMA

#: Bytes of the file parsed per batch: large enough for Arrow's kernels, small enough to overlap.
BLOCK_BYTES = 4 << 20
_CONTROL = (b"\t", b"\n", b"\r", b"\\")
_UTC = pa.timestamp("us", tz="UTC")


class _NotVouchedError(Exception):
    """The fast path cannot vouch for a batch; the thorough reader decides."""


@dataclass(frozen=True, slots=True)
class EventStream:
    """A consent-event file read as validated batches in file order (EVENT_SCHEMA, no positions)."""

    path: Path

    def estimated_rows(self) -> int:
        """Lines less the header: a progress total, counted only when a caller shows progress."""
        return _count_lines(self.path) - 1

    def __iter__(self) -> Iterator[pa.Table]:
        if self.path.suffix.lower() == ".parquet":
            yield read_event_file(self.path)
            return
        given = 0
        try:
            for batch in _fast_batches(self.path):
                yield batch
                given += batch.num_rows
        except (_NotVouchedError, pa.ArrowException):
            # Raises the worded error, or returns the whole file when it is good after all.
            yield read_event_file(self.path).slice(given)


def open_event_file(path: Path) -> EventStream:
    """Open an events file for streaming (nothing is read until the stream is iterated)."""
    if not path.exists():
        raise InputError("ファイルがありません", "no such file", file=str(path))
    return EventStream(path)


def _count_lines(path: Path) -> int:
    lines = 0
    with path.open("rb") as handle:
        while block := handle.read(16 << 20):
            lines += block.count(b"\n")
    return max(lines, 1)


def _fast_batches(path: Path) -> Iterator[pa.Table]:
    delimiter = delimiter_of(path)
    header = read_header(path, delimiter)
    present = present_columns(header, path)
    if len(set(header)) != len(header):
        raise _NotVouchedError
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=BLOCK_BYTES),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True),
        # As DuckDB reads it: an empty field, quoted or not, is a missing value.
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=True
        ),
    )
    for batch in reader:
        if batch.num_rows:
            yield _checked(batch, present)


def _checked(batch: pa.RecordBatch, present: dict[str, str]) -> pa.Table:
    rows = batch.num_rows

    def field(name: str) -> pa.Array:
        if name not in present:
            return pa.repeat(pa.scalar(OPTIONAL[name], pa.string()), rows)
        value = pc.utf8_trim(batch.column(present[name]), " ")  # DuckDB's trim() strips spaces only
        return pc.fill_null(value, OPTIONAL[name]) if name in OPTIONAL else value

    values = {name: field(name) for name in (*REQUIRED, *OPTIONAL)}
    bad = [pc.fill_null(pc.equal(values[name], ""), True) for name in (*REQUIRED, "by")]
    bad.append(pc.invert(pc.is_in(values["action"], pa.array(ACTIONS))))
    bad.append(pc.invert(pc.is_in(values["by"], pa.array(ACTORS))))
    if any(pc.any(flags).as_py() for flags in bad) or any(_has_control(values[n]) for n in PLAIN_FIELDS):
        raise _NotVouchedError
    at = values["at"]
    with_offset = pc.if_else(
        pc.match_substring_regex(at, ZONE_OFFSET), at, pc.binary_join_element_wise(at, JST_OFFSET, "")
    )
    columns = {
        "seq": pa.nulls(rows, pa.int64()),
        "subject_id": values["subject"],
        "purpose_id": values["purpose"],
        "action": values["action"],
        "at": pc.cast(with_offset, _UTC),  # raises on any time Arrow cannot read: the fallback decides
        "terms_version": values["terms"],
        "actor": values["by"],
        "channel": values["channel"],
        "text_hash": values["text_hash"],
    }
    return pa.Table.from_arrays(list(columns.values()), schema=EVENT_SCHEMA)


def _has_control(values: pa.Array) -> bool:
    """Whether any value may hold a tab, newline or backslash.

    One byte search over the column's value buffer instead of a regular expression per value
    (40 ms per million values): a hit anywhere, even in bytes outside this slice, only sends the
    file to the thorough reader.
    """
    data = values.buffers()[2]
    if data is None:
        return False
    raw = data.to_pybytes()
    return any(char in raw for char in _CONTROL)
