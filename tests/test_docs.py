"""Docs are part of the product: every command and setting is documented."""

from __future__ import annotations

import dataclasses

from mamori.cli.reference import command_paths
from mamori.settings import Settings
from tests.paths import REPO


def test_every_cli_command_is_in_the_reference() -> None:
    reference = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [path for path, _ in command_paths() if f"`{path}`" not in reference]
    assert not missing, f"regenerate docs/cli.md (python -m mamori.cli.reference): {missing}"


def test_every_setting_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for env in (
        "MAMORI_HOME",
        "MAMORI_DATABASE_URL",
        "MAMORI_LANG",
        "MAMORI_SMTP_HOST",
        "MAMORI_SMTP_PORT",
        "MAMORI_MAIL_FROM",
    ):
        assert env in readme
    assert {f.name for f in dataclasses.fields(Settings)} == {
        "home",
        "database_url",
        "lang",
        "policy",
        "smtp_host",
        "smtp_port",
        "mail_from",
    }


def test_the_command_map_names_the_module_of_every_top_level_command() -> None:
    import importlib
    import pkgutil

    import typer
    from typer.main import get_command

    from mamori.cli import commands

    registered: dict[str, str] = {}
    for module in pkgutil.iter_modules(commands.__path__):
        app = typer.Typer()

        @app.callback()
        def root() -> None: ...

        importlib.import_module(f"{commands.__name__}.{module.name}").register(app)
        for name in get_command(app).commands:  # type: ignore[attr-defined]
            registered[name] = module.name
    assert registered == commands.COMMAND_MODULES
