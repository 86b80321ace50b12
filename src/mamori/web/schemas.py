"""Schemas named by role: what a client sends (…Create) and what it is shown (…Public)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class ConsentCreate(BaseModel):
    """A yes or a no for one purpose."""

    purpose: str = Field(min_length=1, max_length=100)
    grant: bool


class ConsentPublic(BaseModel):
    """A person's standing for one purpose."""

    purpose: str
    granted: bool
    terms: str | None
    position: int | None = None


class DataRequestPublic(BaseModel):
    """A data-subject request as its owner sees it."""

    id: str
    kind: str
    status: str
    received_on: date
    due_on: date


class PartnerPublic(BaseModel):
    """Who a partner key speaks for."""

    recipient: str
    scopes: list[str]


class PartnerRequestCreate(BaseModel):
    """A partner's request for an insight or a provision under a registered purpose."""

    purpose: str = Field(min_length=1, max_length=100)
    description: str = Field(min_length=1, max_length=2000)


class PartnerRequestPublic(BaseModel):
    """A partner's request as that partner sees it."""

    id: str
    purpose: str
    description: str
    status: str
    created_at: datetime
