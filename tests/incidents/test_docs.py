"""Every incident and backup command is documented in docs/incidents.md."""

from __future__ import annotations

import pytest

from mamori.cli.commands.incident import register
from mamori.cli.incident_support import incident_app
from tests.paths import REPO

DOC = (REPO / "docs" / "incidents.md").read_text(encoding="utf-8")


def _incident_commands() -> list[str]:
    import typer

    register(typer.Typer())  # imports the step commands too
    return sorted(str(c.name) for c in incident_app.registered_commands)


@pytest.mark.parametrize("command", _incident_commands())
def test_every_incident_command_is_documented(command: str) -> None:
    assert f"`{command}`" in DOC or f"incident {command}" in DOC, command


@pytest.mark.parametrize("command", ["mamori backup", "mamori restore", "mamori backups"])
def test_backup_commands_are_documented(command: str) -> None:
    assert command in DOC
