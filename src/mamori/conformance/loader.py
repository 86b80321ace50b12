"""Read a scenario file into a validated model; errors name the file, the line and the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from mamori.conformance.models import IncidentScenario, PolicyScenario
from mamori.conformance.yaml_lines import line_of, load_with_lines
from mamori.errors import ScenarioError

Scenario = PolicyScenario | IncidentScenario


def scenario_files(paths: list[Path]) -> list[Path]:
    """Expand files and folders into the scenario files they hold, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")))
        else:
            found.append(path)
    return found


def load_scenario(path: Path) -> Scenario:
    """Read and validate one scenario file."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ScenarioError("ファイルがありません", "no such file", file=name) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"読み込めません（{exc}）", f"cannot read it ({exc})", file=name) from exc
    try:
        data, lines = load_with_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(
            f"YAML として読めません：{problem}", f"not valid YAML: {problem}", file=name, line=line
        ) from exc
    if not isinstance(data, dict):
        raise ScenarioError(
            "シナリオは YAML のマッピングでなければなりません",
            "a scenario must be a YAML mapping",
            file=name,
            line=1,
        )
    model: type[Scenario] = IncidentScenario if "incident" in data else PolicyScenario
    try:
        scenario = model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        field = _field_name(data, loc)
        raise ScenarioError(
            f"値が不正です：{first['msg']}",
            f"invalid value: {first['msg']}",
            file=name,
            line=line_of(lines, _data_path(loc)),
            field=field,
        ) from exc
    if isinstance(scenario, PolicyScenario):
        _check_references(scenario, name, lines)
    return scenario


def _data_path(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    # Pydantic adds validator names (e.g. "function-before[...]") into locations.
    return tuple(p for p in loc if not (isinstance(p, str) and "[" in p))


def _field_name(data: dict[str, Any], loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    node: Any = data
    for part in _data_path(loc):
        if isinstance(part, int):
            ident = node[part].get("id") if isinstance(node, list) and isinstance(node[part], dict) else None
            parts[-1] = f"{parts[-1]}[{ident if ident is not None else part}]" if parts else str(part)
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            parts.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts)


def _check_references(scenario: PolicyScenario, name: str, lines: dict[Any, int]) -> None:
    for section in ("purposes", "items", "terms", "subjects", "requests"):
        seen: set[str] = set()
        for index, entry in enumerate(getattr(scenario, section)):
            key = entry.version if section == "terms" else entry.id
            if key in seen:
                raise ScenarioError(
                    f"{section} の id {key} が重複しています",
                    f"duplicate id {key} in {section}",
                    file=name,
                    line=line_of(lines, (section, index)),
                    field=f"{section}[{key}]",
                )
            seen.add(key)
    request_ids = {r.id for r in scenario.requests}
    for key in scenario.expect or {}:
        if key not in request_ids:
            raise ScenarioError(
                f"expect が存在しない要求 {key} を指しています",
                f"expect names request {key}, which does not exist",
                file=name,
                line=line_of(lines, ("expect", key)),
                field=f"expect.{key}",
            )
