"""`mamori incident stats` and `records`: incident statistics across organisations, for consultants."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from mamori.cli.console import emit_json, err, out
from mamori.cli.incident_support import AsJson, incident_app, service
from mamori.domain.incidents.stats import Dimension, record_of, tabulate
from mamori.errors import InputError
from mamori.i18n import t


@incident_app.command("stats")
def stats(
    by: Annotated[
        str, typer.Option(help="cause,size,route,month,quarter,year,organisation をカンマ区切り / dimensions")
    ] = "cause",
    sources: Annotated[
        list[Path] | None,
        typer.Option(
            "--from", help="他組織の記録 CSV（records の形式）/ records CSV from other organisations"
        ),
    ] = None,
    local: Annotated[
        bool,
        typer.Option("--local/--no-local", help="この台帳の事案も含める / include this ledger's incidents"),
    ] = True,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV を標準出力へ / CSV on stdout")] = False,
    as_json: AsJson = False,
) -> None:
    """Count incidents across organisations by cause, size, infection route and period.

    組織横断の事案統計（原因・規模・侵入経路・期間別）。コンサルタント向け。--csv で CSV 出力。
    """
    from mamori.services.incidents.records import read_records

    try:
        dims = [Dimension(d.strip()) for d in by.split(",") if d.strip()]
    except ValueError:
        raise InputError(f"集計軸が不正です: {by}", f"unknown dimension in: {by}", field="by") from None
    records = [record_of(i) for i in service().all()] if local else []
    for path in sources or []:
        batch = read_records(path.read_text(encoding="utf-8-sig"), str(path))
        records += batch.accepted
        for problem in batch.quarantined:
            err.print(f"[yellow]{t('隔離', 'quarantined')}:[/yellow] {escape(str(problem))}")
        err.print(
            t(
                f"{path}: {batch.rows_in}行 = 採用{len(batch.accepted)} + 隔離{len(batch.quarantined)}",
                f"{path}: {batch.rows_in} rows = {len(batch.accepted)} accepted + {len(batch.quarantined)} quarantined",
            )
        )
    rows = tabulate(records, dims)
    header = [d.value for d in dims] + ["incidents", "reportable", "persons", "organisations"]
    body = [[*r.key, r.incidents, r.reportable, r.persons, r.organisations] for r in rows]
    if as_json:
        emit_json(
            {"by": [d.value for d in dims], "rows": [dict(zip(header, line, strict=True)) for line in body]}
        )
    elif as_csv:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)
    else:
        table = Table(*header)
        for line in body:
            table.add_row(*map(str, line))
        out.print(table)


@incident_app.command("records")
def records() -> None:
    """Export this ledger's incidents as anonymous statistics records (CSV, for a consultant).

    事案を統計用の記録（個人データを含まない CSV）として出力します。
    """
    from mamori.services.incidents.records import write_records

    sys.stdout.write(write_records(record_of(i) for i in service().all()))
