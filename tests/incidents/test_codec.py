"""Every event kind survives the trip to a JSON payload and back."""

from __future__ import annotations

import json
import typing
from dataclasses import fields
from datetime import datetime
from enum import Enum

import pytest

from mamori.domain.calendar import JST
from mamori.domain.incidents.events import EVENT_TYPES, IncidentEvent
from mamori.domain.incidents.flow import Step
from mamori.errors import InputError
from mamori.services.incidents.codec import from_payload, to_payload
from tests.incidents.conftest import make_facts


def _sample(cls: type[IncidentEvent]) -> IncidentEvent:
    hints = typing.get_type_hints(cls)
    values: dict[str, object] = {}
    for f in fields(cls):
        hint = hints[f.name]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        base = args[0] if args and typing.get_origin(hint) is not tuple else hint
        if f.name == "field":
            values[f.name] = "root_cause"
        elif base is datetime:
            values[f.name] = datetime(2023, 1, 2, 3, 4, tzinfo=JST)
        elif base is str:
            values[f.name] = f"{f.name}-値"
        elif base is int:
            values[f.name] = 7
        elif base is bool:
            values[f.name] = True
        elif isinstance(base, type) and issubclass(base, Enum):
            values[f.name] = list(base)[-1] if base is not Step else Step.RECOVERY
        elif f.name == "facts":
            values[f.name] = make_facts(persons=1234)
        else:
            values[f.name] = (3, 4) if f.name == "categories" else ("APPI-26-1",)
    return cls(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", sorted(EVENT_TYPES))
def test_every_event_kind_round_trips(kind: str) -> None:
    event = _sample(EVENT_TYPES[kind])
    payload = json.loads(json.dumps(to_payload(event)))
    assert from_payload(kind, payload) == event
    assert kind == kind.lower() and " " not in kind and kind.startswith("incident-")


def test_a_bad_payload_names_the_field() -> None:
    event = _sample(EVENT_TYPES["incident-opened"])
    payload = to_payload(event)
    payload["facts"]["persons"] = "many"
    with pytest.raises(InputError) as caught:
        from_payload("incident-opened", payload)
    assert caught.value.field == "facts.persons"
    with pytest.raises(InputError):
        from_payload("incident-nonsense", payload)
