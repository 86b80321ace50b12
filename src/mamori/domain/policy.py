"""The policy decision: may this subject's data be used or provided, and which rule says so?

Implements the semantics of shared/conformance/README.md. mamori is consent-first: every
request kind needs a valid grant (MAMORI-1) unless a statutory exception applies or a
filed opt-out covers a provision of personal data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mamori.domain.calendar import JST
from mamori.domain.consent import ConsentBook, GrantDefect, Standing
from mamori.domain.decision import Decision, Text, allow, deny
from mamori.domain.items import DataItem
from mamori.domain.purposes import Purpose, PurposeKind
from mamori.domain.recipients import Recipient, Relation
from mamori.domain.requests import Action, PolicyRequest, ProvisionKind

PROVIDER_RECORDS = ("APPI-29-1", "APPI-30-1")
ANONYMIZED_OBLIGATIONS = ("PPC-RULE-34", "APPI-43-3", "APPI-43-4")
AGGREGATE_OBLIGATIONS = ("MAMORI-AGG-1",)


@dataclass(frozen=True, slots=True)
class PolicyWorld:
    """What the decision needs to know: purposes, items and the consent book."""

    purposes: Mapping[str, Purpose]
    items: Mapping[str, DataItem]
    consents: ConsentBook


_DEFECT_TEXT: dict[GrantDefect | None, Text] = {
    None: Text("この目的への同意の記録がありません", "there is no grant for this purpose"),
    GrantDefect.UNKNOWN_TERMS: Text(
        "同意が未知の規約版で記録されています", "the grant names an unknown terms version"
    ),
    GrantDefect.TERMS_NOT_IN_EFFECT: Text(
        "同意が同意時点で有効でない規約版（旧版又は未施行）で記録されています",
        "the grant was recorded under a terms version not in effect at that moment",
    ),
    GrantDefect.PURPOSE_NOT_IN_TERMS: Text(
        "同意した規約版にこの目的が含まれていません", "the terms version granted does not list this purpose"
    ),
    GrantDefect.MINOR_SELF: Text(
        "同意時に本人が未成年（保護者の同意が必要な年齢）でした",
        "the subject was below the guardian age and granted without the guardian",
    ),
    GrantDefect.NO_GUARDIAN: Text(
        "登録された保護者のいない本人に保護者として同意が記録されています",
        "a guardian granted for a subject with no registered guardian",
    ),
    GrantDefect.UNKNOWN_SUBJECT: Text("本人が登録されていません", "the subject is not registered"),
}


def _no_grant_text(standing: Standing) -> Text:
    if standing.withdrawn_at is not None:
        when = standing.withdrawn_at.astimezone(JST).strftime("%Y-%m-%d %H:%M JST")
        return Text(f"同意は {when} に撤回されています", f"consent was withdrawn at {when}")
    return _DEFECT_TEXT[standing.defect]


def decide(world: PolicyWorld, request: PolicyRequest) -> Decision:
    """Decide one request, returning the rule ids that made the decision."""
    standing = world.consents.standing(request.subject, request.purpose, request.at)
    return decide_with_standing(world.purposes, world.items, request, standing)


def decide_with_standing(
    purposes: Mapping[str, Purpose], items: Mapping[str, DataItem], request: PolicyRequest, standing: Standing
) -> Decision:
    """Decide a request given the subject's consent standing for its purpose.

    The batch engines call this once per standing class (granted, objected, none) and pick
    per subject, so vectorized decisions are the domain's decisions by construction.
    """
    purpose = purposes.get(request.purpose)
    if purpose is None:
        return deny(
            ("APPI-18-1",),
            Text(
                f"目的 {request.purpose} は特定・公表されていません",
                f"purpose {request.purpose} is not a specified purpose",
            ),
        )
    data_items = [items.get(i) or DataItem(i) for i in request.items]
    if any(item.my_number for item in data_items):
        refused = _my_number(request, purpose)
        if refused is not None:
            return refused
    if request.action is Action.USE:
        return _use(request, standing)
    return _provide(request, purpose, data_items, standing)


def _my_number(request: PolicyRequest, purpose: Purpose) -> Decision | None:
    if request.action is Action.PROVIDE:
        return deny(
            ("MYNUM-19",), Text("個人番号を含む提供はできません", "Individual Numbers cannot be provided")
        )
    if purpose.kind is not PurposeKind.MY_NUMBER_ADMIN:
        return deny(
            ("MYNUM-9",),
            Text(
                "個人番号は法定の事務以外に利用できません（同意があっても不可）",
                "Individual Numbers serve only the statutory work, consent or not",
            ),
        )
    return None


def _use(request: PolicyRequest, standing: Standing) -> Decision:
    if request.exception is not None:
        return allow(
            ("APPI-18-3",),
            (),
            Text(
                f"法定の例外（{request.exception}）による利用です",
                f"use under the statutory exception '{request.exception}'",
            ),
        )
    if not standing.granted:
        return deny(("MAMORI-1", "APPI-18-1"), _no_grant_text(standing))
    return allow(
        ("MAMORI-1",), (), Text("この目的への有効な同意があります", "a valid grant covers this purpose")
    )


def _provide(request: PolicyRequest, purpose: Purpose, items: list[DataItem], standing: Standing) -> Decision:
    recipient = request.recipient or Recipient(id="unknown", category="")
    if request.exception is not None:
        # Art. 27(1) exceptions also lift Art. 28 and Art. 31, and need no provision record.
        return allow(
            ("APPI-27-1",),
            (),
            Text(
                f"法定の例外（{request.exception}）による提供です",
                f"provision under the statutory exception '{request.exception}'",
            ),
        )
    kind = request.kind or ProvisionKind.PERSONAL_DATA
    if kind is ProvisionKind.PSEUDONYMIZED and recipient.relation is Relation.THIRD_PARTY:
        return deny(
            ("APPI-42-1",),
            Text(
                "仮名加工情報は第三者に提供できません",
                "pseudonymized information is never provided to a third party",
            ),
        )
    if kind is ProvisionKind.PERSONAL_DATA or kind is ProvisionKind.PSEUDONYMIZED:
        return _personal_data(request, purpose, items, recipient, standing)
    if kind is ProvisionKind.PERSONAL_RELATED:
        return _personal_related(recipient, standing)
    if not standing.granted:
        return deny(("MAMORI-1",), _no_grant_text(standing))
    if kind is ProvisionKind.ANONYMIZED:
        return allow(
            ("MAMORI-1",),
            ANONYMIZED_OBLIGATIONS,
            Text(
                "同意に基づき匿名加工情報として提供できます（加工基準・項目の公表・匿名加工情報である旨の明示が必要）",
                "may be provided as anonymized information (processing standards, publication and statement required)",
            ),
        )
    return allow(
        ("MAMORI-1",),
        AGGREGATE_OBLIGATIONS,
        Text(
            "同意に基づき統計情報として集計できます（最小人数の基準が適用されます）",
            "may be counted in aggregate statistics (minimum persons per cell applies)",
        ),
    )


def _personal_related(recipient: Recipient, standing: Standing) -> Decision:
    refusals = _Refusals()
    if not standing.granted:
        refusals.add("MAMORI-1", _no_grant_text(standing))
    if recipient.will_link and not recipient.consent_confirmed:
        refusals.add(
            "APPI-31-1",
            Text(
                "提供先が本人の同意を得ていることを確認していません",
                "the recipient's consent from the person has not been confirmed",
            ),
        )
    if refusals:
        return refusals.deny()
    if not recipient.will_link:
        return allow(
            ("MAMORI-1",),
            (),
            Text(
                "提供先は個人データとして取得しないため第31条は適用されません",
                "the recipient will not link it, so Art. 31 does not apply",
            ),
        )
    return allow(
        ("MAMORI-1", "APPI-31-1"),
        ("APPI-31-3",),
        Text(
            "提供先の同意取得を確認済みです（確認の記録が必要）",
            "the recipient's consent was confirmed (the confirmation must be recorded)",
        ),
    )


def _personal_data(
    request: PolicyRequest, purpose: Purpose, items: list[DataItem], recipient: Recipient, standing: Standing
) -> Decision:
    if recipient.relation is not Relation.THIRD_PARTY:
        return _not_a_third_party(standing, purpose, recipient)
    if purpose.opt_out_in_force and not standing.granted and not recipient.abroad:
        return _opt_out(standing, purpose, items, recipient)
    refusals = _Refusals()
    if not standing.granted:
        refusals.add("MAMORI-1", _no_grant_text(standing))
    if purpose.kind is not PurposeKind.THIRD_PARTY_PROVISION or not purpose.names_recipient(
        recipient.category
    ):
        refusals.add(
            "APPI-27-1",
            Text(
                f"目的 {purpose.id} は提供先の類型 {recipient.category} への第三者提供を定めていません",
                f"purpose {purpose.id} does not state provision to recipients of category '{recipient.category}'",
            ),
        )
    if recipient.abroad and not purpose.foreign:
        refusals.add("APPI-28-1", _abroad_text(recipient))
    if refusals:
        return refusals.deny()
    rules = ("MAMORI-1", "APPI-27-1", "APPI-28-1") if recipient.abroad else ("MAMORI-1", "APPI-27-1")
    return allow(
        rules,
        PROVIDER_RECORDS,
        Text(
            "本人の同意に基づく第三者提供です（提供記録と受領者の確認記録が必要）",
            "third-party provision with the person's consent (provider and recipient records required)",
        ),
    )


def _not_a_third_party(standing: Standing, purpose: Purpose, recipient: Recipient) -> Decision:
    refusals = _Refusals()
    if not standing.granted:
        refusals.add("MAMORI-1", _no_grant_text(standing))
    # Art. 28(1): the Art. 27(5) exclusions do not apply to a recipient abroad.
    if recipient.abroad and not purpose.foreign:
        refusals.add("APPI-28-1", _abroad_text(recipient))
    if (
        not recipient.abroad
        and recipient.relation is Relation.JOINT_USER
        and not (purpose.kind is PurposeKind.JOINT_USE and purpose.names_recipient(recipient.category))
    ):
        refusals.add(
            "APPI-27-5",
            Text(
                f"目的 {purpose.id} は {recipient.category} との共同利用を定めていません",
                f"purpose {purpose.id} does not set up joint use with '{recipient.category}'",
            ),
        )
        refusals.add("APPI-27-1", Text("", ""))
    if refusals:
        return refusals.deny()
    if recipient.abroad:
        return allow(
            ("MAMORI-1", "APPI-28-1"),
            PROVIDER_RECORDS,
            Text(
                "外国にある委託先・共同利用者への提供で、外国提供への同意があります（提供記録が必要）",
                "entrustee or joint user abroad, with consent to provision abroad (records required)",
            ),
        )
    return allow(
        ("MAMORI-1", "APPI-27-5"),
        (),
        Text(
            "委託先又は共同利用者は第三者に当たりません（提供記録は不要）",
            "an entrustee or joint user is not a third party (no provision record)",
        ),
    )


def _opt_out(standing: Standing, purpose: Purpose, items: list[DataItem], recipient: Recipient) -> Decision:
    barred = [i.id for i in items if i.sensitive or i.opt_out_received or i.improperly_obtained]
    if barred:
        return deny(
            ("APPI-27-2",),
            Text(
                f"要配慮個人情報等（{', '.join(barred)}）はオプトアウトで提供できません",
                f"items {', '.join(barred)} can never be provided by opt-out",
            ),
        )
    if standing.objected or standing.withdrawn_at is not None:
        return deny(
            ("APPI-27-2",), Text("本人が提供の停止を求めています", "the person objected to this provision")
        )
    if purpose.kind is not PurposeKind.THIRD_PARTY_PROVISION or not purpose.names_recipient(
        recipient.category
    ):
        return deny(
            ("APPI-27-1",),
            Text(
                f"目的 {purpose.id} は提供先の類型 {recipient.category} への提供を定めていません",
                f"purpose {purpose.id} does not state provision to '{recipient.category}'",
            ),
        )
    return allow(
        ("APPI-27-2",),
        PROVIDER_RECORDS,
        Text(
            "届出済みのオプトアウトによる提供です（提供の都度の記録が必要）",
            "provision under the filed opt-out (a record per provision is required)",
        ),
    )


def _abroad_text(recipient: Recipient) -> Text:
    return Text(
        f"提供先は外国（{recipient.country}）にあり、外国提供への同意が目的に含まれていません",
        f"the recipient is abroad ({recipient.country}) and the purpose has no consent to provision abroad",
    )


class _Refusals:
    """Every rule a request breaks, so that the decision cites all of them, not just the first."""

    def __init__(self) -> None:
        self.rules: list[str] = []
        self.reasons: list[Text] = []

    def __bool__(self) -> bool:
        return bool(self.rules)

    def add(self, rule_id: str, reason: Text) -> None:
        self.rules.append(rule_id)
        if reason.ja:
            self.reasons.append(reason)

    def deny(self) -> Decision:
        why = Text("；".join(r.ja for r in self.reasons), "; ".join(r.en for r in self.reasons))
        return deny(tuple(self.rules), why)
