"""Insight populations from matching and PSI runs: the overlap with a client's customers.

A `mamori match` run writes its links as `lake/match/links-<RUN_ID>.csv` (or `.parquet`); the
population `{match: RUN_ID}` is the platform's members (LEFT) linked in that run. A `mamori psi`
run recorded with `--run-id` keeps the platform's own subjects in the overlap (lake/psi, see
mamori.lake.psi.runs); `{psi: RUN_ID}` is those, for the run's recipient only. Consent still
filters either afterwards (MAMORI-1): a member without a grant for the purpose is not counted.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from mamori.domain.insight.spec import Population
from mamori.errors import InputError
from mamori.lake.psi.runs import PsiRuns
from mamori.services.insight import AllMembers


class RunPopulations:
    """Resolves `all`, `{match: RUN_ID}` and `{psi: RUN_ID}` populations from the lake."""

    def __init__(self, lake_dir: Path) -> None:
        self.folder = lake_dir / "match"
        self.psi = PsiRuns(lake_dir)

    def subjects(self, population: Population, recipient: str) -> pa.Table | None:
        """Return the members in a run's overlap (or None for everyone)."""
        if population.kind == "psi" and population.run_id:
            return self.psi.overlap(population.run_id, recipient)
        if population.kind != "match" or not population.run_id:
            return AllMembers().subjects(population, recipient)
        links = next(
            (
                p
                for p in (
                    self.folder / f"links-{population.run_id}.parquet",
                    self.folder / f"links-{population.run_id}.csv",
                )
                if p.exists()
            ),
            None,
        )
        if links is None:
            raise InputError(
                f"照合の実行 {population.run_id} の結果がありません（{self.folder}）",
                f"no links of match run {population.run_id} in {self.folder}",
                field="population",
            )
        reader = "read_parquet" if links.suffix == ".parquet" else "read_csv"
        path = str(links).replace("'", "''")
        con = duckdb.connect()
        try:
            return con.sql(
                f"SELECT DISTINCT CAST(left_id AS VARCHAR) AS subject_id FROM {reader}('{path}')"
            ).to_arrow_table()
        finally:
            con.close()
