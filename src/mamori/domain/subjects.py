"""Subjects (本人) and their registered guardians."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Subject:
    """A person the data is about; `guardian` is the subject id of the registered guardian."""

    id: str
    birth_date: date | None = None
    guardian: str | None = None
