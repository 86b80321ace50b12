"""`mamori psi`: private set intersection with another party — the overlap, and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from mamori.cli.console import emit_json, err, out
from mamori.i18n import t

app = typer.Typer(
    help="""秘密集合共通部分（PSI, ristretto255 上の ECDH）/ private set intersection.

相手方に自分のリストを渡さずに、共通する人数（又はプラットフォーム側のみ、共通する自社の会員）を求めます。
Learn the overlap of two customer lists without either side handing over the others.
Over HTTP: the platform runs `psi serve`, the client `psi connect`. Over files:
platform `offer` → client `answer` → platform `finish` → client `count`. See docs/match.md.""",
    no_args_is_help=True,
)

ContextOpt = Annotated[
    str, typer.Option("--context", help="両者で合意した案件 ID / engagement id agreed by both sides")
]
OnOpt = Annotated[str, typer.Option("--on", help="照合する識別子 / identifiers: email,phone")]
MappingOpt = Annotated[Path | None, typer.Option("--mapping", help="列名の対応表 / header mapping")]
JsonOpt = Annotated[bool, typer.Option("--json", help="JSON を標準出力へ / one JSON document")]
ModeOpt = Annotated[
    str,
    typer.Option("--mode", help="size: 件数のみ / count only; members: 自社の該当会員も / also own subjects"),
]
AllowOpt = Annotated[
    bool,
    typer.Option(
        "--allow-members", help="相手方が自社会員の該当を知ることを許可 / let the platform learn its members"
    ),
]
MembersOut = Annotated[
    Path | None,
    typer.Option("--members-out", help="該当した自社の会員 ID (CSV) / own subjects in the overlap"),
]

RunIdOpt = Annotated[
    str | None,
    typer.Option(
        "--run-id",
        help="この実行を lake/psi に記録する ID（統計情報の population: {psi: RUN_ID}）/ record the run under "
        "this id for insight requests",
    ),
]
RecipientOpt = Annotated[
    str | None,
    typer.Option("--recipient", help="相手方の提供先 ID（--run-id と共に）/ the client's recipient id"),
]


def _record(
    outcome: object, run_id: str | None, recipient: str | None, mode: str, context: str
) -> dict[str, Any]:
    """Keep what the platform learned under a run id and chain it in the audit log."""
    if run_id is None:
        return {}
    from dataclasses import asdict

    from mamori.bootstrap import build
    from mamori.lake.psi.protocol import Outcome
    from mamori.lake.psi.runs import PsiRuns

    assert isinstance(outcome, Outcome)
    platform = build()
    at = platform.clock.now().isoformat(timespec="seconds")
    run = PsiRuns(platform.settings.lake_dir).record(
        run_id, outcome, recipient=recipient or "", mode=mode, context=context, recorded_at=at
    )
    with platform.ledger.transaction("mamori psi") as tx:
        tx.audit("psi-run-recorded", "mamori psi", asdict(run))
    err.print(t(f"PSI の実行 {run_id} を記録しました", f"PSI run {run_id} recorded"))
    return {"run_id": run_id, "recipient": run.recipient}


def _check_run(run_id: str | None, recipient: str | None) -> None:
    """Refuse a half-given record before any work (the exchange cannot be repeated for free)."""
    from mamori.lake.psi.runs import check_run

    if run_id is not None:
        check_run(run_id, recipient)


def _report(
    outcome: object, as_json: bool, members_out: Path | None, extra: dict[str, Any] | None = None
) -> None:
    from mamori.lake.match.writer import write_frame
    from mamori.lake.psi.protocol import Outcome

    assert isinstance(outcome, Outcome)
    if members_out is not None and outcome.members is not None:
        import polars as pl

        write_frame(pl.DataFrame({"id": list(outcome.members)}, schema={"id": pl.String}), members_out)
    doc = {
        "intersection_size": outcome.size,
        "own_elements": outcome.own_count,
        "peer_elements": outcome.peer_count,
        "members": len(outcome.members) if outcome.members is not None else None,
        "members_out": str(members_out) if members_out and outcome.members is not None else None,
        **(extra or {}),
    }
    if as_json:
        emit_json(doc)
        return
    out.print(
        t(
            f"共通部分: {outcome.size} 件（自社 {outcome.own_count} 件, 相手方 {outcome.peer_count} 件）",
            f"intersection: {outcome.size} (own {outcome.own_count}, peer {outcome.peer_count})",
        )
    )
    if outcome.members is not None:
        out.print(
            t(f"該当した自社の会員: {len(outcome.members)} 人", f"own subjects in it: {len(outcome.members)}")
        )


@app.command("serve")
def serve(
    file: Annotated[Path, typer.Argument(help="自社の会員ファイル / platform's member file")],
    context: ContextOpt,
    mode: ModeOpt = "size",
    on: OnOpt = "email,phone",
    port: Annotated[int, typer.Option("--port", help="127.0.0.1 の待受ポート / port on 127.0.0.1")] = 8765,
    sessions: Annotated[int, typer.Option("--sessions", help="終了までのセッション数 / sessions")] = 1,
    mapping: MappingOpt = None,
    members_out: MembersOut = None,
    run_id: RunIdOpt = None,
    recipient: RecipientOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Serve the platform side on 127.0.0.1 (behind a TLS proxy across machines)."""
    from mamori.errors import InputError
    from mamori.lake.psi.elements import identifiers, parse_kinds
    from mamori.lake.psi.http import PsiServer

    _check_run(run_id, recipient)
    if run_id is not None and sessions != 1:
        raise InputError(
            "--run-id は --sessions 1 のときだけ使えます", "--run-id needs --sessions 1", field="--run-id"
        )
    idents = identifiers(file, parse_kinds(on), mapping)
    server = PsiServer(idents, mode=mode, context=context, port=port, sessions=sessions)
    err.print(t(f"待受中: {server.url}", f"listening on {server.url}"))
    server.serve()
    for outcome in server.outcomes:
        _report(outcome, as_json, members_out, _record(outcome, run_id, recipient, mode, context))


@app.command("connect")
def connect(
    url: Annotated[str, typer.Argument(help="プラットフォームの URL / platform URL")],
    file: Annotated[Path, typer.Argument(help="自社の顧客ファイル / client's customer file")],
    context: ContextOpt,
    on: OnOpt = "email,phone",
    allow_members: AllowOpt = False,
    mapping: MappingOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run the client side against a platform's `psi serve`; learn the intersection size."""
    from mamori.lake.psi import http
    from mamori.lake.psi.elements import identifiers, parse_kinds

    idents = identifiers(file, parse_kinds(on), mapping)
    _report(http.connect(url, idents, context=context, allow_members=allow_members), as_json, None)


@app.command("offer")
def offer(
    file: Annotated[Path, typer.Argument(help="自社の会員ファイル / platform's member file")],
    context: ContextOpt,
    state: Annotated[Path, typer.Option("--state", help="秘密の状態ファイル / private state file")],
    output: Annotated[Path, typer.Option("--out", help="相手方へ送るファイル / file for the peer")],
    mode: ModeOpt = "size",
    on: OnOpt = "email,phone",
    mapping: MappingOpt = None,
) -> None:
    """Platform, step 1: write the blinded offer for the client; keep the state private."""
    from mamori.lake.psi import wire
    from mamori.lake.psi.elements import identifiers, parse_kinds
    from mamori.lake.psi.protocol import Platform

    party = Platform(identifiers(file, parse_kinds(on), mapping), mode=mode, context=context)
    wire.write(output, party.offer())
    party.save(state)
    err.print(t(f"申出を書きました: {output}", f"offer written to {output}"))


@app.command("answer")
def answer(
    file: Annotated[Path, typer.Argument(help="自社の顧客ファイル / client's customer file")],
    offer_file: Annotated[Path, typer.Argument(help="受け取った申出 / the offer received")],
    context: ContextOpt,
    state: Annotated[Path, typer.Option("--state", help="秘密の状態ファイル / private state file")],
    output: Annotated[Path, typer.Option("--out", help="相手方へ送るファイル / file for the peer")],
    on: OnOpt = "email,phone",
    allow_members: AllowOpt = False,
    mapping: MappingOpt = None,
) -> None:
    """Client, step 2: answer the offer; the key is discarded, the state keeps only blinded values."""
    from mamori.lake.psi import wire
    from mamori.lake.psi.elements import identifiers, parse_kinds
    from mamori.lake.psi.protocol import Client

    party = Client(identifiers(file, parse_kinds(on), mapping), context=context, allow_members=allow_members)
    wire.write(output, party.answer(wire.read(offer_file), str(offer_file)))
    party.save(state)
    err.print(t(f"応答を書きました: {output}", f"answer written to {output}"))


@app.command("finish")
def finish(
    answer_file: Annotated[Path, typer.Argument(help="受け取った応答 / the answer received")],
    state: Annotated[Path, typer.Option("--state", help="offer の状態ファイル / state from offer")],
    output: Annotated[Path, typer.Option("--out", help="相手方へ送る結果 / result for the peer")],
    members_out: MembersOut = None,
    run_id: RunIdOpt = None,
    recipient: RecipientOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Platform, step 3: compute the intersection; write the result the client counts with."""
    from mamori.lake.psi import wire
    from mamori.lake.psi.protocol import Platform

    _check_run(run_id, recipient)
    party = Platform.load(state)
    outcome, result = party.finish(wire.read(answer_file), str(answer_file))
    wire.write(output, result)
    state.unlink()  # the secret scalar is no longer needed: destroy it
    _report(outcome, as_json, members_out, _record(outcome, run_id, recipient, party.mode, party.context))


@app.command("count")
def count(
    result_file: Annotated[Path, typer.Argument(help="受け取った結果 / the result received")],
    state: Annotated[Path, typer.Option("--state", help="answer の状態ファイル / state from answer")],
    as_json: JsonOpt = False,
) -> None:
    """Client, step 4: count the intersection size."""
    from mamori.lake.psi import wire
    from mamori.lake.psi.protocol import Client

    outcome = Client.load(state).count(wire.read(result_file), str(result_file))
    state.unlink()
    _report(outcome, as_json, None)


def register(root: typer.Typer) -> None:
    """Add the command group to the app."""
    root.add_typer(app, name="psi")
