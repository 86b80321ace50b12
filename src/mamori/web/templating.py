"""Jinja2 templates with autoescaping, and the ja/en text helper every page uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from mamori.web.labels import label

TEMPLATES_DIR = Path(__file__).with_name("templates")


def make_templates() -> Jinja2Templates:
    """Create the template set (autoescape is on for .html in Starlette's environment)."""
    return Jinja2Templates(directory=str(TEMPLATES_DIR))


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a page in the visitor's language with the CSRF token and account at hand."""
    lang = getattr(request.state, "lang", "ja")

    def tr(ja: str, en: str) -> str:
        return en if lang == "en" else ja

    def plain(table: str, code: str) -> str:
        return label(table, code, lang)

    values: dict[str, Any] = {
        "lang": lang,
        "tr": tr,
        "label": plain,
        "csrf": getattr(request.state, "csrf", ""),
        "account": getattr(request.state, "account", None),
    }
    values.update(context or {})
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, values, status_code=status_code)
