"""`mamori demo`: the main job — a synthetic world on the embedded defaults, end to end."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import TaskID

from mamori.cli.console import out, progress
from mamori.i18n import current_lang, t


def demo(
    members: Annotated[int, typer.Option(min=10, help="会員数 / number of members")] = 20_000,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="終了後にポータルを起動しない / don't start the portal")
    ] = False,
) -> None:
    """Build a synthetic world and run every capability end to end, saying what was done.

    合成データで会員・利用目的・規約・同意履歴を作り、同意スナップショットを取り、判断の理由を示します。
    Uses $MAMORI_HOME (default ./mamori-data); a folder the demo made before is rebuilt, any other
    non-empty folder is refused.
    """
    from mamori.demo.run import run_demo

    lang = current_lang()
    with progress() as bar:
        tasks: dict[str, TaskID] = {}

        def step(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done, total=total)

        report = run_demo(members, step)
    out.print(
        t(f"\n[bold]mamori デモ[/bold]（{report.home}）", f"\n[bold]mamori demo[/bold] ({report.home})")
    )
    out.print(
        t(
            f"会員 {report.members:,} 人、同意イベント {report.events:,} 件を台帳に記録しました（監査ログ付き）",
            f"recorded {report.members:,} members and {report.events:,} consent events (audit-chained)",
        )
    )
    if report.snapshot is not None:
        snap = report.snapshot
        out.print(
            t(
                f"同意スナップショット：{snap.path}（台帳位置 {snap.position}）",
                f"consent snapshot: {snap.path} (ledger position {snap.position})",
            )
        )
        for purpose, count in snap.granted.items():
            out.print(f"  {purpose:<22} {count:>8,} " + t("人が同意", "granted"))
    out.print(
        t(
            "\n[bold]判断の例[/bold]（根拠となる規則つき）",
            "\n[bold]Decisions explained[/bold] (with their rules)",
        )
    )
    for label, decision in report.decisions:
        mark = "[green]許可/allow[/green]" if decision.allowed else "[red]拒否/deny[/red]"
        out.print(f"  {mark} {escape(label)}")
        out.print(f"      {escape(decision.explanation.in_lang(lang))}")
    for note in report.notes:
        out.print(f"  {escape(note)}")
    out.print(t("\n次に見る場所：", "\nWhere to look next:"))
    out.print("  mamori audit verify      " + t("監査ログの検証", "verify the audit chain"))
    out.print("  mamori check ../shared/conformance   " + t("法の適合シナリオ", "the legal scenarios"))
    out.print("  mamori --help")
    if not no_serve:
        from mamori.cli.commands.serve import run_server
        from mamori.settings import Settings

        run_server(Settings.from_env(), "127.0.0.1", 8000)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("demo")(demo)
