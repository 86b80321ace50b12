"""Plain-language names for the codes pages show (items, recipient categories, kinds, statuses)."""

from __future__ import annotations

from mamori.domain.items import STANDARD_ITEMS

RECIPIENTS: dict[str, tuple[str, str]] = {
    "ad_business": ("広告事業者", "advertising businesses"),
    "insurer": ("保険会社", "insurers"),
    "manufacturer": ("メーカー", "manufacturers"),
    "partner_shop": ("提携店", "partner shops"),
    "group_company": ("グループ会社", "group companies"),
}
KINDS: dict[str, tuple[str, str]] = {
    "service": ("サービスの提供", "providing the service"),
    "internal_analysis": ("社内での統計分析", "statistical analysis in-house"),
    "profiling": ("分析・プロファイリング", "analysis and profiling"),
    "targeting": ("広告の出し分け", "ad targeting"),
    "third_party_provision": ("第三者への提供", "provision to third parties"),
    "anonymized_provision": ("匿名加工情報の提供", "provision of anonymized information"),
    "joint_use": ("共同利用", "joint use"),
    "my_number_admin": ("マイナンバー事務", "Individual Number administration"),
}
REQUEST_KINDS: dict[str, tuple[str, str]] = {
    "disclosure": ("開示（保有データの写し）", "disclosure (a copy of your data)"),
    "correction": ("訂正・追加・削除（内容の誤り）", "correction (something is wrong)"),
    "stop_use": ("利用停止", "stop using my data"),
    "deletion": ("消去", "delete my data"),
    "stop_provision": ("第三者提供の停止", "stop providing my data to third parties"),
}
STATUSES: dict[str, tuple[str, str]] = {
    "received": ("受付済み", "received"),
    "in_progress": ("対応中", "in progress"),
    "completed": ("完了", "completed"),
    "refused": ("不対応（理由を通知）", "refused (reason given)"),
    "withdrawn": ("取り下げ", "withdrawn"),
}


def label(table: str, code: str, lang: str) -> str:
    """Return the plain-language name of a code in a language (the code itself when unknown)."""
    if table == "item":
        item = STANDARD_ITEMS.get(code)
        if item is None:
            return code
        return item.label_en if lang == "en" else item.label_ja
    pair = {"recipient": RECIPIENTS, "kind": KINDS, "request": REQUEST_KINDS, "status": STATUSES}[table].get(
        code
    )
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]
