"""The texts the law asks for around anonymized information, in Japanese and English.

- APPI-43-3 (Rule 36): after making it, publish the items of information it contains.
- APPI-43-4 (Rule 37): before providing it, publish the items and the method of provision,
  and state explicitly to the recipient that it is anonymized information.
- APPI-43-5 (Art. 45): the recipient must not re-identify, nor obtain the deleted
  descriptions or the processing method.
Plain string building: the texts are short and fixed, a template engine would add nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Item:
    """One item of information in the dataset, with how it was processed, in ja and en."""

    name: str
    ja: str
    en: str


@dataclass(frozen=True, slots=True)
class Texts:
    """A document in Japanese and English."""

    ja: str
    en: str


NO_REIDENTIFICATION = Texts(
    "受領者は、本匿名加工情報を他の情報と照合して本人を識別してはならず、"
    "削除された記述等若しくは個人識別符号又は加工の方法に関する情報を取得してはなりません"
    "（個人情報保護法第45条）。",
    "The recipient shall not identify any person by collating this anonymized information with "
    "other information, nor obtain the deleted descriptions, identification codes or information "
    "on the processing method (APPI Art. 45).",
)


def _items_ja(items: list[Item]) -> str:
    return "\n".join(f"・{i.name}：{i.ja}" for i in items)


def _items_en(items: list[Item]) -> str:
    return "\n".join(f"- {i.name}: {i.en}" for i in items)


def publication(business: str, dataset: str, made_on: date, items: list[Item]) -> Texts:
    """Write the APPI-43-3 publication: the items the anonymized dataset contains."""
    ja = (
        f"匿名加工情報の作成に関する公表（個人情報保護法第43条第3項）\n\n"
        f"{business}は、{made_on.isoformat()}に匿名加工情報「{dataset}」を作成しました。"
        f"当該匿名加工情報に含まれる個人に関する情報の項目は次のとおりです。\n\n{_items_ja(items)}\n"
    )
    en = (
        f"Publication on the making of anonymized information (APPI Art. 43(3))\n\n"
        f'{business} made the anonymized information "{dataset}" on {made_on.isoformat()}. '
        f"It contains the following items of information about individuals:\n\n{_items_en(items)}\n"
    )
    return Texts(ja, en)


def provision_notice(
    business: str, dataset: str, recipient: str, method_ja: str, method_en: str, items: list[Item]
) -> Texts:
    """Write the APPI-43-4 notice: items, method of provision, and the explicit statement."""
    ja = (
        f"匿名加工情報の第三者提供に関する公表及び明示（個人情報保護法第43条第4項）\n\n"
        f"{business}は、匿名加工情報「{dataset}」を{recipient}に提供します。\n\n"
        f"提供する情報の項目：\n{_items_ja(items)}\n\n提供の方法：{method_ja}\n\n"
        f"{recipient}に対し、提供する情報が匿名加工情報であることを明示します。"
        f"本データは個人情報保護法に定める匿名加工情報です。\n\n{NO_REIDENTIFICATION.ja}\n"
    )
    en = (
        f"Publication and statement on providing anonymized information (APPI Art. 43(4))\n\n"
        f'{business} provides the anonymized information "{dataset}" to {recipient}.\n\n'
        f"Items provided:\n{_items_en(items)}\n\nMethod of provision: {method_en}\n\n"
        f"{business} states to {recipient} that the information provided is anonymized information: "
        f"this data is anonymized information (tokumei kakō jōhō) under the APPI.\n\n{NO_REIDENTIFICATION.en}\n"
    )
    return Texts(ja, en)


@dataclass(frozen=True, slots=True)
class Release:
    """An anonymized dataset as found at provision: its published items and its actual columns."""

    dataset: str  # the file, named in every refusal
    business: str
    items: tuple[Item, ...]  # the items its manifest says were published (APPI-43-3)
    publication: Texts | None  # the APPI-43-3 publication kept with it; None when absent
    columns: tuple[str, ...]  # the columns the dataset really has


def release_problems(release: Release, requested: tuple[str, ...]) -> list[Texts]:
    """List why an anonymized dataset may not be provided (APPI-43-3 publication, APPI-43-4 items).

    The law asks that the items were published when the data was made and that the items
    stated to the recipient are the items provided: a dataset whose publication is missing,
    or whose columns or requested items differ from the published items, is not provided.
    """
    where = release.dataset
    if release.publication is None or not release.items:
        return [
            Texts(
                f"{where} に匿名加工情報の公表（第43条第3項）と項目の記録がありません",
                f"{where} has no publication of its items (APPI Art. 43(3)) kept with it",
            )
        ]
    problems = []
    published = [i.name for i in release.items]
    extra = [c for c in release.columns if c not in published]
    absent = [c for c in published if c not in release.columns]
    if extra or absent:
        problems.append(
            Texts(
                f"{where} の列が公表した項目と一致しません（未公表の列: {', '.join(extra) or 'なし'}、"
                f"欠けた項目: {', '.join(absent) or 'なし'}）",
                f"{where}: columns differ from the published items (unpublished columns: "
                f"{', '.join(extra) or 'none'}; missing items: {', '.join(absent) or 'none'})",
            )
        )
    unstated = [n for n in published if n not in release.publication.ja or n not in release.publication.en]
    if unstated:
        problems.append(
            Texts(
                f"{where} の公表文に項目 {', '.join(unstated)} が書かれていません",
                f"{where}: the publication does not state the items {', '.join(unstated)}",
            )
        )
    unpublished = [n for n in requested if n not in published]
    if unpublished:
        problems.append(
            Texts(
                f"{where}: 公表していない項目 {', '.join(unpublished)} は提供できません",
                f"{where}: items {', '.join(unpublished)} were not published and cannot be provided",
            )
        )
    return problems


def release_notice(release: Release, recipient: str, method: Texts, requested: tuple[str, ...]) -> Texts:
    """Write the APPI-43-4 statement for this provision: the items provided and the method."""
    items = [i for i in release.items if i.name in requested]
    name = release.dataset.replace("\\", "/").rsplit("/", 1)[-1]
    return provision_notice(release.business, name, recipient, method.ja, method.en, items)
