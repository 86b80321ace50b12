"""Client companies' customer files: the same people as the members, spelled their way.

Each client knows some members and some people who are not members. Its file carries the
noise of real customer databases: other spellings (noise.py), missing fields, people who
moved since, the same person registered twice, and household members who share a landline,
an address and sometimes an email. The ground truth says which records are one person.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from mamori.lake.synth import noise

# The fields every client file has, in the lake's words.
FIELDS = [
    "customer_id",
    "name",
    "name_kana",
    "birth_date",
    "gender",
    "phone",
    "email",
    "postal_code",
    "address",
]


@dataclass(frozen=True)
class ClientSpec:
    """How one client writes its file: headers, encoding, format and its share of members."""

    name: str
    headers: dict[str, str]  # lake field -> the client's header
    encoding: str = "utf-8"
    file_format: str = "csv"  # csv, tsv or jsonl
    member_share: float = 0.4
    mapping: bool = False  # headers not recognized by default: ships a mapping file
    genders: tuple[str, str] = ("F", "M")  # how the client writes female, male


CLIENTS = (
    ClientSpec(
        "ryutsu",
        dict(zip(FIELDS, ["顧客ID", "氏名", "フリガナ", "生年月日", "性別", "電話番号", "メールアドレス", "郵便番号", "住所"], strict=True)),
        encoding="utf-8-sig",
        member_share=0.5,
        genders=("女", "男"),
    ),
    ClientSpec(
        "tsushin",
        dict(zip(FIELDS, ["会員番号", "お名前", "ふりがな", "誕生日", "性別", "TEL", "E-mail", "〒", "ご住所"], strict=True)),
        encoding="cp932",
        member_share=0.3,
        genders=("2", "1"),  # JIS X 0303: 1 male, 2 female
    ),
    ClientSpec(
        "appco",
        dict(zip(FIELDS, ["cust_no", "full_nm", "nm_reading", "dob", "sex_cd", "tel_no", "mail_addr", "zip", "addr_line"], strict=True)),
        file_format="tsv",
        member_share=0.2,
        mapping=True,
    ),
)  # fmt: skip


def customer_frame(
    rng: np.random.Generator, spec: ClientSpec, members: pl.DataFrame, outsiders: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (the client's customer records in lake field names, ground truth rows)."""
    needed = [
        "person_id",
        "name",
        "name_kana",
        "birth_date",
        "gender",
        "phone",
        "landline",
        "email",
        "postal_code",
        "address",
    ]
    members, outsiders = members.select(needed), outsiders.select(needed)
    known = members.sample(fraction=spec.member_share, seed=int(rng.integers(2**31)))
    strangers = outsiders.sample(fraction=spec.member_share / 2, seed=int(rng.integers(2**31)))
    people = pl.concat([known, strangers], how="vertical_relaxed")
    # 3% registered twice (a second account, a different spelling).
    again = people.sample(fraction=0.03, seed=int(rng.integers(2**31)))
    people = pl.concat([people, again]).sample(fraction=1.0, shuffle=True, seed=int(rng.integers(2**31)))
    rows = people.height
    moved = rng.random(rows) < 0.05
    elsewhere = members.gather(rng.integers(0, members.height, size=rows))
    people = people.with_columns(
        postal_code=pl.when(pl.Series(moved)).then(elsewhere["postal_code"]).otherwise("postal_code"),
        address=pl.when(pl.Series(moved)).then(elsewhere["address"]).otherwise("address"),
        # households share a landline: a client that only asked for "a phone" often got it
        phone=pl.when(pl.Series(rng.random(rows) < 0.1) & pl.col("landline").is_not_null())
        .then("landline")
        .otherwise("phone"),
    )
    picks = noise.choices(
        rng, rows, ["c_name", "c_kana", "c_date", "c_phone", "c_email", "c_postal", "c_addr"]
    )
    spelled = noise.spell_dates(pl.concat([people, picks], how="horizontal"), "birth_date", "c_date")
    spelled = spelled.with_columns(
        customer_id=pl.format(
            "{}-{}", pl.lit(spec.name.upper()[:3]), pl.int_range(1, rows + 1).cast(pl.String).str.zfill(7)
        ),
        name=noise.name_spellings("name", "c_name"),
        name_kana=noise.kana_spellings("name_kana", "c_kana"),
        phone=noise.phone_spellings("phone", "c_phone"),
        email=noise.email_spellings("email", "c_email"),
        postal_code=noise.postal_spellings("postal_code", "c_postal"),
        address=noise.address_spellings("address", "c_addr"),
        gender=pl.col("gender").replace_strict({"F": spec.genders[0], "M": spec.genders[1]}),
    )
    spelled = _blank_some(
        rng, spelled, ["name_kana", "birth_date", "gender", "phone", "email", "postal_code", "address"]
    )
    truth = spelled.select(
        pl.lit(spec.name).alias("source"), pl.col("customer_id").alias("record_id"), pl.col("person_id")
    )
    return spelled.select(FIELDS), truth


def _blank_some(rng: np.random.Generator, frame: pl.DataFrame, fields: list[str]) -> pl.DataFrame:
    # Missing fields: each optional field is empty in about 6% of records.
    return frame.with_columns(
        pl.when(pl.Series(rng.random(frame.height) < 0.06)).then(None).otherwise(pl.col(f)).alias(f)
        for f in fields
    )


def to_client_headers(frame: pl.DataFrame, spec: ClientSpec) -> pl.DataFrame:
    """Rename lake fields to the client's headers."""
    return frame.rename(spec.headers)
