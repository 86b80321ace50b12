"""The synthetic world: deterministic, realistic in shape, and readable by intake."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import polars as pl
import yaml

from mamori.domain.calendar import age_on
from mamori.lake.normalize import normalize_email_series, normalize_phone_series, parse_date_series
from mamori.lake.synth import SynthConfig, WorldSummary, build_world
from mamori.lake.synth.ingredients import PREFECTURES


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    build_world(SynthConfig(members=300, seed=11), a)
    build_world(SynthConfig(members=300, seed=11), b)
    build_world(SynthConfig(members=300, seed=12), c)
    assert _digest(a) == _digest(b)
    assert _digest(a)["members.csv"] != _digest(c)["members.csv"]


def test_more_transactions_do_not_change_the_members(tmp_path: Path) -> None:
    build_world(SynthConfig(members=200, seed=5), tmp_path / "a")
    build_world(SynthConfig(members=200, transactions=50, seed=5), tmp_path / "b")
    assert (tmp_path / "a" / "members.csv").read_bytes() == (tmp_path / "b" / "members.csv").read_bytes()


def test_members_are_valid_and_spread_like_japan(world: tuple[Path, WorldSummary]) -> None:
    folder, summary = world
    members = pl.read_csv(folder / "members.csv", infer_schema=False)
    assert members.height == summary.files["members.csv"] == 1000
    assert members["member_id"].n_unique() == 1000
    assert members["name"].n_unique() > 900  # real surnames and given names, not Faker's 2,550
    phones = members["phone"].drop_nulls()
    assert normalize_phone_series(phones).null_count() == 0
    emails = members["email"].drop_nulls()
    assert normalize_email_series(emails).null_count() == 0
    assert emails.str.contains(r"@example\.(com|net|org)$").all()  # reserved domains only
    assert set(members["prefecture"]) <= {p[0] for p in PREFECTURES}
    tokyo = (members["prefecture"] == "東京都").mean()
    assert 0.06 < float(tokyo or 0) < 0.17  # about 11% of Japan lives in Tokyo
    births = parse_date_series(members["birth_date"])
    ages = [age_on(b, date(2026, 4, 1)) for b in births.to_list()]
    assert min(ages) >= 10
    assert sum(a < 18 for a in ages) > 20  # minors are members too
    assert sum(a >= 65 for a in ages) > 200  # and Japan is old


def test_postal_code_prefecture_and_address_agree(world: tuple[Path, WorldSummary]) -> None:
    members = pl.read_csv(world[0] / "members.csv", infer_schema=False)
    assert members["postal_code"].str.contains(r"^[0-9]{7}$").all()
    assert (members["address"].str.starts_with(members["prefecture"] + members["city"])).all()


def test_consent_events_cover_every_member_in_the_ledger_format(world: tuple[Path, WorldSummary]) -> None:
    folder, _ = world
    with (folder / "consents.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["subject", "purpose", "action", "at", "terms", "by", "channel"]
    members = pl.read_csv(folder / "members.csv", infer_schema=False)
    assert {r["subject"] for r in rows} == set(members["member_id"])
    assert {r["by"] for r in rows} == {"self", "guardian"}
    assert {r["terms"] for r in rows} == {"v1", "v2"}
    # A purpose added by terms v2 is never granted under v1 (consent does not carry over).
    assert not [r for r in rows if r["terms"] == "v1" and r["purpose"] in {"profiling", "provide_partners"}]
    guardians = dict(zip(members["member_id"], members["guardian_id"], strict=True))
    assert all(guardians[r["subject"]] for r in rows if r["by"] == "guardian")


def test_client_files_overlap_members_with_noise_and_ground_truth(world: tuple[Path, WorldSummary]) -> None:
    folder, summary = world
    raw = (folder / "customers_tsushin.csv").read_bytes()
    text = raw.decode("cp932")  # a Shift_JIS client, as many Japanese systems still export
    assert text.startswith("会員番号,お名前")
    ryutsu = pl.read_csv(folder / "customers_ryutsu.csv", infer_schema=False, encoding="utf8")
    phones = ryutsu["電話番号"].drop_nulls()
    assert phones.str.starts_with("+81").any()
    assert phones.str.contains("[０-９]").any()
    assert ryutsu["生年月日"].drop_nulls().str.contains("^(昭和|平成|令和|大正|[STHR])").any()
    assert ryutsu["フリガナ"].drop_nulls().str.contains("[ｦ-ﾟ]").any()  # half-width kana
    truth = pl.read_csv(folder / "ground_truth.csv", infer_schema=False)
    client = truth.filter(pl.col("source") == "ryutsu")
    assert client.height == ryutsu.height == summary.files["customers_ryutsu.csv"]
    assert client["person_id"].str.starts_with("M").any()  # members
    assert client["person_id"].str.starts_with("P").any()  # and people who are not
    assert client["person_id"].is_duplicated().any()  # the same person registered twice
    mapping = yaml.safe_load((folder / "mapping_appco.yaml").read_text(encoding="utf-8"))
    assert mapping["columns"]["tel_no"] == "phone"
