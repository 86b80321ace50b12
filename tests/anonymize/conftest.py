"""A small synthetic member table with Japanese quasi-identifiers, written as CSV and Parquet."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from mamori.domain.anonymity.japan import PREFECTURES

ROWS = 1500


def member_table(rows: int = ROWS, seed: int = 7) -> pa.Table:
    """Build members: identifying columns, quasi-identifiers, a sensitive value and a spend."""
    rng = np.random.default_rng(seed)
    prefectures = np.array(PREFECTURES)[rng.integers(0, 12, rows)]
    wards = np.array(["中央区", "北区", "南市", "東町", "西村"])[rng.integers(0, 5, rows)]
    addresses = [f"{p}{w}1-{i % 9 + 1}-3" for i, (p, w) in enumerate(zip(prefectures, wards, strict=True))]
    born = [date(1940, 1, 1) + timedelta(days=int(d)) for d in rng.integers(0, 365 * 60, rows)]
    ages = rng.integers(18, 96, rows)
    return pa.table(
        {
            "member_id": [f"M{100000 + i}" for i in range(rows)],
            "name": [f"山田{i}郎" for i in range(rows)],
            "email": [f"user{i}@example.com" for i in range(rows)],
            "age": ages,
            "sex": np.array(["F", "M"])[rng.integers(0, 2, rows)],
            "address": addresses,
            "postal_code": [f"{rng.integers(100, 999)}-{rng.integers(0, 9999):04d}" for _ in range(rows)],
            "birth_date": born,
            "diagnosis": np.array(["flu", "cold", "asthma", "diabetes", "none"])[rng.integers(0, 5, rows)],
            "visits": rng.poisson(3.0, rows).astype(np.int64),
            "spend": rng.gamma(2.0, 20_000, rows).round(0).astype(np.int64),
        }
    )


@pytest.fixture(scope="session")
def members_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("members") / "members.csv"
    pacsv.write_csv(member_table(), path)
    return path


@pytest.fixture(scope="session")
def members_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("members") / "members.parquet"
    pq.write_table(member_table(), path)
    return path
