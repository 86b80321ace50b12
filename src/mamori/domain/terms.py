"""Terms versions (規約版): the text a person agreed to and the purposes it lists."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class TermsVersion:
    """One version of the terms, in effect from `effective` (a JST calendar date)."""

    version: str
    effective: date
    purposes: frozenset[str]
    text_hash: str = ""


class TermsHistory:
    """All terms versions in effective-date order, answering "which version was in force?"."""

    def __init__(self, versions: Iterable[TermsVersion]) -> None:
        self._versions: list[TermsVersion] = sorted(versions, key=lambda v: v.effective)
        self._dates = [v.effective for v in self._versions]
        self._by_name = {v.version: v for v in self._versions}

    @property
    def versions(self) -> Sequence[TermsVersion]:
        """Return the versions, oldest first."""
        return tuple(self._versions)

    def get(self, version: str) -> TermsVersion | None:
        """Return a version by its name."""
        return self._by_name.get(version)

    def in_effect(self, on: date) -> TermsVersion | None:
        """Return the latest version whose effective date is on or before `on`."""
        index = bisect.bisect_right(self._dates, on)
        return self._versions[index - 1] if index else None

    def added_purposes(self, old: str, new: str) -> frozenset[str]:
        """Return the purposes `new` lists that `old` did not: they need a fresh grant (APPI-CONSENT-3)."""
        before, after = self._by_name[old], self._by_name[new]
        return after.purposes - before.purposes
