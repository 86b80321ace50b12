"""The `mamori` application: discovers command modules and turns errors into clear messages."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer
from rich.markup import escape

try:  # typer vendors click since 0.2x; older releases use click itself
    from typer._click import ClickException
except ImportError:  # pragma: no cover - depends on the installed typer
    from click import ClickException  # type: ignore[no-redef,import-not-found,assignment,unused-ignore]

from mamori.cli import commands
from mamori.cli.console import err
from mamori.errors import InputError, MamoriError, RefusedError
from mamori.i18n import current_lang

HELP = """mamori（守り）— 同意を第一にした日本向けカスタマーデータ基盤。
A consent-first customer data platform for Japan that proves APPI compliance at every step.

データは $MAMORI_HOME（既定 ./mamori-data）に置かれ、初回の実行で台帳が作成・移行されます。
Data lives under $MAMORI_HOME (default ./mamori-data); the ledger is created on first use.
Messages follow MAMORI_LANG (ja | en) or the locale.
"""


def _wanted_modules(argv: list[str] | None) -> list[str]:
    """Return the command modules to import: only the invoked command's, when it is known."""
    every = sorted(m.name for m in pkgutil.iter_modules(commands.__path__))
    words = [a for a in (argv or []) if not a.startswith("-")]
    if words and words[0] in commands.COMMAND_MODULES and "--help" not in (argv or [])[:1]:
        return [commands.COMMAND_MODULES[words[0]]]
    return every


def build_app(argv: list[str] | None = None) -> typer.Typer:
    """Create the Typer app; with `argv`, register only the module of the command it invokes."""
    app = typer.Typer(
        help=HELP,
        no_args_is_help=True,
        rich_markup_mode="rich",
        pretty_exceptions_enable=False,
        add_completion=False,
    )

    @app.callback()
    def root(
        version: bool = typer.Option(False, "--version", help="版を表示 / show the version"),
    ) -> None:
        if version:
            from mamori import __version__

            typer.echo(f"mamori {__version__}")
            raise typer.Exit(0)

    for name in _wanted_modules(argv):
        importlib.import_module(f"{commands.__name__}.{name}").register(app)
    return app


def main() -> None:
    """Run the CLI; a MamoriError becomes a message in the user's language and an exit code."""
    app = build_app(sys.argv[1:])
    try:
        code = app(standalone_mode=False)
    except MamoriError as exc:
        err.print(f"[red]エラー / error:[/red] {escape(exc.message(current_lang()))}", highlight=False)
        code = 2 if isinstance(exc, InputError) else 3 if isinstance(exc, RefusedError) else 1
        sys.exit(code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("中断しました / aborted")
        sys.exit(130)
    except ClickException as exc:  # usage errors: typer vendors click since 0.20
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
