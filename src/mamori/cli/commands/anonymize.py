"""`mamori anonymize`: make anonymized information (匿名加工情報) by the PPC's standards."""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from mamori.cli.console import emit_json, err, out
from mamori.domain.anonymity.models import LKind, PrivacyModel
from mamori.domain.calendar import JST, jst_date
from mamori.domain.provision.lineage import lineage_id
from mamori.errors import InputError
from mamori.i18n import t


def _cols(text: str | None) -> list[str]:
    return [c.strip() for c in (text or "").split(",") if c.strip()]


def _hierarchies(specs: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for spec in specs:
        column, sep, value = spec.partition("=")
        if not sep or not column.strip() or not value.strip():
            raise InputError(
                "--hierarchy は 列=階層 の形式です", "--hierarchy takes COLUMN=HIERARCHY", field=spec
            )
        found[column.strip()] = value.strip()
    return found


def anonymize(
    input_path: Annotated[
        Path, typer.Argument(metavar="INPUT", help="CSV 又は Parquet / CSV or Parquet input")
    ],
    qi: Annotated[str, typer.Option("--qi", help="準識別子の列（カンマ区切り）/ quasi-identifier columns")],
    out_path: Annotated[Path, typer.Option("--out", help="出力（.csv 又は .parquet）/ output file")],
    report_path: Annotated[Path, typer.Option("--report", help="報告書 JSON / report JSON file")],
    k: Annotated[int, typer.Option("--k", help="k-匿名性の k / k of k-anonymity")] = 5,
    sensitive: Annotated[
        str | None, typer.Option("--sensitive", help="機微な列（l・t で保護）/ sensitive columns")
    ] = None,
    keep: Annotated[
        str | None, typer.Option("--keep", help="そのまま残す列 / insensitive columns kept")
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token", help="連結符号（会員ID等）を無作為トークンに / linking codes to random tokens"
        ),
    ] = None,
    l_value: Annotated[float | None, typer.Option("--l", help="l-多様性の l / l of l-diversity")] = None,
    l_kind: Annotated[LKind, typer.Option("--l-kind", help="distinct | entropy")] = LKind.DISTINCT,
    t_value: Annotated[float | None, typer.Option("--t", help="t-近接性の t / t of t-closeness")] = None,
    suppression: Annotated[
        float, typer.Option("--suppression", help="抑制できる割合の上限 / max share of records suppressed")
    ] = 0.05,
    algorithm: Annotated[
        str,
        typer.Option(
            "--algorithm",
            help="mondrian（局所再符号化）| flash（全域一般化の最適解）| greedy（全域一般化の極小解、大規模向け）"
            " / local recoding | optimal full-domain | minimal full-domain by greedy descent (large tables)",
        ),
    ] = "mondrian",
    hierarchy: Annotated[
        list[str] | None,
        typer.Option(
            "--hierarchy",
            help="列=階層: age, date, address, postal_code, yen 又は階層ファイル（値;水準1;水準2…）",
        ),
    ] = None,
    recipient: Annotated[
        str | None,
        typer.Option("--recipient", help="提供先（提供時の明示文を作成）/ recipient for the notice"),
    ] = None,
    provision_method: Annotated[
        str, typer.Option("--provision-method", help="提供の方法 / method of provision")
    ] = "暗号化したファイルの送付 / encrypted file transfer",
    business: Annotated[str, typer.Option("--business", help="作成する事業者名 / business name")] = "当社",
    force: Annotated[
        bool, typer.Option("--force", help="残す列の個人情報検知を確認済みとして続行 / override the PII scan")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="報告書を標準出力へ / report on stdout")] = False,
) -> None:
    """Anonymize a table by PPC Rule 34 and measure its re-identification risk.

    個人情報保護委員会規則第34条の5つの基準（記述等・個人識別符号・連結符号の削除、特異な記述の処理、
    データベースの性質に応じた措置＝k-匿名性等）を実施し、各段階を報告書に記録します。
    役割を指定しない列は識別情報として削除されます。Every column has a role: --qi (generalized),
    --sensitive (kept; protected by --l / --t), --keep (kept as is), --token (random tokens);
    any other column is removed. Suppressed records are left out (within --suppression).
    Next to OUT: the publication (APPI-43-3), the provision notice when --recipient is given
    (APPI-43-4), a manifest; the processing method goes to .mamori-restricted/ (0600, APPI-43-2).
    """
    from mamori.lake.anonymize.engine import Job, run
    from mamori.lake.anonymize.paperwork import write_paperwork

    model = PrivacyModel(k=k, l=l_value, l_kind=l_kind, t=t_value, max_suppression=suppression)
    job = Job(
        input_path,
        out_path,
        qi=_cols(qi),
        sensitive=_cols(sensitive),
        keep=_cols(keep),
        linking=_cols(token),
        model=model,
        algorithm=algorithm,
        hierarchies=_hierarchies(hierarchy or []),
        force=force,
    )
    err.print(t("匿名加工しています…", "anonymizing…"))
    report = run(job)
    now = datetime.now(JST)
    lineage = lineage_id(now, secrets.token_bytes(12))
    method_ja, _, method_en = provision_method.partition(" / ")
    report["lineage_id"] = lineage
    report["files"] = write_paperwork(
        report,
        out_path,
        business=business,
        made_on=jst_date(now),
        recipient=recipient,
        method_ja=method_ja,
        method_en=method_en or method_ja,
        lineage_id=lineage,
    )
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    if as_json:
        emit_json(report)
        return
    got = report["achieved"]
    out.print(
        t(
            f"出力 {report['rows']['out']} 行（抑制 {report['rows']['suppressed']}、隔離 {report['rows']['quarantined']}）"
            f" k={got['k']} 報告書 {report_path}",
            f"wrote {report['rows']['out']} rows (suppressed {report['rows']['suppressed']}, quarantined "
            f"{report['rows']['quarantined']}) k={got['k']} report {report_path}",
        )
    )


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("anonymize")(anonymize)
