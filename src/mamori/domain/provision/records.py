"""The statutory records of a provision, as item lists built from the facts (no typing by hand).

- APPI-29-1 provider record (Art. 29, Rule 20): with consent — the fact of consent, the
  recipient, the person, the items; by opt-out — the date of provision instead of consent.
  A recipient abroad (Art. 28) adds the consent to provision abroad.
- APPI-30-1 recipient confirmation record (Art. 30, Rule 24): the provider's name,
  address and representative, how the provider obtained the data, the person, the items,
  the fact of consent (opt-out: the date received and the PPC publication).
- APPI-31-3 confirmation record for personal-related information (Art. 31, Rule 28): the
  date, that the person's consent was confirmed (abroad: that the information of Art. 31(1)(ii)
  was given), the recipient, the items.
- APPI-28-1 information for a recipient abroad (Rule 17): the country, its system for
  protecting personal information, and the recipient's measures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from mamori.domain.decision import Text
from mamori.domain.provision.retention import RecordMethod, Retention, retention
from mamori.domain.recipients import Recipient


class Basis(StrEnum):
    """On what a provision of personal data rests."""

    CONSENT = "consent"  # Art. 27(1)
    OPT_OUT = "opt_out"  # Art. 27(2)


@dataclass(frozen=True, slots=True)
class Party:
    """A provider or recipient as the records name it (Rule 20, 24: name, address, representative)."""

    name: str
    address: str
    representative: str
    country: str = "JP"

    @classmethod
    def of(cls, recipient: Recipient) -> Party:
        """Take the record details of a recipient."""
        return cls(
            recipient.name or recipient.id, recipient.address, recipient.representative, recipient.country
        )


@dataclass(frozen=True, slots=True)
class Record:
    """A statutory record: its kind, rule, items (label → value, ja/en labels) and retention."""

    kind: str
    rule: str
    items: dict[str, str]
    labels: dict[str, Text]
    retention: Retention
    lineage_id: str
    subjects: tuple[str, ...] = ()
    consent_snapshot: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def missing(self) -> list[str]:
        """Return the required items left empty (a record with gaps is not a record)."""
        return [key for key, value in self.items.items() if not str(value).strip()]


_L = Text
PROVIDER_LABELS = {
    "consent": _L("本人の同意を得ている旨", "that the person's consent was obtained"),
    "consent_snapshot": _L(
        "判断の根拠とした同意スナップショット", "consent snapshot the decisions came from"
    ),
    "provided_on": _L("提供年月日", "date of provision"),
    "recipient_name": _L("第三者の氏名又は名称", "recipient's name"),
    "recipient_address": _L("第三者の住所", "recipient's address"),
    "recipient_representative": _L("法人の代表者の氏名", "recipient's representative"),
    "recipient_country": _L("第三者の所在する国", "recipient's country"),
    "subjects": _L("本人を特定するに足りる事項", "matters identifying the persons"),
    "items": _L("個人データの項目", "items of personal data"),
    "foreign_consent": _L("外国にある第三者への提供に同意を得ている旨", "consent to provision abroad"),
}


def provider_record(
    *,
    basis: Basis,
    recipient: Recipient,
    subjects: tuple[str, ...],
    items: tuple[str, ...],
    provided_on: date,
    lineage_id: str,
    consent_snapshot: str,
    method: RecordMethod = RecordMethod.EACH,
    last_provision_on: date | None = None,
) -> Record:
    """Build the APPI-29-1 provider record (consent or opt-out variant) with its retention."""
    party = Party.of(recipient)
    values = {
        "recipient_name": party.name,
        "recipient_address": party.address,
        "recipient_representative": party.representative,
        "recipient_country": party.country,
        "subjects": f"{len(subjects)} 名（会員ID、系譜ID {lineage_id} で一覧可能）/ {len(subjects)} members (ids; listed by lineage id)",
        "items": "、".join(items),
    }
    if basis is Basis.CONSENT:
        values["consent"] = "本人の同意を得ている / consent obtained (snapshot " + consent_snapshot + ")"
    else:
        values["provided_on"] = provided_on.isoformat()
    values["consent_snapshot"] = consent_snapshot  # DESIGN: every record names its snapshot
    if recipient.abroad:
        values["foreign_consent"] = "外国提供への同意を得ている / consent to provision abroad obtained"
    return Record(
        kind="provider",
        rule="APPI-29-1",
        items=values,
        labels={k: PROVIDER_LABELS[k] for k in values},
        retention=retention(method, provided_on, last_provision_on or provided_on),
        lineage_id=lineage_id,
        subjects=subjects,
        consent_snapshot=consent_snapshot,
        extra={"basis": basis.value, "provided_on": provided_on.isoformat(), "method": method.value},
    )


RECIPIENT_LABELS = {
    "provider_name": _L("提供者の氏名又は名称", "provider's name"),
    "provider_address": _L("提供者の住所", "provider's address"),
    "provider_representative": _L("法人の代表者の氏名", "provider's representative"),
    "acquisition": _L("提供者による個人データの取得の経緯", "how the provider obtained the data"),
    "consent": _L("本人の同意を得ている旨", "that the person's consent was obtained"),
    "received_on": _L("受領年月日", "date received"),
    "ppc_published": _L(
        "個人情報保護委員会による公表がされている旨", "that the PPC has published the opt-out filing"
    ),
    "subjects": _L("本人を特定するに足りる事項", "matters identifying the persons"),
    "items": _L("個人データの項目", "items of personal data"),
}


def recipient_record(
    *,
    basis: Basis,
    provider: Party,
    acquisition: str,
    subjects: tuple[str, ...],
    items: tuple[str, ...],
    received_on: date,
    lineage_id: str,
    ppc_published: bool = False,
    method: RecordMethod = RecordMethod.EACH,
) -> Record:
    """Build the APPI-30-1 confirmation record for data mamori receives from a partner."""
    values = {
        "provider_name": provider.name,
        "provider_address": provider.address,
        "provider_representative": provider.representative,
        "acquisition": acquisition,
        "subjects": f"{len(subjects)} 名 / {len(subjects)} persons (lineage {lineage_id})",
        "items": "、".join(items),
    }
    if basis is Basis.CONSENT:
        values["consent"] = "提供者が本人の同意を得ている / the provider obtained consent"
    else:
        values["received_on"] = received_on.isoformat()
        values["ppc_published"] = "公表されている / published" if ppc_published else ""
    return Record(
        kind="recipient",
        rule="APPI-30-1",
        items=values,
        labels={k: RECIPIENT_LABELS[k] for k in values},
        retention=retention(method, received_on, received_on),
        lineage_id=lineage_id,
        subjects=subjects,
        extra={"basis": basis.value, "received_on": received_on.isoformat()},
    )


ART31_LABELS = {
    "provided_on": _L("提供年月日", "date of provision"),
    "confirmed": _L("本人の同意が得られていることを確認した旨", "that the person's consent was confirmed"),
    "foreign_information": _L(
        "外国にある第三者への提供の場合の情報提供の旨", "that the information for provision abroad was given"
    ),
    "recipient_name": _L("第三者の氏名又は名称", "recipient's name"),
    "recipient_address": _L("第三者の住所", "recipient's address"),
    "recipient_representative": _L("法人の代表者の氏名", "recipient's representative"),
    "items": _L("個人関連情報の項目", "items of personal-related information"),
    "confirmation_method": _L("確認の方法", "how it was confirmed"),
}


def art31_record(
    *,
    recipient: Recipient,
    items: tuple[str, ...],
    provided_on: date,
    confirmation_method: str,
    lineage_id: str,
    subjects: tuple[str, ...] = (),
) -> Record:
    """Build the APPI-31-3 record of confirming the recipient obtained the person's consent."""
    party = Party.of(recipient)
    values = {
        "provided_on": provided_on.isoformat(),
        "confirmed": "確認済み / confirmed",
        "recipient_name": party.name,
        "recipient_address": party.address,
        "recipient_representative": party.representative,
        "items": "、".join(items),
        "confirmation_method": confirmation_method,
    }
    if recipient.abroad:
        values["foreign_information"] = "情報提供済み / information given"
    return Record(
        kind="personal_related",
        rule="APPI-31-3",
        items=values,
        labels={k: ART31_LABELS[k] for k in values},
        retention=retention(RecordMethod.EACH, provided_on),
        lineage_id=lineage_id,
        subjects=subjects,
    )


def foreign_information(recipient: Recipient, system: Text, measures: Text) -> Text:
    """Write the APPI-28-1 information for a recipient abroad (Rule 17: country, system, measures)."""
    return Text(
        f"提供先の所在国：{recipient.country}\n当該国の個人情報の保護に関する制度：{system.ja}\n"
        f"提供先が講ずる個人情報の保護のための措置：{measures.ja}",
        f"Country of the recipient: {recipient.country}\nIts system for protecting personal information: "
        f"{system.en}\nMeasures the recipient takes: {measures.en}",
    )
