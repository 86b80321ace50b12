"""Lineage from the leaked files themselves: who and which items were in a CSV or Parquet file.

When what leaked is a file (a misdelivered attachment, a lost USB stick's copy, an export found
on a server), the file answers "exactly which people were in it": DuckDB reads it, keeps one
row per distinct subject with non-empty columns as the exposed items. This adapter implements
the `LineageReader` port; the ledger's provision records are the other source of lineage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import duckdb

from mamori.domain.incidents.impact import Exposure
from mamori.errors import InputError


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _reader(path: Path) -> str:
    text = str(path).replace("'", "''")
    suffix = path.suffix.lower()
    if suffix == ".parquet" or path.is_dir():
        return f"read_parquet('{text}{'/**/*.parquet' if path.is_dir() else ''}')"
    if suffix in (".csv", ".tsv", ".txt"):
        # all_varchar: a leaked file is evidence; read every value as it is, never coerce.
        return f"read_csv('{text}', header = true, all_varchar = true, sample_size = -1)"
    raise InputError("CSV 又は Parquet を指定してください", "give a CSV or Parquet file", file=str(path))


class LeakedFiles:
    """Each source is a leaked file; its rows name the subjects and its columns the items."""

    def __init__(
        self, files: Mapping[str, Path], subject_column: str, birth_column: str | None = None
    ) -> None:
        self.files = dict(files)
        self.subject_column = subject_column
        self.birth_column = birth_column

    def sources(self) -> list[str]:
        """Return the source names (one per file)."""
        return sorted(self.files)

    def rows(self, source_id: str) -> Sequence[Exposure]:
        """Return one exposure per distinct subject in the file, with the columns it had filled."""
        path = self.files.get(source_id)
        if path is None or not path.exists():
            raise InputError(
                f"ファイルがありません: {source_id}", f"no such file: {source_id}", file=source_id
            )
        con = duckdb.connect()
        try:
            con.execute(f"CREATE VIEW leaked AS SELECT * FROM {_reader(path)}")
            columns = [r[0] for r in con.execute("DESCRIBE leaked").fetchall()]
            for needed in (self.subject_column, self.birth_column):
                if needed is not None and needed not in columns:
                    raise InputError("列がありません", "no such column", file=str(path), line=1, field=needed)
            items = [c for c in columns if c not in (self.subject_column, self.birth_column)]
            filled = ", ".join(
                f"bool_or({_q(c)} IS NOT NULL AND CAST({_q(c)} AS VARCHAR) <> '')" for c in items
            )
            born = f"max(TRY_CAST({_q(self.birth_column)} AS DATE))" if self.birth_column else "NULL"
            query = (
                f"SELECT CAST({_q(self.subject_column)} AS VARCHAR), {born}{', ' + filled if filled else ''} "
                f"FROM leaked WHERE {_q(self.subject_column)} IS NOT NULL GROUP BY 1 ORDER BY 1"
            )
            result = con.execute(query).fetchall()
        except duckdb.Error as exc:
            raise InputError(
                f"ファイルを読めません: {exc}", f"cannot read the file: {exc}", file=str(path)
            ) from exc
        finally:
            con.close()
        shared: dict[tuple[bool, ...], frozenset[str]] = {}  # one frozenset per pattern of filled columns
        exposures = []
        for row in result:
            pattern = tuple(bool(v) for v in row[2:])
            kept = shared.setdefault(pattern, frozenset(c for c, f in zip(items, pattern, strict=True) if f))
            birth = row[1] if isinstance(row[1], date) else None
            exposures.append(Exposure(str(row[0]), kept, birth))
        return exposures
