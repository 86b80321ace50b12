"""Lineage from the ledger's provision records: who and which items were in export X.

Every export is stamped with a lineage id and `provision_subjects` lists exactly who was in it,
so the affected people of a leaked export are one indexed lookup (APPI-29-1 records reused for
APPI-26-1). Implements the incidents' `LineageReader` port.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from sqlalchemy import String, cast, select

from mamori.domain.incidents.impact import Exposure
from mamori.errors import InputError
from mamori.ledger.sql_ledger import SqlLedger
from mamori.ledger.tables.consent import subjects
from mamori.ledger.tables.provision import provision_subjects, provisions


class SqlProvisionLineage:
    """Reads provisions (by lineage id) and the subjects recorded in each."""

    def __init__(self, ledger: SqlLedger) -> None:
        self.ledger = ledger

    def sources(self) -> list[str]:
        """Return every lineage id, oldest provision first."""
        query = select(provisions.c.lineage_id).order_by(provisions.c.provided_at, provisions.c.lineage_id)
        with self.ledger.engine.connect() as c:
            return [row.lineage_id for row in c.execute(query)]

    def rows(self, source_id: str) -> Sequence[Exposure]:
        """Return the subjects of one provision with its items and their birth dates."""
        with self.ledger.engine.connect() as c:
            items_json = c.execute(
                select(provisions.c["items"]).where(provisions.c.lineage_id == source_id)
            ).scalar_one_or_none()
            if items_json is None:
                raise InputError(
                    f"提供の記録がありません: {source_id}",
                    f"no provision with lineage id {source_id}",
                    field="lineage",
                )
            items = frozenset(json.loads(items_json))
            # Birth dates come back as text and are parsed once per distinct date: on a 1M-subject
            # export, per-row date conversion dominated the time.
            query = (
                select(provision_subjects.c.subject_id, cast(subjects.c.birth_date, String))
                .select_from(
                    provision_subjects.outerjoin(subjects, subjects.c.id == provision_subjects.c.subject_id)
                )
                .where(provision_subjects.c.lineage_id == source_id)
            )
            parsed: dict[str | None, date | None] = {None: None}
            found = []
            for subject_id, born in c.execute(query).all():  # one fetchall, not a fetchone per row
                when = parsed.get(born)
                if when is None and born not in parsed:
                    when = parsed[born] = date.fromisoformat(born[:10])
                found.append(Exposure(subject_id, items, when))
            return found
