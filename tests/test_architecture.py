"""The layers of DESIGN.md: imports point inward only, and the domain stays pure."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from tests.paths import SRC

LEAVES = {"errors", "i18n", "__init__", "__main__", "py"}
ALLOWED: dict[str, set[str]] = {
    "domain": {"domain"},
    "settings": {"domain", "i18n"},
    "services": {"domain", "services", "errors", "i18n"},
    "conformance": {"domain", "conformance", "errors"},
    "ledger": {"domain", "services", "ledger", "errors", "settings", "i18n"},
    "lake": {"domain", "services", "lake", "errors", "settings", "i18n"},
    "testing": {"domain", "services", "testing", "errors"},
    "documents": {"domain", "services", "documents", "errors", "i18n"},
    "files": {"domain", "services", "files", "errors", "settings", "i18n"},
    "bootstrap": {"domain", "services", "ledger", "lake", "errors", "settings", "i18n", "bootstrap", "files"},
    "web": {"domain", "services", "web", "errors", "settings", "i18n", "bootstrap", "documents"},
    "demo": {
        "domain",
        "services",
        "ledger",
        "lake",
        "errors",
        "settings",
        "i18n",
        "bootstrap",
        "demo",
        "documents",
        "files",
    },
    "cli": {
        "demo",
        "domain",
        "services",
        "cli",
        "errors",
        "settings",
        "i18n",
        "bootstrap",
        "conformance",
        "web",
        "lake",
        "ledger",
        "documents",
        "files",
    },
}


def _layer(path: str) -> str:
    rel = path.split("/src/mamori/", 1)[1]
    return rel.split("/", 1)[0].removesuffix(".py")


def _imports() -> list[tuple[str, str, int]]:
    found = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name.startswith("mamori."):
                    found.append((str(path), name.split(".")[1], node.lineno))
    return found


def test_imports_point_inward_only() -> None:
    bad = []
    for path, target, line in _imports():
        layer = _layer(path)
        if layer in LEAVES or target in LEAVES:
            continue
        allowed = ALLOWED.get(layer)
        assert allowed is not None, f"{path}: layer {layer!r} is not in the architecture test"
        if target not in allowed:
            bad.append(f"{path}:{line} ({layer} -> {target})")
    assert not bad, "imports point outward:\n" + "\n".join(bad)


@pytest.mark.parametrize(
    "heavy",
    [
        "sqlalchemy",
        "fastapi",
        "typer",
        "duckdb",
        "pyspark",
        "polars",
        "pandas",
        "pyarrow",
        "alembic",
        "httpx",
    ],
)
def test_domain_imports_no_io_framework(heavy: str) -> None:
    code = (
        "import sys, pkgutil, importlib, mamori.domain as d\n"
        "for m in pkgutil.walk_packages(d.__path__, 'mamori.domain.'): importlib.import_module(m.name)\n"
        f"print({heavy!r} in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC.parent)},
    )
    assert result.stdout.strip() == "False", f"the domain loaded {heavy}"
