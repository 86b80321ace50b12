"""The scenario file format of shared/conformance/README.md, as Pydantic models at the edge."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from mamori.domain.consent import Actor, ConsentAction
from mamori.domain.incidents.facts import Encryption, EventType
from mamori.domain.purposes import Basis, PurposeKind
from mamori.domain.recipients import Relation
from mamori.domain.requests import Action, LegalException, ProvisionKind


def _as_str(value: Any) -> Any:
    """YAML reads `v1` as text but `2023` or `1.0` as numbers; ids and versions are text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


Id = Annotated[str, BeforeValidator(_as_str)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class PurposeSpec(_Model):
    id: Id
    kind: PurposeKind
    recipients: list[Id] = Field(default_factory=list)
    foreign: bool = False
    basis: Basis = Basis.CONSENT
    ppc_notified: bool = False
    description_ja: str = ""
    description_en: str = ""


class ItemSpec(_Model):
    id: Id
    sensitive: bool = False
    financial: bool = False
    my_number: bool = False
    personal_related: bool = False
    opt_out_received: bool = False
    improperly_obtained: bool = False


def _item(value: Any) -> Any:
    return {"id": value} if isinstance(value, (str, int)) else value


class TermsSpec(_Model):
    version: Id
    effective: date
    purposes: list[Id]


class SubjectSpec(_Model):
    id: Id
    birth_date: date | None = None
    guardian: Id | None = None


class EventSpec(_Model):
    at: datetime
    subject: Id
    action: ConsentAction
    purpose: Id
    terms: Id
    by: Actor = Actor.SELF
    channel: str = "scenario"


class RecipientSpec(_Model):
    id: Id
    category: Id = ""
    country: str = "JP"
    relation: Relation = Relation.THIRD_PARTY
    will_link: bool = False
    consent_confirmed: bool = False


class RequestSpec(_Model):
    id: Id
    at: datetime
    subject: Id
    action: Action
    purpose: Id
    kind: ProvisionKind | None = None
    items: list[Id] = Field(default_factory=list)
    recipient: RecipientSpec | None = None
    exception: LegalException | None = None


class PolicyExpect(_Model):
    decision: Literal["allow", "deny"]
    rules: list[Id] | None = None
    obligations: list[Id] | None = None


class PolicyScenario(_Model):
    scenario: Id
    purposes: list[PurposeSpec] = Field(default_factory=list)
    items: list[Annotated[ItemSpec, BeforeValidator(_item)]] = Field(default_factory=list)
    terms: list[TermsSpec] = Field(default_factory=list)
    subjects: list[SubjectSpec] = Field(default_factory=list)
    events: list[EventSpec] = Field(default_factory=list)
    requests: list[RequestSpec] = Field(default_factory=list)
    expect: dict[Id, PolicyExpect] | None = None


class IncidentSpec(_Model):
    aware_at: datetime
    event: EventType
    suspected: bool = False
    cause: str = "other"
    persons: int = Field(ge=0)
    items: list[Id] = Field(default_factory=list)
    sensitive: bool = False
    financial: bool = False
    encryption: Encryption = Encryption.NONE
    backup: bool = False


class IncidentExpect(_Model):
    reportable: bool | None = None
    categories: list[int] | None = None
    preliminary_due: date | None = None
    final_due: date | None = None
    notify_subjects: bool | None = None
    rules: list[Id] | None = None
    model_config = ConfigDict(extra="ignore", frozen=True)


class IncidentScenario(_Model):
    scenario: Id
    incident: IncidentSpec
    expect: IncidentExpect | None = None
