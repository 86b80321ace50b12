"""Where the clean room reads members, purchases, the consent snapshot, features and scores.

The files are the ones `mamori synth` (branch intake) and the lake write: members with
birth date, gender and prefecture; transactions with member, shop, JST wall-clock time,
category, amount in yen and channel. CSV or Parquet; DuckDB reads either in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from mamori.errors import InputError


@dataclass(frozen=True, slots=True)
class InsightWorld:
    """The files one request or refresh reads."""

    members: Path
    transactions: Path
    snapshot: Path
    shops: Path | None = None
    features: Path | None = None
    scores: Path | None = None

    @classmethod
    def in_folder(cls, folder: Path, snapshot: Path) -> InsightWorld:
        """Find members / transactions / shops (Parquet or CSV) and features / scores in a folder."""

        def pick(stem: str, required: bool) -> Path | None:
            for suffix in (".parquet", ".csv"):
                if (folder / f"{stem}{suffix}").exists():
                    return folder / f"{stem}{suffix}"
            if required:
                raise InputError(
                    f"{folder} に {stem}.parquet / {stem}.csv がありません（mamori synth で作成できます）",
                    f"{folder} holds no {stem}.parquet or {stem}.csv (`mamori synth` makes them)",
                    file=str(folder),
                )
            return None

        members, transactions = pick("members", True), pick("transactions", True)
        assert members is not None
        assert transactions is not None
        return cls(
            members,
            transactions,
            snapshot,
            pick("shops", False),
            pick("features", False),
            pick("scores", False),
        )


def source(path: Path) -> str:
    """Return the DuckDB table function that reads a file in place."""
    literal = str(path).replace("'", "''")
    if path.suffix == ".parquet":
        return f"read_parquet('{literal}')"
    if path.suffix == ".csv":
        return f"read_csv('{literal}', header = true, auto_detect = true)"
    raise InputError("Parquet か CSV が必要です", "a Parquet or CSV file is needed", file=str(path))


def open_world(world: InsightWorld, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """Open an in-memory DuckDB with the world's files as views."""
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    for name, path in (
        ("members", world.members),
        ("snapshot", world.snapshot),
        ("shops", world.shops),
        ("features", world.features),
        ("scores", world.scores),
    ):
        if path is not None:
            if not path.exists():
                raise InputError("ファイルがありません", "no such file", file=str(path))
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM {source(path)}")
    # Purchases carry JST wall-clock times; a CSV writes them with "+09:00", which is dropped
    # here on purpose so that hours and weekdays are the shopper's local ones. A Parquet column
    # that is already a plain TIMESTAMP holds the wall clock as is: no text round trip per row.
    found = con.execute(f"DESCRIBE SELECT purchased_at FROM {source(world.transactions)}").fetchone()
    wall_clock = (
        "purchased_at"
        if found and found[1] in ("TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S")
        else "left(replace(CAST(purchased_at AS VARCHAR), 'T', ' '), 19)"
    )
    con.execute(
        f"CREATE VIEW transactions AS SELECT * REPLACE (CAST({wall_clock} AS TIMESTAMP) AS purchased_at, "
        "CAST(amount_yen AS DOUBLE) AS amount_yen) "
        f"FROM {source(world.transactions)}"
    )
    return con


def lake_from_synth(synth: Path, lake: Path) -> Path:
    """Write members / transactions / shops Parquet into the lake from a `mamori synth` folder."""
    lake.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        for name, columns, types in (
            ("members", "member_id, CAST(birth_date AS DATE) AS birth_date, gender, prefecture", ""),
            ("transactions", "*", ", types = {'purchased_at': 'VARCHAR', 'member_id': 'VARCHAR'}"),
            ("shops", "*", ""),
        ):
            source_file = str(synth / f"{name}.csv").replace("'", "''")
            target = str(lake / f"{name}.parquet").replace("'", "''")
            con.execute(
                f"COPY (SELECT {columns} FROM read_csv('{source_file}', header = true{types})) "
                f"TO '{target}' (FORMAT parquet)"
            )
    finally:
        con.close()
    return lake
