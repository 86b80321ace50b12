"""The lake's schemas per kind, and how partner headers map onto them.

Common Japanese headers are recognized by default (顧客ID, 氏名, フリガナ, 生年月日, ...);
a partner whose headers differ ships a mapping file (`columns: {their header: our field}`);
a new kind is a schema file (`kind:`, `id:`, `fields: {name: type}`, optional `aliases:`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mamori.errors import InputError

# Field types and what the pipeline does with each (transform.py).
TYPES = frozenset(
    {"id", "text", "name", "kana", "date", "timestamp", "phone", "email", "postal", "address",
     "yen", "gender", "ip", "device", "my_number", "card_number", "integer"}
)  # fmt: skip


@dataclass(frozen=True)
class KindSchema:
    """The fields of one kind of dataset, the id field first."""

    kind: str
    id_field: str
    fields: dict[str, str]  # field -> type
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)


_CONTACT = {
    "name": "name", "name_kana": "kana", "birth_date": "date", "gender": "gender", "phone": "phone",
    "email": "email", "postal_code": "postal", "address": "address",
}  # fmt: skip
_ID_ALIASES = (
    "id",
    "顧客id",
    "顧客番号",
    "顧客コード",
    "会員id",
    "会員番号",
    "会員no",
    "会員コード",
    "お客様番号",
    "お客様id",
)
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("氏名", "名前", "お名前", "顧客名", "会員名", "氏名漢字", "full_name", "fullname"),
    "name_kana": ("フリガナ", "ふりがな", "カナ", "氏名カナ", "氏名(カナ)", "氏名(フリガナ)", "お名前(フリガナ)",
                  "お名前カナ", "カナ氏名", "セイメイ", "kana", "furigana"),
    "birth_date": ("生年月日", "誕生日", "birthday", "date_of_birth", "dob"),
    "gender": ("性別", "sex"),
    "phone": ("電話番号", "電話", "tel", "携帯電話", "携帯番号", "携帯電話番号", "連絡先", "連絡先電話番号",
              "telephone", "mobile"),
    "email": ("メールアドレス", "メール", "e-mail", "eメール", "mail", "mail_address", "email_address"),
    "postal_code": ("郵便番号", "〒", "zip", "zipcode", "zip_code", "postcode", "postal"),
    "address": ("住所", "ご住所", "所在地", "住所1", "address1"),
    "prefecture": ("都道府県",),
    "city": ("市区町村",),
    "guardian_id": ("保護者id", "保護者会員番号"),
    "joined_at": ("入会日時", "登録日時", "入会日"),
    "transaction_id": ("取引id", "取引番号", "伝票番号", "レシート番号"),
    "shop_id": ("店舗id", "店舗コード", "店舗番号"),
    "purchased_at": ("購入日時", "取引日時", "売上日時"),
    "category": ("カテゴリ", "商品カテゴリ", "分類"),
    "amount_yen": ("金額", "購入金額", "売上金額", "税込金額", "amount"),
    "channel": ("チャネル", "購入経路"),
    "viewed_at": ("閲覧日時", "アクセス日時"),
    "ip_address": ("ipアドレス", "ip"),
    "device_id": ("端末id", "広告id", "idfa", "aaid"),
}  # fmt: skip

KINDS: dict[str, KindSchema] = {
    "members": KindSchema(
        "members", "member_id",
        {"member_id": "id", **_CONTACT, "prefecture": "text", "city": "text", "guardian_id": "text",
         "joined_at": "timestamp"},
    ),
    "customers": KindSchema("customers", "customer_id", {"customer_id": "id", **_CONTACT}),
    "transactions": KindSchema(
        "transactions", "transaction_id",
        {"transaction_id": "id", "member_id": "text", "shop_id": "text", "purchased_at": "timestamp",
         "category": "text", "amount_yen": "yen", "channel": "text"},
    ),
    "browsing": KindSchema(
        "browsing", "cookie_id",
        {"cookie_id": "id", "member_id": "text", "viewed_at": "timestamp", "url": "text",
         "ip_address": "ip", "device_id": "device"},
    ),
    "shops": KindSchema("shops", "shop_id", {"shop_id": "id", "name": "text", "industry": "text", "prefecture": "text"}),
}  # fmt: skip


def header_key(header: str) -> str:
    """Return the comparable form of a header: NFKC, lower-case, no spaces, ＿ and － unified."""
    text = unicodedata.normalize("NFKC", header).strip().lower()
    return re.sub(r"[\s　]+", "", text).replace("ー", "-")


def load_schema(path: Path) -> KindSchema:
    """Read a schema file defining a new kind."""
    data = _yaml(path)
    try:
        raw_fields = data["fields"]
        assert isinstance(raw_fields, dict)
        kind, id_field, fields = str(data["kind"]), str(data["id"]), dict(raw_fields)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            "スキーマに kind, id, fields が必要です", "a schema needs kind, id and fields", file=str(path)
        ) from exc
    bad = sorted(f"{k}: {v}" for k, v in fields.items() if v not in TYPES)
    if bad or fields.get(id_field) != "id":
        raise InputError(
            f"不明な型、又は id 欄が型 id ではありません: {bad}",
            f"unknown types, or the id field is not of type id: {bad}; types: {sorted(TYPES)}",
            file=str(path),
        )
    raw_aliases = data.get("aliases") or {}
    if not isinstance(raw_aliases, dict):
        raise InputError("aliases は対応付けです", "aliases must be a mapping", file=str(path))
    aliases = {str(k): tuple(str(a) for a in v) for k, v in raw_aliases.items()}
    return KindSchema(kind, id_field, {str(k): str(v) for k, v in fields.items()}, aliases)


def load_mapping(path: Path) -> dict[str, str]:
    """Read a column mapping file: `columns: {their header: our field}`."""
    data = _yaml(path)
    columns = data.get("columns") if isinstance(data, dict) else None
    if not isinstance(columns, dict):
        raise InputError("対応表に columns がありません", "a mapping file needs `columns:`", file=str(path))
    return {str(k): str(v) for k, v in columns.items()}


def _yaml(path: Path) -> dict[str, object]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"読めません: {exc}", f"cannot read: {exc}", file=str(path)) from exc
    if not isinstance(data, dict):
        raise InputError("YAML の対応付けではありません", "not a YAML mapping", file=str(path))
    return data


@dataclass(frozen=True)
class ColumnPlan:
    """How the file's columns map onto the kind's fields."""

    fields: dict[str, str]  # file header -> field
    unknown: list[str]  # headers kept as they are (extra columns)
    missing: list[str]  # schema fields absent from the file


def plan_columns(
    headers: list[str], schema: KindSchema, mapping: Mapping[str, str] | None = None
) -> ColumnPlan:
    """Map each header to a field: the mapping file first, then the field name, then the aliases."""
    lookup: dict[str, str] = {}
    for name in schema.fields:
        lookup[header_key(name)] = name
        for alias in (*ALIASES.get(name, ()), *schema.aliases.get(name, ())):
            lookup.setdefault(header_key(alias), name)
    for alias in _ID_ALIASES:
        lookup.setdefault(header_key(alias), schema.id_field)
    explicit = {header_key(k): v for k, v in (mapping or {}).items()}
    fields: dict[str, str] = {}
    unknown: list[str] = []
    for header in headers:
        key = header_key(header)
        target = explicit.get(key) or lookup.get(key)
        if target is None or target not in schema.fields or target in fields.values():
            unknown.append(header)
        else:
            fields[header] = target
    missing = [f for f in schema.fields if f not in fields.values()]
    return ColumnPlan(fields, unknown, missing)
