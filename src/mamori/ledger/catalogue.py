"""The purpose catalogue and the terms history, cached and re-read only after a publish.

Purposes are immutable and terms versions are only ever added (a widened purpose is a new id,
a change of terms a new version), yet every consent change read both tables in full, twice.
The cache keeps them and asks the database one cheap question per use — how many rows each
table has and when the newest was written — so a purpose or terms version published by any
process (the CLI beside a running server, another worker) is seen on the very next call.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from mamori.domain.purposes import Purpose
from mamori.domain.terms import TermsHistory
from mamori.ledger import mapping
from mamori.ledger.fast_read import FastRead
from mamori.ledger.tables.consent import purposes, terms_versions

_STAMP = select(
    select(func.count()).select_from(purposes).scalar_subquery().label("n_purposes"),
    select(func.max(purposes.c.created_at)).scalar_subquery().label("purposes_at"),
    select(func.count()).select_from(terms_versions).scalar_subquery().label("n_terms"),
    select(func.max(terms_versions.c.created_at)).scalar_subquery().label("terms_at"),
)


class Catalogue:
    """Every purpose (in bit order) and every terms version, as of the last publish."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._stamp = FastRead(engine, _STAMP)
        self._cached: tuple[tuple[Any, ...], dict[str, Purpose], TermsHistory] | None = None

    def current(self) -> tuple[dict[str, Purpose], TermsHistory]:
        """Return the purposes and the terms history, re-read if anything was published."""
        found_stamp = self._stamp.first()
        stamp = tuple(found_stamp.values()) if found_stamp else ()
        cached = self._cached
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        with self.engine.connect() as c:
            # The stamp is read first: rows published after it can only make the cache newer
            # than its stamp (one extra re-read next time), never older than it.
            found = {
                r.id: mapping.purpose_from(r) for r in c.execute(select(purposes).order_by(purposes.c.bit))
            }
            history = TermsHistory(mapping.terms_from(r) for r in c.execute(select(terms_versions)))
        self._cached = (stamp, found, history)
        return found, history
