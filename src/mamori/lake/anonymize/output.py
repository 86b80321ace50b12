"""Write the released rows: generalized quasi-identifiers, suppressed classes left out, random order.

A full-domain label depends on one column's value only, so the rows are read once and
joined with small value → label tables; a local recoding (Mondrian) joins a map per
combination of codes. Linking codes become tokens under a random key that is never stored
(PPC Rule 34(3)); CSV cells that a spreadsheet would run as formulas are quoted.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import duckdb
import numpy as np

from mamori.domain.anonymity.models import Role, Roles
from mamori.lake.anonymize.flash import Solution
from mamori.lake.anonymize.frame import Frame
from mamori.lake.anonymize.labels import Shown
from mamori.lake.anonymize.source import Source, mixed_radix, q, safe_sql


def _full_domain_map(
    con: duckdb.DuckDBPyConnection, frame: Frame, levels: tuple[int, ...], keep: np.ndarray
) -> str:
    """Prepare the output of a full-domain release without touching the rows; return its FROM clause.

    A full-domain label depends on one column's value only, so each quasi-identifier gets a
    small table value → label, and suppression is a small table of dropped class keys: the
    rows are then read once, joined with small tables only (no map as large as the data).
    """
    mults = mixed_radix([len(c.level_names[lv]) for c, lv in zip(frame.columns, levels, strict=True)])
    assert mults is not None  # _write checked that the class keys fit
    key = np.zeros(len(frame.counts), np.int64)
    joins, key_sql = [], []
    for i, (column, level) in enumerate(zip(frame.columns, levels, strict=True)):
        label = column.level_codes[level]
        labels = {  # noqa: F841 - scanned by DuckDB
            "v": np.array(column.values, dtype=object),
            "g": np.array(column.level_names[level], dtype=object)[label],
            "lc": label.astype(np.int64),
        }
        # Labels as an ENUM: the random-order sort then moves small integers, not strings, and
        # Parquet still stores text (dictionary-encoded).
        con.sql(f"DROP TYPE IF EXISTS __e{i}")
        con.sql(f"CREATE TYPE __e{i} AS ENUM (SELECT DISTINCT g FROM labels WHERE g IS NOT NULL)")
        con.sql(f"CREATE OR REPLACE TEMP TABLE __lab_{i} AS SELECT v, g::__e{i} AS g, lc FROM labels")
        joins.append(f"JOIN __lab_{i} l{i} ON s.{q(column.name)} = l{i}.v")
        key_sql.append(f"l{i}.lc * {mults[i]}")
        key += label[column.codes] * mults[i]
    dropped = {"key": np.unique(key[~keep])}  # noqa: F841 - scanned by DuckDB
    con.sql("CREATE OR REPLACE TEMP TABLE __drop AS SELECT * FROM dropped")
    con.sql(
        f"CREATE OR REPLACE TEMP VIEW __released AS SELECT s.*, {', '.join(f'l{i}.g AS __g{i}' for i in range(len(levels)))}, "
        f"({' + '.join(key_sql)})::BIGINT AS __order FROM src s {' '.join(joins)}"
    )
    return "__released m WHERE m.__order NOT IN (SELECT key FROM __drop)"


def _local_map(con: duckdb.DuckDBPyConnection, frame: Frame, views: list[Shown], keep: np.ndarray) -> str:
    """Prepare the output of a local recoding (labels per combination); return its FROM clause."""
    mapping: dict[str, np.ndarray] = {"__order": np.arange(len(keep), dtype=np.int64), "__keep": keep}
    for i, (column, view) in enumerate(zip(frame.columns, views, strict=True)):
        mapping[f"__c{i}"] = column.codes.astype(np.int32)
        mapping[f"__g{i}"] = np.array(view.names, dtype=object)[view.label]
    con.sql("CREATE OR REPLACE TEMP TABLE __map AS SELECT * FROM mapping")
    on = " AND ".join(f"s.__c{i} = g.__c{i}" for i in range(len(frame.columns)))
    labels = ", ".join(f"g.__g{i}" for i in range(len(frame.columns)))
    con.sql(
        f"CREATE OR REPLACE TEMP VIEW __released AS SELECT s.*, {labels}, g.__order, g.__keep "
        f"FROM __keyed s JOIN __map g ON {on}"
    )
    return "__released m WHERE m.__keep"


def write_release(
    source: Source,
    out: Path,
    qi: list[str],
    frame: Frame,
    solution: Solution,
    views: list[Shown],
    keep: np.ndarray,
    roles: Roles,
) -> int:
    """Write the released rows: generalized quasi-identifiers, suppressed classes left out."""
    con = source.con
    # Dicts of numpy arrays are scanned by DuckDB directly (no pandas, no Arrow building).
    levels = solution.levels
    if levels is not None and mixed_radix(
        [len(c.level_names[lv]) for c, lv in zip(frame.columns, levels, strict=True)]
    ):  # class keys fit one integer
        released = _full_domain_map(con, frame, levels, keep)
    else:
        released = _local_map(con, frame, views, keep)
    # Rule 34(3): a random key, used once and never stored, makes tokens that cannot be derived back.
    salt = secrets.token_hex(32)
    csv = out.suffix.lower() != ".parquet"
    select = []
    for column, role in roles.by_column.items():
        if role is Role.QUASI_IDENTIFIER:
            label = f"m.__g{qi.index(column)}" + ("::VARCHAR" if csv else "")
            select.append(f"{safe_sql(label) if csv else label} AS {q(column)}")
        elif role is Role.LINKING:
            select.append(f"left(sha256('{salt}' || CAST(m.{q(column)} AS VARCHAR)), 24) AS {q(column)}")
        elif role is not Role.IDENTIFYING:
            value = "m." + q(column)
            text = source.types[column].upper().startswith("VARCHAR")
            select.append(f"{safe_sql(value) if csv and text else value} AS {q(column)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    fmt = "PARQUET" if out.suffix.lower() == ".parquet" else "CSV, HEADER"
    target = str(out).replace("'", "''")
    # In random order: the input order must not survive (it could link back). Grouping by class
    # first would only sort the labels too, doubling the cost of the sort.
    con.sql(
        f"COPY (SELECT {', '.join(select)} FROM {released} ORDER BY random()) TO '{target}' (FORMAT {fmt})"
    )
    written = con.sql(f"SELECT count(*) FROM '{target}'").fetchall()[0]
    return int(written[0]) if written else 0
