"""Events to and from plain JSON payloads: the format of the incident store and the audit chain.

Pydantic's TypeAdapter validates the stdlib dataclasses of the domain (datetimes, enums,
nested facts) both ways, so no hand-written converter has to track every event's fields.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from mamori.domain.incidents.events import EVENT_TYPES, IncidentEvent
from mamori.domain.incidents.facts import IncidentFacts
from mamori.errors import InputError


@cache
def _adapter(kind: str) -> TypeAdapter[Any]:
    return TypeAdapter(EVENT_TYPES[kind])


def to_payload(event: IncidentEvent) -> dict[str, Any]:
    """Return the event's fields as JSON-ready values (its kind is `event.name`)."""
    payload: dict[str, Any] = _adapter(event.name).dump_python(event, mode="json")
    return payload


def from_payload(kind: str, payload: dict[str, Any]) -> IncidentEvent:
    """Rebuild an event from its kind and payload, naming what is wrong if it cannot."""
    if kind not in EVENT_TYPES:
        raise InputError(f"未知の事象の種類です: {kind}", f"unknown event kind: {kind}", field="kind")
    try:
        event: IncidentEvent = _adapter(kind).validate_python(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"事象を読めません: {first['msg']}", f"cannot read event: {first['msg']}", field=where
        ) from exc
    return event


_FACTS: TypeAdapter[IncidentFacts] = TypeAdapter(IncidentFacts)


def facts_payload(facts: IncidentFacts) -> dict[str, Any]:
    """Return incident facts as JSON-ready values."""
    payload: dict[str, Any] = _FACTS.dump_python(facts, mode="json")
    return payload
