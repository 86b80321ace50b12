"""Consent records in the structure of ISO/IEC TS 27560, with purposes mapped to W3C DPV.

TS 27560 describes a consent record as: the record and its schema, the data subject, the
controller, the notice shown (here: the terms version and the hash of the text), the purposes
and processing consented to, the consent state with its timestamps, and how it was given. DPV
(https://w3id.org/dpv) supplies the vocabulary for purposes, processing and consent states.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from mamori.domain.consent import ConsentAction, ConsentEvent, GrantDefect, grant_defect
from mamori.domain.purposes import Purpose, PurposeKind
from mamori.domain.subjects import Subject
from mamori.domain.terms import TermsHistory

SCHEMA = "ISO/IEC TS 27560:2023"
DPV = "https://w3id.org/dpv#"

# (purpose concept, processing concept) for each kind of purpose.
DPV_BY_KIND: dict[PurposeKind, tuple[str, str]] = {
    PurposeKind.SERVICE: ("ServiceProvision", "Use"),
    PurposeKind.INTERNAL_ANALYSIS: ("ServiceOptimisation", "Analyse"),
    PurposeKind.PROFILING: ("CreatePersonalisedRecommendations", "Profiling"),
    PurposeKind.TARGETING: ("TargetedAdvertising", "Profiling"),
    PurposeKind.THIRD_PARTY_PROVISION: ("SellDataToThirdParties", "Disclose"),
    PurposeKind.ANONYMIZED_PROVISION: ("SellInsightsFromData", "Anonymise"),
    PurposeKind.JOINT_USE: ("ServiceProvision", "Share"),
    PurposeKind.MY_NUMBER_ADMIN: ("LegalCompliance", "Use"),
}
_STATE = {
    ConsentAction.GRANT: "ConsentGiven",
    ConsentAction.WITHDRAW: "ConsentWithdrawn",
    ConsentAction.OBJECT: "ConsentRefused",
}


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()


def consent_records(
    subject: Subject,
    events: Iterable[ConsentEvent],
    purposes: Mapping[str, Purpose],
    terms: TermsHistory,
    controller: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Return one TS 27560 record per consent event of a subject, oldest first."""
    records: list[dict[str, Any]] = []
    for event in events:
        purpose = purposes.get(event.purpose)
        dpv_purpose, dpv_processing = (
            DPV_BY_KIND.get(purpose.kind, ("Purpose", "Processing")) if purpose else ("Purpose", "Processing")
        )
        defect: GrantDefect | None = None
        if event.action is ConsentAction.GRANT:
            defect = grant_defect(event, subject, terms)
        version = terms.get(event.terms)
        records.append(
            {
                "schema_version": SCHEMA,
                "record_id": f"mamori:consent:{event.seq}",
                "data_subject": {
                    "id": subject.id,
                    "acting_party": "guardian" if event.by.value == "guardian" else "self",
                },
                "controller": dict(controller),
                "notice": {
                    "id": event.terms,
                    "text_hash": event.text_hash or (version.text_hash if version else ""),
                    "effective": version.effective.isoformat() if version else None,
                },
                "purposes": [
                    {
                        "id": event.purpose,
                        "description_ja": purpose.description_ja if purpose else "",
                        "description_en": purpose.description_en if purpose else "",
                        "dpv_purpose": DPV + dpv_purpose,
                        "dpv_processing": DPV + dpv_processing,
                        "recipients": sorted(purpose.recipients) if purpose else [],
                    }
                ],
                "consent_state": DPV + ("ConsentInvalidated" if defect is not None else _STATE[event.action]),
                "state_reason": defect.value if defect is not None else None,
                "timestamp": _iso(event.at),
                "method": event.channel,
                "jurisdiction": "JP",
                "legal_basis": DPV + "Consent",
            }
        )
    return records
