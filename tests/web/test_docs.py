"""Every route and setting of the web edge is documented in docs/web.md."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi.routing import APIRoute

import mamori.web.routes
from tests.paths import REPO


def test_every_route_is_documented() -> None:
    text = (REPO / "docs" / "web.md").read_text(encoding="utf-8")
    missing = []
    for found in pkgutil.iter_modules(mamori.web.routes.__path__):  # every router module, new ones too
        module = importlib.import_module(f"mamori.web.routes.{found.name}")
        for route in module.router.routes:
            if isinstance(route, APIRoute):
                for method in route.methods - {"HEAD"}:
                    if f"{method} {route.path}" not in text:
                        missing.append(f"{method} {route.path}")
    assert not missing, f"undocumented routes: {missing}"


def test_every_web_setting_is_documented() -> None:
    text = (REPO / "docs" / "web.md").read_text(encoding="utf-8")
    for name in ("MAMORI_SMTP_HOST", "MAMORI_SMTP_PORT", "MAMORI_MAIL_FROM"):
        assert f"`{name}`" in text
