"""The rule catalogue: every rule id mamori may cite, with its source and text in ja/en.

Mirrors shared/appi/RULES.md; a test fails when code cites an id that is not listed here.
`MAMORI-` rules are the product's own policy, stricter than the law, and are flagged so
that members and officers can see which is which.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the catalogue."""

    id: str
    source: str
    ja: str
    en: str

    @property
    def is_policy(self) -> bool:
        """Tell whether this is mamori's own policy rather than the law."""
        return self.id.startswith("MAMORI-")


_R = Rule

RULES: tuple[Rule, ...] = (
    # Purposes and use
    _R(
        "APPI-17-1",
        "Art. 17(1)",
        "利用目的は本人が業務と用途を予測できる程度に特定する（プロファイリングはその旨を明示）",
        "Purposes are specified so a person can foresee the business and the use; profiling is named as such",
    ),
    _R(
        "APPI-17-2",
        "Art. 17(1), guideline",
        "第三者提供を予定する場合は利用目的にその旨を明示する",
        "Planned third-party provision is stated in the purpose",
    ),
    _R(
        "APPI-18-1",
        "Art. 18(1)",
        "特定した利用目的の範囲を超える取扱いには事前の本人同意が必要",
        "No handling beyond the specified purpose without prior consent",
    ),
    _R(
        "APPI-18-3",
        "Art. 18(3)",
        "法令に基づく場合等の例外（生命・身体・財産、公衆衛生・児童、国への協力、学術研究）",
        "Exceptions: laws, life/body/property, public health or children, cooperation with the state, academic",
    ),
    _R(
        "APPI-20-2",
        "Art. 20(2)",
        "要配慮個人情報の取得には事前の本人同意が必要（推知にとどまるものは該当しない）",
        "Sensitive personal information needs prior consent to acquire; mere inference is not sensitive",
    ),
    _R(
        "APPI-21-1",
        "Art. 21",
        "取得に際して利用目的を通知又は公表する",
        "Notify or publish the purpose on acquisition",
    ),
    # Consent
    _R(
        "APPI-CONSENT-1",
        "guideline 2-16",
        "同意は本人確認を前提とした本人の意思表示で、合理的かつ適切な方法による",
        "Consent is the person's expression of will, identity confirmed, by a reasonable and appropriate method",
    ),
    _R(
        "APPI-CONSENT-2",
        "guideline",
        "沈黙・不作為・継続利用は同意ではない",
        "Silence, inaction or continued use is not consent",
    ),
    _R(
        "APPI-CONSENT-3",
        "Civil Code 548-4, analysis",
        "規約変更は契約を拘束しても同意を生まない",
        "A terms change binds a contract, not consent: it creates no consent",
    ),
    _R(
        "APPI-CONSENT-4",
        "guideline, PPC Q&A",
        "判断能力のない子どもは法定代理人を通じて同意する",
        "People who cannot judge the consequences (children) consent through a guardian",
    ),
    _R(
        "APPI-CONSENT-5",
        "CNIL 2019 (GDPR), adopted",
        "同意は目的ごとに個別・抱き合わせなし・事前チェックなし、拒否は同意と同じ容易さ",
        "Consent is specific per purpose, unbundled, not pre-ticked; refusing as easy as accepting",
    ),
    _R(
        "MAMORI-1",
        "policy",
        "本人はその時点でその目的に有効な同意がある場合に限り利用・提供の対象となる（当社方針）",
        "A subject takes part in a use or provision only under a valid grant for that purpose at that time (mamori policy)",
    ),
    # Provision to others
    _R(
        "APPI-27-1",
        "Art. 27(1)",
        "個人データの第三者提供には事前の本人同意又は法定の例外が必要",
        "Personal data goes to a third party only with prior consent, or under a listed exception",
    ),
    _R(
        "APPI-27-2",
        "Art. 27(2)-(4)",
        "オプトアウト提供は委員会への届出・公表が必要で、要配慮個人情報・オプトアウト取得・不正取得データには使えない",
        "Opt-out provision needs the PPC filing and publication, stops on objection, and never covers sensitive, opt-out-received or improperly obtained data",
    ),
    _R(
        "APPI-27-5",
        "Art. 27(5)",
        "委託先・事業承継・共同利用は第三者に当たらない（共同利用は5項目の通知等が必要）",
        "Entrustees, business successors and joint users are not third parties (joint use needs its five items notified)",
    ),
    _R(
        "APPI-28-1",
        "Art. 28, Rule 16-18",
        "外国にある第三者への提供には、国名・制度・相手方の措置を示した上での同意が必要",
        "A recipient abroad needs consent given with the country, its system and the recipient's measures",
    ),
    _R(
        "APPI-29-1",
        "Art. 29, Rule 19-21",
        "提供者は提供の記録（受領者、本人、項目、同意の旨）を作成する",
        "The provider records each provision: recipient, the person, the items, consent obtained",
    ),
    _R(
        "APPI-29-3",
        "Rule 21",
        "記録の保存期間は1年（契約書代替）、3年（一括）、その他3年",
        "Records kept 1 year (contract as record), 3 years from the last provision (bulk), otherwise 3 years",
    ),
    _R(
        "APPI-30-1",
        "Art. 30, Rule 22-24",
        "受領者は提供者の氏名・住所・代表者と取得の経緯を確認し記録する",
        "A recipient confirms the provider's identity and how it obtained the data, and records it",
    ),
    _R(
        "APPI-31-1",
        "Art. 31(1)",
        "提供先が個人データとして取得する個人関連情報は、本人同意の確認が先に必要",
        "Personal-related information that the recipient will link needs the provider to confirm the person's consent first",
    ),
    _R(
        "APPI-31-3",
        "Art. 31(3), Rule 26-29",
        "提供者は確認の記録（方法、日付、提供先、項目）を作成する",
        "The provider records that confirmation (method, date, recipient, items)",
    ),
    # Pseudonymized and anonymized information
    _R(
        "PPC-RULE-31",
        "Rule 31",
        "仮名加工：氏名等の削除、個人識別符号の全部削除、財産的被害のおそれのある記述の削除",
        "Pseudonymization: delete identifying descriptions, identification codes and items that could cause financial damage",
    ),
    _R(
        "APPI-41-1",
        "Art. 41",
        "削除情報等は安全管理し、仮名加工情報は公表した目的内で利用し、連絡・再識別に使わない",
        "Deleted information is safety-managed; pseudonymized data is used within published purposes, never to contact or re-identify",
    ),
    _R(
        "APPI-42-1",
        "Art. 42",
        "仮名加工情報は第三者に提供しない",
        "Pseudonymized data is not provided to third parties",
    ),
    _R(
        "PPC-RULE-34",
        "Rule 34",
        "匿名加工の基準：(1)記述等の削除 (2)個人識別符号の削除 (3)連結符号の削除 (4)特異な記述の削除 (5)データベースの性質に応じた措置",
        "Anonymization: delete identifying descriptions, identification codes, linking codes; treat peculiar values; measures for the database",
    ),
    _R(
        "APPI-43-2",
        "Art. 43(2), Rule 35",
        "加工方法等情報を安全に管理する",
        "Processing method information is kept safe",
    ),
    _R(
        "APPI-43-3",
        "Art. 43(3), Rule 36",
        "匿名加工情報を作成したときは含まれる情報の項目を公表する",
        "After making anonymized information, publish the items it contains",
    ),
    _R(
        "APPI-43-4",
        "Art. 43(4), Rule 37",
        "提供前に項目と方法を公表し、提供先に匿名加工情報である旨を明示する",
        "Before providing it, publish the items and the method, and state to the recipient that it is anonymized information",
    ),
    _R(
        "APPI-43-5",
        "Art. 43(5), 45",
        "作成者も受領者も再識別してはならない",
        "No re-identification by maker or recipient",
    ),
    _R(
        "MAMORI-AGG-1",
        "policy",
        "公開する集計セルは設定人数（既定50人）以上の異なる本人を含み、補完的秘匿を行う（当社方針）",
        "Every released aggregate cell covers at least the configured number of distinct persons, with complementary suppression (mamori policy)",
    ),
    _R(
        "MAMORI-DP-1",
        "policy",
        "差分プライバシーによる公開は受領者のプライバシー予算から差し引き、超過は認めない（当社方針）",
        "Differentially private releases are charged to the recipient's privacy budget; none beyond it (mamori policy)",
    ),
    # Data-subject rights
    _R(
        "APPI-33-1",
        "Art. 33(1)-(2)",
        "保有個人データを本人が指示した方法（電磁的方法を含む）で遅滞なく開示する",
        "Disclose retained data without delay in the form the person chose",
    ),
    _R(
        "APPI-33-5",
        "Art. 33(5)",
        "第三者提供記録も開示の対象となる",
        "Third-party provision records are disclosed on request too",
    ),
    _R(
        "APPI-34-1",
        "Art. 34",
        "内容が事実でないときは遅滞なく調査し訂正し、結果を通知する",
        "Investigate and correct untrue data without delay; notify the outcome",
    ),
    _R(
        "APPI-35-1",
        "Art. 35",
        "法定の事由により利用停止・消去・第三者提供の停止を行う",
        "Stop use, erase, stop provision on the statutory grounds",
    ),
    # Incidents
    _R(
        "APPI-26-1",
        "Art. 26(1)",
        "報告対象となる漏えい等は個人情報保護委員会に報告する",
        "Report reportable leaks, losses or damage to the PPC",
    ),
    _R(
        "PPC-RULE-7-1",
        "Rule 7(1)",
        "報告対象：要配慮個人情報が含まれる",
        "Reportable: sensitive personal information involved",
    ),
    _R(
        "PPC-RULE-7-2",
        "Rule 7(2)",
        "報告対象：不正に利用されることにより財産的被害が生じるおそれがある",
        "Reportable: data whose misuse may cause property damage",
    ),
    _R(
        "PPC-RULE-7-3",
        "Rule 7(3)",
        "報告対象：不正の目的をもって行われたおそれがある",
        "Reportable: possibly done for an unlawful purpose",
    ),
    _R(
        "PPC-RULE-7-4",
        "Rule 7(4)",
        "報告対象：本人の数が1,000人を超える",
        "Reportable: more than 1,000 persons",
    ),
    _R(
        "PPC-RULE-7-X",
        "Rule 7(1) parenthesis",
        "高度な暗号化等の措置が講じられ鍵が漏えいしていない場合は報告対象外",
        "Not reportable when protected by high-level encryption and the key was not compromised",
    ),
    _R(
        "PPC-RULE-8-1",
        "Rule 8(1)",
        "速報は速やかに（概ね3〜5日以内）",
        "Preliminary report promptly, about 3 to 5 days from knowing",
    ),
    _R(
        "PPC-RULE-8-2",
        "Rule 8(2)",
        "確報は知った日から30日以内（不正目的のおそれがある場合は60日以内）",
        "Final report within 30 days of knowing; 60 days for the unlawful-purpose category",
    ),
    _R(
        "PPC-RULE-8-3",
        "Rule 8(1)",
        "報告には概要・項目・人数・原因・二次被害・本人対応・公表・再発防止策・その他の9項目を記載する",
        "The report carries nine items",
    ),
    _R(
        "APPI-26-2",
        "Art. 26(2), Rule 10",
        "本人へ速やかに通知する（困難な場合は公表・問合せ窓口等の代替措置）",
        "Notify affected persons promptly; where impossible, publish or open an inquiry desk",
    ),
    # Individual Numbers
    _R(
        "MYNUM-9",
        "My Number Act Art. 9",
        "個人番号は法定の事務（税・社会保障）以外に利用しない（同意があっても不可）",
        "Individual Numbers are used only for the legally specified work, never as an id, not even with consent",
    ),
    _R(
        "MYNUM-19",
        "My Number Act Art. 19",
        "列挙された場合を除き特定個人情報を提供しない",
        "No provision except the listed cases",
    ),
    _R(
        "MYNUM-20",
        "My Number Act Art. 20",
        "列挙された場合を除き特定個人情報を収集・保管しない",
        "No collection or storage outside those cases",
    ),
    _R(
        "MYNUM-CD",
        "MIC ordinance 85, Art. 5",
        "個人番号の検査用数字の計算方法",
        "Check digit of the Individual Number",
    ),
)

_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


class UnknownRuleError(KeyError):
    """A rule id was cited that the catalogue does not contain."""


def rule(rule_id: str) -> Rule:
    """Return the catalogue entry for an id, refusing ids the catalogue lacks."""
    try:
        return _BY_ID[rule_id]
    except KeyError as exc:
        raise UnknownRuleError(rule_id) from exc


def known(rule_id: str) -> bool:
    """Tell whether the catalogue lists this id."""
    return rule_id in _BY_ID
