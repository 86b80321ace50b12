"""Read the input into DuckDB and prepare it: quarantine, top-coding, the frequency table.

Rows whose numeric quasi-identifier or numeric sensitive value is missing cannot be placed
in any interval; they are quarantined and counted (rows in = rows out + suppressed +
quarantined). Missing categories become the category 不明.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np

from mamori.domain.anonymity.hierarchies import Hierarchy, auto_intervals, dates, value_sets
from mamori.domain.anonymity.japan import UNKNOWN
from mamori.errors import InputError
from mamori.lake.anonymize.frame import Column, Frame, IntArray, Sensitive

NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL", "U")
TEMPORAL = ("DATE", "TIMESTAMP")


def q(name: str) -> str:
    """Quote an identifier for DuckDB."""
    return '"' + name.replace('"', '""') + '"'


def safe_sql(expr: str) -> str:
    """Quote a text cell that a spreadsheet would run as a formula (CWE-1236)."""
    # The same prefixes as domain.provision.export.FORMULA_PREFIXES, as a regular expression.
    return f"CASE WHEN regexp_matches({expr}, '^[=+\\-@\\t\\r]') THEN '''' || {expr} ELSE {expr} END"


def reader(path: Path) -> str:
    """Return the DuckDB table function that reads a CSV or Parquet file (or folder of Parquet)."""
    text = str(path).replace("'", "''")
    if path.is_dir():
        return f"read_parquet('{text}/**/*.parquet')"
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return f"read_parquet('{text}')"
    if suffix in (".csv", ".tsv", ".txt"):
        return f"read_csv('{text}', header = true, sample_size = -1)"
    raise InputError("入力は CSV 又は Parquet です", "the input must be CSV or Parquet", file=str(path))


@dataclass(slots=True)
class Source:
    """The input as a DuckDB view ``src`` with column types, after quarantine and top-coding."""

    con: duckdb.DuckDBPyConnection
    path: Path
    types: dict[str, str]
    rows_in: int = 0
    quarantined: dict[str, int] = field(default_factory=dict)
    clipped: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    sampled: bool = False

    def is_numeric(self, column: str) -> bool:
        """Tell whether DuckDB typed a column as a number."""
        return self.types[column].upper().startswith(NUMERIC)

    def is_temporal(self, column: str) -> bool:
        """Tell whether DuckDB typed a column as a date or timestamp."""
        return self.types[column].upper().startswith(TEMPORAL)

    def sample(self, column: str, limit: int = 1000) -> list[object]:
        """Return up to ``limit`` distinct non-missing values of a column (for the PII scan)."""
        # A reservoir of rows from the whole table (all of it below 50,000 rows), then its distinct
        # values: a DISTINCT over ten million rows per column costs more than the scan needs.
        if not self.sampled:  # one reservoir for every column: one pass over the table
            self.con.sql("CREATE OR REPLACE TEMP TABLE __sample AS SELECT * FROM raw USING SAMPLE 50000 ROWS")
            self.sampled = True
        rows = self.con.sql(
            f"SELECT DISTINCT {q(column)} FROM __sample WHERE {q(column)} IS NOT NULL LIMIT {limit}"
        ).fetchall()
        return [r[0] for r in rows]


def open_source(path: Path, con: duckdb.DuckDBPyConnection | None = None) -> Source:
    """Open the input as view ``raw`` and count its rows."""
    if not path.exists():
        raise InputError("入力が見つかりません", "the input does not exist", file=str(path))
    con = con or duckdb.connect()
    try:
        # CSV is parsed once into a table; Parquet is columnar already and is read in place.
        kind = "VIEW" if "read_parquet" in reader(path) else "TABLE"
        con.sql(f"CREATE OR REPLACE TEMP {kind} raw AS SELECT * FROM {reader(path)}")
        described = con.sql("DESCRIBE raw").fetchall()
        rows_in = con.sql("SELECT count(*) FROM raw").fetchall()[0]
    except duckdb.Error as exc:
        raise InputError(f"入力を読めません: {exc}", f"cannot read the input: {exc}", file=str(path)) from exc
    types = {str(r[0]): str(r[1]) for r in described}
    return Source(con, path, types, int(rows_in[0]) if rows_in else 0)


def prepare(source: Source, kept: list[str], qi: list[str], sensitive: list[str], clip: float) -> None:
    """Create view ``src``: declared columns only, missing values handled, extremes top-coded.

    PPC Rule 34(4): extreme numbers (an unusually large spend) single a person out; values
    beyond the ``clip`` quantiles are replaced by the quantile (top and bottom coding).
    """
    con = source.con
    strict = [c for c in (*qi, *sensitive) if not source.types[c].upper().startswith("VARCHAR")]
    where = " AND ".join(f"{q(c)} IS NOT NULL" for c in strict) or "TRUE"
    # Every count in one pass: missing values per column, and rows missing any.
    counted = con.sql(
        "SELECT "
        + ", ".join(
            [f"count(*) FILTER (WHERE {q(c)} IS NULL)" for c in strict]
            + [f"count(*) FILTER (WHERE NOT ({where}))"]
        )
        + " FROM raw"
    ).fetchall()[0]
    reasons = {f"missing {c}": int(n) for c, n in zip(strict, counted, strict=False) if n}
    selects = []
    for column in kept:
        expr = q(column)
        if source.is_numeric(column) and clip > 0 and column not in _age_like(qi):
            low, high = con.sql(
                f"SELECT quantile_cont({expr}, {1 - clip}), quantile_cont({expr}, {clip}) FROM raw"
            ).fetchall()[0]
            if low is not None and high is not None:
                hit = con.sql(
                    f"SELECT count(*) FROM raw WHERE {where} AND ({expr} < {low} OR {expr} > {high})"
                ).fetchall()[0]
                if hit and hit[0]:
                    source.clipped[column] = (float(low), float(high), int(hit[0]))
                    kind = source.types[column]
                    expr = f"CAST(LEAST(GREATEST({expr}, {low}), {high}) AS {kind})"
        elif source.types[column].upper().startswith("VARCHAR") and column in (*qi, *sensitive):
            expr = f"COALESCE({expr}, '{UNKNOWN}')"
        selects.append(f"{expr} AS {q(column)}")
    con.sql(f"CREATE OR REPLACE TEMP VIEW src AS SELECT {', '.join(selects)} FROM raw WHERE {where}")
    source.quarantined = reasons
    # A row missing two strict values is quarantined once: recount the whole.
    total = int(counted[-1])
    if total and sum(reasons.values()) != total:
        source.quarantined["rows quarantined in all"] = total


def _age_like(qi: list[str]) -> set[str]:
    return {c for c in qi if c.lower() in ("age", "年齢")}


def default_hierarchy(source: Source, column: str, low: float, high: float) -> Hierarchy:
    """Pick a hierarchy for a quasi-identifier the user gave none for."""
    if source.is_numeric(column):
        return auto_intervals(low, high)
    if source.is_temporal(column):
        return dates()
    return value_sets()


def _dictionary(con: duckdb.DuckDBPyConnection, table: str, column: str) -> list[object]:
    """Number a column's distinct values in order (table ``v, code``); return the values."""
    con.sql(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT v, (row_number() OVER (ORDER BY v) - 1)::INTEGER "
        f"AS code FROM (SELECT DISTINCT {q(column)} AS v FROM src)"
    )
    return [r[0] for r in con.sql(f"SELECT v FROM {table} ORDER BY code").fetchall()]


def mixed_radix(sizes: list[int]) -> list[int] | None:
    """Return each column's multiplier in one integer key per row, or None if it would overflow."""
    mults, span = [], 1
    for size in reversed(sizes):
        mults.append(span)
        span *= max(size, 1)
    return mults[::-1] if span < 2**62 else None


def _combinations(
    key: IntArray | None, codes: list[IntArray], sizes: list[int], inverse: bool
) -> tuple[list[IntArray], IntArray | None, IntArray]:
    """Group rows by their codes: per combination the codes and count (and, if asked, per row its combination)."""
    if key is None:  # too many combinations for one integer: group the code tuples
        rows, tuple_combo, counts = np.unique(
            np.stack(codes, axis=1), axis=0, return_inverse=True, return_counts=True
        )
        return [rows[:, i] for i in range(len(codes))], tuple_combo.reshape(-1).astype(np.int64), counts
    row_combo: IntArray | None = None
    if inverse:  # sensitive attributes need each row's combination
        unique, row_combo, counts = np.unique(key, return_inverse=True, return_counts=True)
    else:  # a plain sort (no argsort, no inverse) is the cheapest exact grouping
        key.sort()  # in place: the fetched key is ours
        change = np.empty(len(key), bool)
        change[:1] = True
        np.not_equal(key[1:], key[:-1], out=change[1:])
        starts = np.flatnonzero(change)
        unique = key[starts]
        counts = np.diff(np.append(starts, len(key)))
    out = []
    for size in reversed(sizes):
        out.append(unique % size)
        unique = unique // size
    return out[::-1], row_combo, counts


def build_frame(
    source: Source, qi: list[str], sensitive: list[str], hierarchies: dict[str, Hierarchy]
) -> tuple[Frame, None]:
    """Reduce ``src`` to its distinct quasi-identifier combinations and encode them.

    Each quasi-identifier (and sensitive attribute) is dictionary-encoded in DuckDB — its few
    distinct values numbered in order — and the rows are fetched once as small integer codes
    (view ``__keyed`` is ``src`` with them: ``__c0``…, ``__s0``…). The combinations are then
    found with one integer sort in numpy: with ten million near-unique rows, a GROUP BY
    building a hash table as large as the data, numbering it and sorting it back cost three
    times as much. Arrays come through ``fetchnumpy`` (Arrow in Python would import pandas).
    """
    con = source.con
    joins, codes_sql = [], []
    values: list[list[object]] = []
    for i, name in enumerate(qi):
        values.append(_dictionary(con, f"__dict_{i}", name))
        joins.append(f"JOIN __dict_{i} d{i} ON s.{q(name)} = d{i}.v")
        codes_sql.append(f"d{i}.code AS __c{i}")
    sensitive_values = []
    for j, name in enumerate(sensitive):
        sensitive_values.append(_dictionary(con, f"__sdict_{j}", name))
        joins.append(f"JOIN __sdict_{j} e{j} ON s.{q(name)} = e{j}.v")
        codes_sql.append(f"e{j}.code AS __s{j}")
    con.sql(
        f"CREATE OR REPLACE TEMP VIEW __keyed AS SELECT s.*, {', '.join(codes_sql)} FROM src s {' '.join(joins)}"
    )
    sizes = [len(v) for v in values]
    mults = mixed_radix(sizes)
    # One integer per row when the combinations fit in 63 bits: a quarter of the data to fetch.
    if mults is not None:
        wanted = [" + ".join(f"d{i}.code::BIGINT * {m}" for i, m in enumerate(mults)) + " AS __key"]
        wanted += [f"e{j}.code AS __s{j}" for j in range(len(sensitive))]
        source_sql = f"FROM src s {' '.join(joins)}"
    else:
        wanted = [f"__c{i}" for i in range(len(qi))] + [f"__s{j}" for j in range(len(sensitive))]
        source_sql = "FROM __keyed"
    fetched = con.sql(f"SELECT {', '.join(wanted)} {source_sql}").fetchnumpy()
    key = np.asarray(fetched["__key"], dtype=np.int64) if mults is not None else None
    row_codes = (
        [] if mults is not None else [np.asarray(fetched[f"__c{i}"], dtype=np.int64) for i in range(len(qi))]
    )
    combo_codes, row_combo, counts = _combinations(key, row_codes, sizes, inverse=bool(sensitive))
    columns: list[Column] = []
    for i, name in enumerate(qi):
        numeric = source.is_numeric(name)
        hierarchy = hierarchies.get(name)
        if hierarchy is None:
            numbers = [float(v) for v in values[i]] if numeric else [0.0]  # type: ignore[arg-type]
            hierarchy = default_hierarchy(source, name, min(numbers), max(numbers))
        columns.append(Column(name, values[i], hierarchy, numeric and hierarchy.numeric, combo_codes[i]))
    triples: list[Sensitive] = []
    for j, name in enumerate(sensitive):
        width = max(len(sensitive_values[j]), 1)
        # Numbers are coded in ascending order (the ordered EMD needs it); categories too, harmlessly.
        assert row_combo is not None
        pairs, pair_counts = np.unique(
            row_combo * width + np.asarray(fetched[f"__s{j}"], dtype=np.int64), return_counts=True
        )
        triples.append(
            Sensitive(
                name,
                sensitive_values[j],
                source.is_numeric(name),
                pairs // width,
                pairs % width,
                pair_counts.astype(np.float64),
            )
        )
    return Frame(columns, counts.astype(np.float64), triples), None
