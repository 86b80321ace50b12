"""Answer scenarios with the domain and judge the answers against their `expect`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from mamori.conformance.loader import load_scenario
from mamori.conformance.models import IncidentExpect, IncidentScenario, PolicyExpect, PolicyScenario
from mamori.conformance.world import build_request, build_world
from mamori.domain.calendar import as_jst
from mamori.domain.decision import Decision
from mamori.domain.incidents.facts import Cause, IncidentFacts
from mamori.domain.incidents.reportability import Reportability, assess
from mamori.domain.policy import decide
from mamori.errors import ScenarioError

# Words a scenario author may use for a cause, folded onto mamori's causes.
_CAUSE_ALIASES = {
    "web_skimming": Cause.SKIMMING,
    "employee_theft": Cause.INSIDER_THEFT,
    "insider": Cause.INSIDER_THEFT,
    "hacking": Cause.UNAUTHORIZED_ACCESS,
    "cyberattack": Cause.UNAUTHORIZED_ACCESS,
    "lost": Cause.LOST_DEVICE,
    "loss": Cause.LOST_DEVICE,
    "misdirected_email": Cause.MISDELIVERY,
    "misdirected": Cause.MISDELIVERY,
}


@dataclass
class Outcome:
    """One answered entry: a request's decision, an incident's assessment, or a file error."""

    scenario: str
    entry: dict[str, Any]
    judged: bool = False
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Tell whether the answer matched the expectation (unjudged entries pass)."""
        return not self.failures


@dataclass
class ScenarioResult:
    """All outcomes of one file."""

    path: Path
    scenario: str
    outcomes: list[Outcome]
    error: str | None = None

    @property
    def judged(self) -> bool:
        """Tell whether anything in the file had an expectation (errors count as judged)."""
        return self.error is not None or any(o.judged for o in self.outcomes)

    @property
    def passed(self) -> bool:
        """Tell whether the file loaded and every judged outcome matched."""
        return self.error is None and all(o.passed for o in self.outcomes)


def run_file(path: Path, lang: str = "ja") -> ScenarioResult:
    """Load, answer and judge one scenario file; a file error is a result, not an exception."""
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        return ScenarioResult(path, path.stem, [], error=exc.message(lang))
    if isinstance(scenario, IncidentScenario):
        return ScenarioResult(path, scenario.scenario, [_incident(scenario)])
    return ScenarioResult(path, scenario.scenario, _policy(scenario))


def _policy(scenario: PolicyScenario) -> list[Outcome]:
    world = build_world(scenario)
    outcomes = []
    for spec in scenario.requests:
        decision = decide(world, build_request(spec))
        outcome = Outcome(scenario.scenario, decision_entry(scenario.scenario, spec.id, decision))
        expect = (scenario.expect or {}).get(spec.id)
        if expect is not None:
            outcome.judged = True
            outcome.failures = _judge_decision(decision, expect)
        outcomes.append(outcome)
    return outcomes


def decision_entry(scenario: str, request_id: str, decision: Decision) -> dict[str, Any]:
    """Render a decision in the machine format of conformance/README.md."""
    return {
        "scenario": scenario,
        "request": request_id,
        "decision": decision.verdict.value,
        "rules": list(decision.rules),
        "obligations": list(decision.obligations),
        "explanation": {"ja": decision.explanation.ja, "en": decision.explanation.en},
    }


def _judge_decision(decision: Decision, expect: PolicyExpect) -> list[str]:
    failures = []
    if decision.verdict.value != expect.decision:
        failures.append(f"decision: expected {expect.decision}, got {decision.verdict.value}")
    failures += _judge_ids("rules", expect.rules, decision.rules)
    failures += _judge_ids("obligations", expect.obligations, decision.obligations)
    return failures


def _judge_ids(name: str, expected: list[str] | None, actual: tuple[str, ...]) -> list[str]:
    """Expected ids must all be cited; an explicitly empty list means none may be."""
    if expected is None:
        return []
    if not expected:
        return [f"{name}: expected none, got {list(actual)}"] if actual else []
    missing = [r for r in expected if r not in actual]
    return [f"{name}: expected {expected}, got {list(actual)}"] if missing else []


def incident_facts(spec: Any) -> IncidentFacts:
    """Build the domain's incident facts from a scenario's incident block."""
    raw = str(spec.cause).strip().lower().replace("-", "_")
    try:
        cause = Cause(raw)
    except ValueError:
        cause = _CAUSE_ALIASES.get(raw, Cause.OTHER)
    return IncidentFacts(
        aware_at=as_jst(spec.aware_at),
        event=spec.event,
        cause=cause,
        persons=spec.persons,
        items=tuple(spec.items),
        suspected=spec.suspected,
        sensitive=spec.sensitive,
        financial=spec.financial,
        encryption=spec.encryption,
        backup=spec.backup,
    )


def reportability_entry(result: Reportability) -> dict[str, Any]:
    """Render an incident assessment in the machine format."""

    def iso(day: date | None) -> str | None:
        return day.isoformat() if day else None

    return {
        "reportable": result.reportable,
        "categories": list(result.categories),
        "preliminary_due": iso(result.preliminary_due),
        "final_due": iso(result.final_due),
        "notify_subjects": result.notify_subjects,
        "rules": list(result.rules),
    }


def _incident(scenario: IncidentScenario) -> Outcome:
    result = assess(incident_facts(scenario.incident))
    outcome = Outcome(
        scenario.scenario, {"scenario": scenario.scenario, "incident": reportability_entry(result)}
    )
    if scenario.expect is not None:
        outcome.judged = True
        outcome.failures = _judge_incident(result, scenario.expect)
    return outcome


def _judge_incident(result: Reportability, expect: IncidentExpect) -> list[str]:
    failures = []
    given = expect.model_fields_set
    for name in ("reportable", "preliminary_due", "final_due", "notify_subjects"):
        if name in given and getattr(expect, name) != getattr(result, name):
            failures.append(f"{name}: expected {getattr(expect, name)}, got {getattr(result, name)}")
    if expect.categories is not None and sorted(expect.categories) != sorted(result.categories):
        failures.append(f"categories: expected {expect.categories}, got {list(result.categories)}")
    failures += _judge_ids("rules", expect.rules, result.rules) if expect.rules else []
    return failures
