"""`mamori provide` and `mamori provisions`: provision with its statutory records, and search them."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from mamori.cli.console import emit_json, err, out
from mamori.domain.anonymity.publication import Texts
from mamori.domain.decision import Text
from mamori.domain.provision.lineage import lineage_id
from mamori.domain.provision.retention import RecordMethod
from mamori.domain.recipients import Recipient, Relation
from mamori.domain.requests import ProvisionKind
from mamori.i18n import t


def _text(value: str | None) -> Text | None:
    if not value:
        return None
    ja, _, en = value.partition(" / ")
    return Text(ja, en or ja)


def provide(
    data: Annotated[Path, typer.Argument(metavar="DATA", help="提供元のデータ（CSV/Parquet）/ source table")],
    purpose: Annotated[str, typer.Option("--purpose", help="提供の目的 / purpose id")],
    items: Annotated[str, typer.Option("--items", help="提供する項目（列）/ items (columns) to provide")],
    out_path: Annotated[Path, typer.Option("--out", help="提供ファイル / export file (.csv/.parquet)")],
    recipient_id: Annotated[str, typer.Option("--recipient-id", help="提供先 ID / recipient id")],
    recipient_name: Annotated[str, typer.Option("--recipient-name", help="提供先の名称 / name")],
    recipient_address: Annotated[str, typer.Option("--recipient-address", help="提供先の住所 / address")],
    representative: Annotated[str, typer.Option("--representative", help="提供先の代表者 / representative")],
    category: Annotated[str, typer.Option("--category", help="提供先の類型 / recipient category")],
    country: Annotated[str, typer.Option("--country", help="提供先の国 / country (ISO 3166)")] = "JP",
    relation: Annotated[
        Relation, typer.Option("--relation", help="提供先との関係 / relation")
    ] = Relation.THIRD_PARTY,
    subject_column: Annotated[
        str, typer.Option("--subject-column", help="本人 ID の列 / subject id column")
    ] = "member_id",
    kind: Annotated[
        ProvisionKind, typer.Option("--kind", help="提供の種類 / provision kind")
    ] = ProvisionKind.PERSONAL_DATA,
    will_link: Annotated[
        bool, typer.Option("--will-link", help="提供先が個人データとして取得（第31条）")
    ] = False,
    confirmation_method: Annotated[
        str, typer.Option("--confirmation-method", help="第31条の確認の方法 / how consent was confirmed")
    ] = "",
    foreign_system: Annotated[
        str | None, typer.Option("--foreign-system", help="外国の制度（ja / en）/ the country's system")
    ] = None,
    foreign_measures: Annotated[
        str | None, typer.Option("--foreign-measures", help="提供先の措置（ja / en）/ recipient's measures")
    ] = None,
    bulk: Annotated[bool, typer.Option("--bulk", help="継続的な提供の一括記録 / bulk record")] = False,
    provision_method: Annotated[
        str,
        typer.Option("--provision-method", help="匿名加工情報の提供の方法（ja / en）/ method (anonymized)"),
    ] = "暗号化したファイルの送付 / encrypted file transfer",
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力 / one JSON document")] = False,
) -> None:
    """Provide data: decide per subject, export exactly the allowed ones, write every record.

    本人ごとに判断し（同意・オプトアウト・外国提供・第31条）、提供できる本人だけを出力します。
    提供記録（第29条）、確認記録（第31条）、外国提供の情報（第28条）を台帳に記録し、
    出力には系譜 ID（lineage id）を付けます。CSV は数式の実行を防ぐ形で書き出します。
    判断の前に同意スナップショットを作成し、そのファイル・ハッシュ・台帳位置を提供記録に残します。
    --kind anonymized は、データに公表（第43条第3項）と項目の記録がなければ拒否し、
    提供先への明示文（第43条第4項）を出力の隣に書いて台帳に記録します。
    The consent snapshot (file, sha256, ledger position) is named in the provider record;
    anonymized data is refused without its publication, and the Art. 43(4) statement is attached.
    """
    import duckdb

    from mamori.bootstrap import build
    from mamori.lake.anonymize.source import open_source, q
    from mamori.lake.provide import DuckDBExporter, snapshot_taker
    from mamori.lake.pseudonymize.engine import is_pseudonymized
    from mamori.ledger.provisions import SqlProvisionStore
    from mamori.services.provide import ProvisionRequest
    from mamori.services.provide import provide as run_provision

    item_names = tuple(i.strip() for i in items.split(",") if i.strip())
    release = None
    if kind is ProvisionKind.ANONYMIZED:  # APPI-43-3/43-4 first: no use deciding about people otherwise
        from mamori.lake.anonymize.published import read_release
        from mamori.services.provide import check_release

        release = read_release(data)
        check_release(kind, release, item_names)
    platform = build()
    con = duckdb.connect()
    open_source(data, con)
    population = tuple(
        str(r[0])
        for r in con.sql(f"SELECT DISTINCT CAST({q(subject_column)} AS VARCHAR) FROM raw").fetchall()
    )
    if is_pseudonymized(data):
        kind = ProvisionKind.PSEUDONYMIZED  # APPI-42-1 decides, whatever was asked
    now = platform.clock.now()
    method_ja, _, method_en = provision_method.partition(" / ")
    recipient = Recipient(
        recipient_id,
        category,
        country,
        relation,
        will_link=will_link,
        consent_confirmed=bool(confirmation_method),
        name=recipient_name,
        address=recipient_address,
        representative=representative,
    )
    lid = lineage_id(now, secrets.token_bytes(12))
    request = ProvisionRequest(
        purpose=purpose,
        recipient=recipient,
        items=item_names,
        population=population,
        at=now,
        lineage_id=lid,
        kind=kind,
        record_method=RecordMethod.BULK if bulk else RecordMethod.EACH,
        confirmation_method=confirmation_method,
        foreign_system=_text(foreign_system),
        foreign_measures=_text(foreign_measures),
        release=release,
        provision_method=Texts(method_ja, method_en or method_ja),
    )
    take = snapshot_taker(
        platform.ledger,
        platform.snapshots,
        now,
        platform.settings.lake_dir / "snapshots" / f"consent-{lid}.parquet",
        platform.settings.policy,
    )

    err.print(t(f"{len(population)} 人について判断しています…", f"deciding for {len(population)} subjects…"))
    provision = run_provision(
        platform.ledger,
        SqlProvisionStore(platform.ledger),
        DuckDBExporter(data, subject_column, request.items, out_path),
        request,
        "operator",
        snapshot=take,
    )
    notice_files = {}
    if provision.notice is not None:  # APPI-43-4: the statement travels with the export
        for lang in ("ja", "en"):
            path = out_path.with_name(f"{out_path.name}.provision-notice.{lang}.txt")
            path.write_text(getattr(provision.notice, lang), encoding="utf-8")
            notice_files[lang] = str(path)
    snap = provision.snapshot
    result: dict[str, Any] = {
        "lineage_id": lid,
        "export": provision.export_path,
        "rows": provision.export_rows,
        "allowed": len(provision.allowed),
        "denied": len(provision.denied),
        "rules": provision.rules,
        "records": [
            {"rule": r.rule, "kind": r.kind, "items": r.items, "keep_until": r.retention.keep_until}
            for r in provision.records
        ],
        "foreign_info": {"ja": provision.foreign_info.ja, "en": provision.foreign_info.en}
        if provision.foreign_info
        else None,
        "consent_snapshot": {"path": snap.path, "sha256": snap.sha256, "position": snap.position}
        if snap
        else None,
        "consent_position": provision.consent_position,
        "notice": notice_files or None,
    }
    if as_json:
        emit_json(result)
        return
    out.print(
        t(
            f"提供 {result['allowed']} 人（除外 {result['denied']} 人）→ {result['export']}  系譜 ID {lid}",
            f"provided {result['allowed']} subjects (excluded {result['denied']}) → {result['export']}  lineage {lid}",
        )
    )
    if snap:
        out.print(t(f"同意スナップショット {snap.describe()}", f"consent snapshot {snap.describe()}"))


def provisions(
    subject: Annotated[str | None, typer.Option("--subject", help="本人 ID / subject id")] = None,
    recipient: Annotated[str | None, typer.Option("--recipient", help="提供先 ID / recipient id")] = None,
    since: Annotated[str | None, typer.Option("--since", help="この日以降（JST）/ from date")] = None,
    until: Annotated[str | None, typer.Option("--until", help="この日まで（JST）/ to date")] = None,
    records: Annotated[bool, typer.Option("--records", help="記録の全項目も / include the records")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON で出力（規制当局向け）/ JSON for a regulator")
    ] = False,
) -> None:
    """Search provisions by subject, recipient and date; with --records, the full statutory records.

    提供の記録を本人・提供先・日付で検索します（本人への開示、監督当局への提出、事故時の対象者の特定）。
    """
    from mamori.bootstrap import build
    from mamori.ledger.provisions import SqlProvisionStore

    store = SqlProvisionStore(build().ledger)
    found = store.search(
        subject=subject,
        recipient=recipient,
        since=date.fromisoformat(since) if since else None,
        until=date.fromisoformat(until) if until else None,
    )
    entries = []
    for p in found:
        entry: dict[str, Any] = {
            "lineage_id": p.lineage_id,
            "kind": p.kind,
            "purpose": p.purpose_id,
            "recipient": p.recipient_id,
            "recipient_name": p.recipient_name,
            "country": p.recipient_country,
            "provided_at": p.provided_at.isoformat(),
            "items": p.items,
            "subjects": p.subjects_allowed,
            "consent_position": p.consent_position,
            "consent_snapshot": store.snapshot_of(p),
        }
        if records:
            entry["records"] = store.records_of(p.lineage_id)
        entries.append(entry)
    if as_json:
        emit_json({"provisions": entries})
        return
    for e in entries:
        out.print(
            f"{e['provided_at']}  {e['lineage_id']}  {e['recipient_name']}  {e['purpose']}  {e['subjects']}"
            f"  {e['consent_snapshot']}"
        )


def receive(
    data: Annotated[Path, typer.Argument(metavar="DATA", help="受領したデータ / the data received")],
    provider_name: Annotated[str, typer.Option("--provider-name", help="提供者の名称 / provider's name")],
    provider_address: Annotated[str, typer.Option("--provider-address", help="提供者の住所 / address")],
    provider_representative: Annotated[
        str, typer.Option("--provider-representative", help="提供者の代表者 / representative")
    ],
    acquisition: Annotated[
        str, typer.Option("--acquisition", help="提供者による取得の経緯 / how the provider obtained it")
    ],
    items: Annotated[str, typer.Option("--items", help="受領した項目 / items received")],
    subject_column: Annotated[str, typer.Option("--subject-column", help="本人 ID の列")] = "member_id",
    opt_out: Annotated[
        bool, typer.Option("--opt-out", help="オプトアウトによる受領 / received by opt-out")
    ] = False,
    ppc_published: Annotated[
        bool, typer.Option("--ppc-published", help="委員会の公表を確認済み / PPC publication checked")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力 / one JSON document")] = False,
) -> None:
    """Record the confirmation of data received from a partner (APPI-30-1).

    提供者の氏名・住所・代表者、取得の経緯等を確認し、確認記録を台帳に残します（第30条）。
    """
    import duckdb

    from mamori.bootstrap import build
    from mamori.domain.calendar import jst_date
    from mamori.domain.provision.records import Basis, Party, recipient_record
    from mamori.errors import RefusedError
    from mamori.lake.anonymize.source import open_source, q
    from mamori.ledger.provisions import SqlProvisionStore

    platform = build()
    con = duckdb.connect()
    open_source(data, con)
    subjects = tuple(
        str(r[0])
        for r in con.sql(f"SELECT DISTINCT CAST({q(subject_column)} AS VARCHAR) FROM raw").fetchall()
    )
    now = platform.clock.now()
    lid = lineage_id(now, secrets.token_bytes(12))
    record = recipient_record(
        basis=Basis.OPT_OUT if opt_out else Basis.CONSENT,
        provider=Party(provider_name, provider_address, provider_representative),
        acquisition=acquisition,
        subjects=subjects,
        items=tuple(i.strip() for i in items.split(",") if i.strip()),
        received_on=jst_date(now),
        lineage_id=lid,
        ppc_published=ppc_published,
    )
    if record.missing():
        raise RefusedError(
            f"確認記録の必須事項が空です: {', '.join(record.missing())}",
            f"required confirmation items are empty: {', '.join(record.missing())}",
            rules=("APPI-30-1",),
        )
    SqlProvisionStore(platform.ledger).record_received(record, "operator")
    result = {"lineage_id": lid, "subjects": len(subjects), "record": record.items, "rule": record.rule}
    if as_json:
        emit_json(result)
        return
    out.print(
        t(
            f"確認記録を作成しました（{lid}、{len(subjects)} 人）",
            f"recorded the confirmation ({lid}, {len(subjects)} persons)",
        )
    )


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    app.command("provide")(provide)
    app.command("provisions")(provisions)
    app.command("receive")(receive)
