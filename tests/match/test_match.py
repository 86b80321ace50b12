"""`mamori match` on the small synthetic world: links, households, scripts, ids, consent, files."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mamori.lake.match import clusters, keyed, records
from mamori.lake.match.engines import DuckDBEngine
from mamori.lake.match.pipeline import MatchResult, run
from tests.match.conftest import write_csv
from tests.paths import REPO

World = tuple[Path, Path, set[tuple[str, str]]]


@pytest.fixture(scope="module")
def result(small_world: World) -> MatchResult:
    members, clients, _ = small_world
    return run(records.load(members), records.load(clients), DuckDBEngine())


def _pairs(links: pl.DataFrame) -> set[tuple[str, str]]:
    return set(links.select("left_id", "right_id").iter_rows())


def test_links_the_known_people_and_nobody_else(result: MatchResult, small_world: World) -> None:
    got, truth = _pairs(result.links), small_world[2]
    assert len(got & truth) / len(got) >= 0.99
    assert len(got & truth) / len(truth) >= 0.97
    assert result.stages["deterministic_accepted"] > 0 and result.stages["probabilistic_accepted"] > 0


def test_a_shared_household_identifier_is_not_a_link_when_names_contradict(result: MatchResult) -> None:
    # m1 uses m2's landline and e-mail with another given name and birth date; the client knows m2.
    assert result.stages["deterministic_contradicted"] >= 1
    assert ("m2", "c2") in _pairs(result.links)
    assert not any(left == "m1" for left, _ in _pairs(result.links))


def test_latin_script_names_and_foreign_addresses_link(result: MatchResult, small_world: World) -> None:
    latin = {(m, c) for m, c in small_world[2] if int(m[1:]) % 10 == 9}
    assert latin and latin <= _pairs(result.links)


def test_swapped_names_hiragana_kana_and_transposed_dates_still_link(
    result: MatchResult, small_world: World
) -> None:
    members, clients, truth = small_world
    by_key = {r["id"][1:]: r for r in records.read_table(members).to_dicts()}
    swapped, transposed = set(), set()
    for row in records.read_table(clients).to_dicts():
        member = by_key.get(row["id"][1:])
        if member is None or (f"m{row['id'][1:]}", row["id"]) not in truth:
            continue
        if row["name"] != member["name"] and sorted(row["name"].split()) == sorted(member["name"].split()):
            swapped.add((member["id"], row["id"]))
        if row["birth_date"].replace("/", "-") != member["birth_date"]:
            transposed.add((member["id"], row["id"]))
    assert len(swapped) > 10 and len(transposed) > 10
    got = _pairs(result.links)
    assert len(swapped & got) / len(swapped) >= 0.95
    assert len(transposed & got) / len(transposed) >= 0.95


def test_a_field_that_fails_normalization_counts_as_missing(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bad.csv", [["x1", "山田 太郎", "", "2023-02-30", "not-an-email", "12", "?", "", ""]]
    )
    frame = records.load(path)
    assert frame.height == 1
    assert frame.row(0, named=True)["birth_date"] is None
    assert frame.row(0, named=True)["email"] is None and frame.row(0, named=True)["phone"] is None


def test_unified_ids_are_stable_across_runs(result: MatchResult, small_world: World) -> None:
    members, clients, _ = small_world
    left_ids = records.load(members)["id"].to_list()
    right_ids = records.load(clients)["id"].to_list()
    first = clusters.assign(result.links, left_ids, right_ids, left_name="m", right_name="c")
    assert first.height == len(left_ids) + len(right_ids)  # no record dropped
    # Second run: one link disappears (the person split), a new client record appears.
    fewer = result.links.slice(1)
    second = clusters.assign(
        fewer, left_ids, [*right_ids, "c-new"], left_name="m", right_name="c", registry=first
    )
    before = dict(zip(first["record_id"], first["subject_id"], strict=True))
    after = dict(zip(second["record_id"], second["subject_id"], strict=True))
    unchanged = [r for r in left_ids if r != result.links["left_id"][0]]
    assert all(before[r] == after[r] for r in unchanged)
    assert after["c-new"] not in set(before.values())
    assert second["subject_id"].n_unique() == first["subject_id"].n_unique() + 2


def _snapshot(path: Path, granted: dict[str, int]) -> Path:
    table = pa.table(
        {
            "subject_id": list(granted),
            "granted_mask": pa.array(list(granted.values()), pa.int64()),
            "objected_mask": pa.array([0] * len(granted), pa.int64()),
        }
    ).replace_schema_metadata(
        {
            "mamori.position": "42",
            "mamori.taken_at": "2026-11-27T10:00:00+09:00",
            "mamori.purpose_bits": json.dumps({"analysis": 0, "ads": 1}),
        }
    )
    pq.write_table(table, path)
    return path


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mamori", *args],
        capture_output=True,
        text=True,
        env={
            "PYTHONPATH": str(REPO / "src"),
            "MAMORI_HOME": str(home),
            "MAMORI_LANG": "en",
            "PATH": "/usr/bin",
        },
        check=False,
    )


def test_APPI_18_1_MAMORI_1_only_consenting_subjects_are_linked(small_world: World, tmp_path: Path) -> None:
    members, clients, _truth = small_world
    ids = records.read_table(members)["id"].to_list()
    snap = _snapshot(tmp_path / "consent.parquet", {sid: (2 if i % 2 else 1) for i, sid in enumerate(ids)})
    done = _cli(
        "match", str(members), str(clients), "--out", str(tmp_path / "links.csv"), "--purpose", "ads",
        "--snapshot", str(snap), "--engagement", "eng-1", "--json", home=tmp_path / "home",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["consent"]["excluded_without_consent"] == len(ids) // 2 + len(ids) % 2
    assert report["consent"]["rules"] == ["APPI-18-1", "MAMORI-1"]
    assert report["engagement"]["recorded"] and report["engagement"]["purpose"] == "ads"
    allowed = {sid for i, sid in enumerate(ids) if i % 2}
    links = pl.read_csv(tmp_path / "links.csv", infer_schema=False)
    assert set(links["left_id"]) <= allowed and links.height > 0


def test_links_file_is_utf8_without_bom_and_report_says_the_caller_vouches(
    small_world: World, tmp_path: Path
) -> None:
    members, clients, _ = small_world
    done = _cli(
        "match", str(members), str(clients), "--out", str(tmp_path / "links.csv"), "--json", home=tmp_path
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["consent"]["vouched_by_caller"] is True
    raw = (tmp_path / "links.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.split(b"\n", 1)[0] == b"left_id,right_id,probability,evidence"
    assert report["persons"] == report["left_rows"] + report["right_rows"] - report["links"]


def test_keyed_hashes_match_hashed_against_hashed_and_are_not_plain_hashes(
    small_world: World, tmp_path: Path
) -> None:
    members, clients, _ = small_world
    key = tmp_path / "engagement.key"
    keyed.new_key(key)
    for name, path in (("m", members), ("c", clients)):
        done = _cli(
            "hash", str(path), "--key", str(key), "--out", str(tmp_path / f"{name}.csv"), home=tmp_path
        )
        assert done.returncode == 0, done.stderr
    hashed = (tmp_path / "c.csv").read_text(encoding="utf-8")
    assert "@example" not in hashed and "+8190" not in hashed
    with (tmp_path / "c.csv").open(encoding="utf-8") as handle:
        first = next(r for r in csv.DictReader(handle) if r["email"])
    import hashlib

    email = next(r for r in records.read_table(clients).to_dicts() if r["id"] == first["id"])["email"]
    assert hashlib.sha256(email.encode()).hexdigest() not in first["email"]
    done = _cli(
        "match", str(tmp_path / "m.csv"), str(tmp_path / "c.csv"), "--out", str(tmp_path / "links.csv"),
        "--deterministic-only", "--json", home=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    clear = run(records.load(members), records.load(clients), DuckDBEngine(), probabilistic_stage=False)
    hashed_links = pl.read_csv(tmp_path / "links.csv", infer_schema=False)
    # Without names or dates nothing contradicts a shared identifier, so hashed links ⊇ clear ones.
    assert _pairs(clear.links) <= _pairs(hashed_links)


def test_match_reads_lake_datasets_by_name(small_world: World, tmp_path: Path) -> None:
    home = tmp_path / "home"
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  id: customer_id\n", encoding="utf-8")
    kept: set[str] = set()
    for path, source in ((small_world[0], "club"), (small_world[1], "ryutsu")):
        # The world's 090-0000- numbers are not allocated, and intake quarantines them; 090-1234- are.
        text = path.read_text(encoding="utf-8").replace("090-0000-", "090-1234-")
        (tmp_path / path.name).write_text(text, encoding="utf-8")
        done = _cli(
            "ingest", str(tmp_path / path.name), "--source", source, "--kind", "customers",
            "--mapping", str(mapping), "--json", home=home,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        ingested = json.loads(done.stdout)
        assert ingested["rows_accepted"] > 0.8 * ingested["rows_in"]
        kept |= set(records.read_table(Path(ingested["path"]))["id"])
    truth = {(m, c) for m, c in small_world[2] if m in kept and c in kept}
    listed = json.loads(_cli("catalog", "list", "--json", home=home).stdout)["datasets"]
    full_id = next(d["dataset"] for d in listed if d["dataset"].startswith("customers/ryutsu/"))
    done = _cli("match", "customers/club", full_id, "--out", str(tmp_path / "links.csv"), "--json", home=home)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    club_id = next(d["dataset"] for d in listed if d["dataset"].startswith("customers/club/"))
    assert report["sources"] == {"left": {"dataset": club_id}, "right": {"dataset": full_id}}
    got = _pairs(pl.read_csv(tmp_path / "links.csv", infer_schema=False))
    assert len(got & truth) / len(got) >= 0.99 and len(got & truth) / len(truth) >= 0.97
    registry = pl.read_parquet(home / "lake" / "match" / "subjects.parquet")
    assert set(registry["dataset"]) == {"customers/club", "customers/ryutsu"}  # stable across re-ingests
    missing = _cli("match", "customers/nobody", full_id, "--out", str(tmp_path / "x.csv"), home=home)
    assert missing.returncode != 0 and "neither a file nor a lake dataset" in missing.stderr
