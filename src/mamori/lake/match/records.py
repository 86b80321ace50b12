"""Customer files in, one normalized frame out: every row kept, a field that fails normalization is null.

Columns understood: id, name, name_kana, birth_date, email, phone, postal_code, address, gender.
A mapping file (YAML/JSON: `standard name: header in the file`) renames other headers. Values that
are already keyed hashes (`hmac-sha256:...`, from `mamori hash`) pass through unchanged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import yaml

from mamori.errors import InputError
from mamori.lake.normalize import (
    kana_reading,
    normalize_email_series,
    normalize_kana_series,
    normalize_phone_series,
    normalize_postal_series,
    parse_date_series,
)
from mamori.lake.normalize._vector import nfkc_series

_ID_NAMES = ("member_id", "customer_id")  # the lake's id fields, taken as `id` when there is none
FIELDS = ("id", "name", "name_kana", "birth_date", "email", "phone", "postal_code", "address", "gender")
HASH_PREFIX = "hmac-sha256:"
#: A folder holding this file is a dataset `mamori ingest` published (data/*.parquet inside).
LAKE_MANIFEST = "_manifest.json"
# Intake keeps the reading as written (family and given apart) next to its squeezed form; the
# written one lets matching compare family/given swaps. Where none was written, matching infers
# the reading from the name itself, as for any file without one.
LAKE_MAPPING = {"name_kana": "name_kana_written"}
# Prefecture and municipality of a Japanese address (都道府県, then 市区町村 or 郡+町村): the
# prefix levels the address comparison uses. Foreign addresses fall back to their last parts.
_PREF = r"^(東京都|北海道|(?:京都|大阪)府|.{2,3}県)"
_CITY = r"^(?:東京都|北海道|(?:京都|大阪)府|.{2,3}県)(.+?郡.+?[町村]|.+?市.+?区|.+?[市区町村])"


def read_mapping(path: Path | None) -> dict[str, str]:
    """Read a mapping file: {standard field: header in the customer file}."""
    if path is None:
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise InputError("対応表を読めません", f"cannot read the mapping: {exc}", file=str(path)) from exc
    if isinstance(data, dict) and isinstance(data.get("columns"), dict):
        # intake's format (`mamori ingest --mapping`): columns: {their header: our field}
        data = {str(v): str(k) for k, v in data["columns"].items() if str(v) in FIELDS or v in _ID_NAMES}
        data = {("id" if k in _ID_NAMES else k): v for k, v in data.items()}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise InputError("対応表は「項目: 列名」の形式です", "a mapping is `field: header`", file=str(path))
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise InputError(
            f"不明な項目 {sorted(unknown)}",
            f"unknown fields {sorted(unknown)}",
            file=str(path),
            field="mapping",
        )
    return {str(k): str(v) for k, v in data.items()}


def read_table(path: Path, mapping: dict[str, str] | None = None) -> pl.DataFrame:
    """Read a CSV (UTF-8, BOM tolerated) or Parquet file, or a lake dataset, into the standard columns."""
    if (path / LAKE_MANIFEST).is_file():
        return read_table(path / "data", {**LAKE_MAPPING, **(mapping or {})})
    try:
        if path.suffix.lower() == ".parquet" or path.is_dir():
            frame = pl.read_parquet(path if path.is_file() else f"{path}/**/*.parquet")
        else:
            separator = "\t" if path.suffix.lower() == ".tsv" else ","
            frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy", separator=separator)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InputError("ファイルを読めません", f"cannot read the file: {exc}", file=str(path)) from exc
    frame = frame.rename({c: c.lstrip("\ufeff") for c in frame.columns})
    renames = {header: field for field, header in (mapping or {}).items() if header in frame.columns}
    # A mapped header replaces a column that already has the standard name (it is what was meant).
    frame = frame.drop([f for h, f in renames.items() if f != h and f in frame.columns]).rename(renames)
    if "id" not in frame.columns:
        present = [c for c in _ID_NAMES if c in frame.columns]
        if len(present) == 1:
            frame = frame.rename({present[0]: "id"})
    if "id" not in frame.columns:
        raise InputError("id 列がありません", "the file has no id column", file=str(path), field="id")
    missing_id = frame["id"].is_null() | (frame["id"].cast(pl.String).str.strip_chars() == "")
    if missing_id.any():
        row = int(missing_id.arg_true()[0]) + 2  # header is line 1
        raise InputError("id が空の行があります", "a row has no id", file=str(path), line=row, field="id")
    if frame["id"].cast(pl.String).is_duplicated().any():
        dup = frame["id"].cast(pl.String).filter(frame["id"].cast(pl.String).is_duplicated())[0]
        raise InputError(f"id {dup} が重複しています", f"id {dup} is repeated", file=str(path), field="id")
    columns = [
        (pl.col(f).cast(pl.String) if f in frame.columns else pl.lit(None, dtype=pl.String)).alias(f)
        for f in FIELDS
    ]
    return frame.select(columns)


def _keep_hashed(raw: pl.Series, normalized: pl.Series) -> pl.Series:
    hashed = raw.cast(pl.String).str.starts_with(HASH_PREFIX).fill_null(False)
    return pl.select(pl.when(hashed).then(raw).otherwise(normalized)).to_series().alias(raw.name)


def _inferred(names: list[str]) -> pl.DataFrame:
    """Readings inferred from kanji names (pykakasi via intake's `kana_reading`), part by part."""
    rows = []
    for name in names:
        tokens = name.split()
        if len(tokens) > 1:
            family, given = kana_reading(tokens[0])[0], kana_reading(" ".join(tokens[1:]))[0]
            full = family + given if family and given else kana_reading(name)[0]
        else:
            family, given, full = None, None, kana_reading(name)[0]
        rows.append((name, full, family, given))
    return pl.DataFrame(rows, schema=["name_n", "_r", "_rf", "_rg"], orient="row")


def _readings(names: pl.Series, kana: pl.Series) -> pl.DataFrame:
    """Full, family and given readings: from the kana column when present, else inferred from the name.

    Inference (a dictionary look-up per distinct name) runs only for rows without a usable kana.
    """
    kana_tokens = kana.str.split(" ")
    kana_n = normalize_kana_series(kana)
    has_two = kana_tokens.list.len() > 1
    kana_family = normalize_kana_series(kana_tokens.list.first())
    kana_given = normalize_kana_series(kana_tokens.list.slice(1).list.join(""))
    need = names.filter(kana_n.is_null() & names.is_not_null()).unique().to_list()
    table = (
        _inferred(need)
        if need
        else pl.DataFrame(schema=dict.fromkeys(["name_n", "_r", "_rf", "_rg"], pl.String))
    )
    joined = pl.DataFrame({"name_n": names}).join(table, on="name_n", how="left", maintain_order="left")
    from_kana = kana_n.is_not_null()
    return pl.DataFrame(
        {
            "reading": pl.select(pl.coalesce(kana_n, joined["_r"])).to_series(),
            "reading_family": pl.select(
                pl.when(from_kana & has_two)
                .then(kana_family)
                .when(from_kana)
                .then(None)
                .otherwise(joined["_rf"])
            ).to_series(),
            "reading_given": pl.select(
                pl.when(from_kana & has_two)
                .then(kana_given)
                .when(from_kana)
                .then(None)
                .otherwise(joined["_rg"])
            ).to_series(),
        }
    )


def _fingerprint(values: pl.Series) -> pl.Series:
    # A 63-bit hash (signed, so Spark's LongType holds it); null stays null. Both sides of a match
    # are hashed in the same process, so the seed is the same for both.
    hashed = (values.hash(seed=7) // 2).cast(pl.Int64)
    return pl.select(pl.when(values.is_null()).then(None).otherwise(hashed)).to_series()


def normalize(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the normalized matching columns; rows are never dropped, bad fields become null."""
    name_n = (
        nfkc_series(frame["name"]).str.to_lowercase().str.replace_all(r"[\s\u3000]+", " ").str.strip_chars()
    )
    name_n = pl.select(pl.when(name_n == "").then(None).otherwise(name_n)).to_series().alias("name_n")
    kana_in = nfkc_series(frame["name_kana"]).str.replace_all(r"[\s\u3000]+", " ")
    readings = _readings(name_n, kana_in)
    # Latin-script names have no kana reading: their letters (order-free) stand in for it.
    latin = name_n.str.contains(r"^[a-z][a-z .'\-]*$").fill_null(False)
    reading = pl.select(
        pl.when(latin).then(name_n.str.replace_all(r"[^a-z]", "")).otherwise(readings["reading"])
    ).to_series()
    family = name_n.str.split(" ").list.first()
    given = name_n.str.split(" ").list.slice(1).list.join(" ")
    given = pl.select(pl.when(given == "").then(None).otherwise(given)).to_series()
    # Order-free name (swapped family/given): the two parts in sorted order. (polars' list.sort
    # on strings is ~40x slower than this comparison.)
    tokens_sorted = pl.select(
        pl.when(given.is_null())
        .then(name_n)
        .when(family <= given)
        .then(family + " " + given)
        .otherwise(given + " " + family)
    ).to_series()
    email = _keep_hashed(frame["email"], normalize_email_series(frame["email"]))
    phone = _keep_hashed(frame["phone"], normalize_phone_series(frame["phone"]))
    postal_jp = normalize_postal_series(frame["postal_code"])
    postal_any = nfkc_series(frame["postal_code"]).str.to_uppercase().str.replace_all(r"[^0-9A-Z]", "")
    postal = pl.select(
        pl.coalesce(postal_jp, pl.when(postal_any.str.len_chars() >= 3).then(postal_any))
    ).to_series()
    address = nfkc_series(frame["address"]).str.to_lowercase().str.replace_all(r"[\s,、]+", "")
    address = address.str.replace_all(r"[‐‑‒–—―−ーｰ]", "-").str.replace_all(r"丁目|番地?|号", "-")
    address = pl.select(pl.when(address == "").then(None).otherwise(address)).to_series()
    foreign_parts = nfkc_series(frame["address"]).str.to_lowercase().str.split(",")
    gender = nfkc_series(frame["gender"]).str.to_lowercase().str.slice(0, 1)
    gender = gender.replace({"男": "m", "女": "f", "1": "m", "2": "f"})  # JIS X 0303: 1 male, 2 female
    name_key = pl.select(pl.coalesce(reading, name_n)).to_series()
    birth = parse_date_series(frame["birth_date"])
    return pl.DataFrame(
        {
            "id": frame["id"].cast(pl.String),
            "name_n": name_n,
            "family": family,
            "given": given,
            "name_sorted": tokens_sorted,
            "reading": reading,
            # One comparable name: the reading, else the normalized name (a kanji nobody could read).
            "name_key": name_key,
            # Integer fingerprints for the deterministic stage's fast path (deterministic.py).
            "name_h": _fingerprint(name_key),
            "sorted_h": _fingerprint(tokens_sorted),
            "birth_n": (
                birth.dt.year() * 10000 + birth.dt.month().cast(pl.Int32) * 100 + birth.dt.day()
            ).cast(pl.Int32),
            "reading_family": pl.select(
                pl.when(latin).then(family).otherwise(readings["reading_family"])
            ).to_series(),
            "reading_given": pl.select(
                pl.when(latin).then(given).otherwise(readings["reading_given"])
            ).to_series(),
            "birth_date": birth.cast(pl.String),
            "email": email,
            # The mailbox without "+tag" and dots: the same person's variants at most providers.
            "email_box": pl.select(
                email.str.extract(r"^([^+@]*)", 1).str.replace_all(".", "", literal=True)
                + "@"
                + email.str.extract(r"@(.*)$", 1)
            ).to_series(),
            "phone": phone,
            "postal_code": postal,
            "address": address,
            "addr_pref": pl.select(
                pl.coalesce(address.str.extract(_PREF, 1), foreign_parts.list.last().str.strip_chars())
            ).to_series(),
            "addr_city": pl.select(
                pl.coalesce(
                    address.str.extract(_CITY, 1),
                    foreign_parts.list.reverse().list.get(1, null_on_oob=True).str.strip_chars(),
                )
            ).to_series(),
            "gender": pl.select(pl.when(gender.is_in(["m", "f"])).then(gender)).to_series(),
        }
    )


def load(path: Path, mapping: dict[str, str] | None = None) -> pl.DataFrame:
    """Read and normalize one side of a match."""
    return normalize(read_table(path, mapping))


def hashed(value: str | None) -> bool:
    """Tell whether a value is a keyed hash from `mamori hash`."""
    return value is not None and bool(re.match(re.escape(HASH_PREFIX), value))
