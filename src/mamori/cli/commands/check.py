"""`mamori check`: run the conformance scenarios — the law, as executable examples."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from mamori.cli.console import emit_json, err, out
from mamori.conformance.loader import scenario_files
from mamori.conformance.runner import ScenarioResult, run_file
from mamori.i18n import current_lang, t


def check(
    paths: Annotated[
        list[Path], typer.Argument(help="シナリオのファイル又はフォルダ / scenario files or folders")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="機械可読な JSON を標準出力へ / one JSON document on stdout")
    ] = False,
) -> None:
    """Run conformance scenarios; the last line is "N passed, N failed".

    シナリオ（conformance/README.md の形式）を実行し、期待値と照合します。
    With --json, prints one document {"results": [...]} and needs no `expect`.
    """
    lang = current_lang()
    files = scenario_files(paths)
    if not files:
        err.print(t("シナリオが見つかりません", "no scenario files found"))
        raise typer.Exit(2)
    results = [run_file(path, lang) for path in files]
    if as_json:
        entries: list[dict[str, object]] = []
        for result in results:
            if result.error is not None:
                entries.append({"scenario": result.scenario, "file": str(result.path), "error": result.error})
            entries.extend(o.entry for o in result.outcomes)
        emit_json({"results": entries})
        raise typer.Exit(0 if all(r.passed for r in results) else 1)
    _print_human(results)
    judged = [r for r in results if r.judged]
    passed = sum(r.passed for r in judged)
    failed = len(judged) - passed
    out.print(f"{passed} passed, {failed} failed")
    raise typer.Exit(1 if failed else 0)


def _print_human(results: list[ScenarioResult]) -> None:
    for result in results:
        if result.error is not None:
            out.print(f"[red]✗[/red] {escape(result.error)}")
            continue
        mark = "[green]✓[/green]" if result.passed else "[red]✗[/red]"
        if not result.judged:
            mark = "[yellow]·[/yellow]"
        out.print(f"{mark} {escape(result.scenario)} ({escape(result.path.name)})")
        for outcome in result.outcomes:
            label = outcome.entry.get("request", "incident")
            for failure in outcome.failures:
                out.print(f"    [red]{escape(str(label))}[/red]: {escape(failure)}")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("check")(check)
