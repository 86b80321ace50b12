"""Run an anonymization end to end: roles, the five Rule 34 steps, search, output, report.

PPC Rule 34: (1) identifying descriptions deleted, (2) identification codes deleted,
(3) linking codes deleted, (4) peculiar values generalized, (5) a privacy model for the
database's character. Each step is logged; the output is written only when all five are.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from mamori.domain.anonymity.hierarchies import BUILT_IN, Hierarchy, age_bands, parse_hierarchy_text
from mamori.domain.anonymity.models import PrivacyModel, Role, Roles, Step, StepLog, missing_steps
from mamori.domain.anonymity.pii import PiiKind, scan_column
from mamori.errors import InputError, RefusedError
from mamori.lake.anonymize import descent, flash, mondrian
from mamori.lake.anonymize.checks import released_t
from mamori.lake.anonymize.flash import Solution
from mamori.lake.anonymize.labels import shown
from mamori.lake.anonymize.metrics import achieved, risk, utility
from mamori.lake.anonymize.output import write_release
from mamori.lake.anonymize.source import Source, build_frame, open_source, prepare, q

ALGORITHMS = ("mondrian", "flash", "greedy")


@dataclass(slots=True)
class Job:
    """What to anonymize and how."""

    input: Path
    out: Path
    qi: list[str]
    sensitive: list[str] = field(default_factory=list)
    keep: list[str] = field(default_factory=list)
    linking: list[str] = field(default_factory=list)
    model: PrivacyModel = field(default_factory=lambda: PrivacyModel(k=5))
    algorithm: str = "mondrian"  # local recoding keeps more detail than full-domain: the default
    hierarchies: dict[str, str] = field(default_factory=dict)  # column -> built-in name or file
    force: bool = False
    clip: float = 0.999


def _hierarchy(column: str, spec: str) -> Hierarchy:
    if spec in BUILT_IN:
        return BUILT_IN[spec]()
    path = Path(spec)
    if not path.is_file():
        raise InputError(
            f"階層 {spec} は組込み（{', '.join(BUILT_IN)}）でもファイルでもありません",
            f"hierarchy {spec} is neither built in ({', '.join(BUILT_IN)}) nor a file",
            field=column,
        )
    return parse_hierarchy_text(path.read_text(encoding="utf-8-sig"), str(path))


def _scan(source: Source, roles: Roles, force: bool) -> tuple[list[StepLog], dict[str, PiiKind]]:
    """Rule 34(1)-(2): remove undeclared columns; refuse declared ones that hold PII unless forced."""
    found: dict[str, PiiKind] = {}
    for column in roles.by_column:
        kind = scan_column(column, source.sample(column, 200))
        if kind is not None:
            found[column] = kind
    declared = {c: k for c, k in found.items() if roles.by_column[c] not in (Role.IDENTIFYING, Role.LINKING)}
    if declared and not force:
        listed = ", ".join(f"{c} ({k.value})" for c, k in declared.items())
        raise RefusedError(
            f"残す列に氏名・連絡先・個人識別符号らしき値があります: {listed}（--force で確認済みとして続行）",
            f"columns to keep seem to hold names, contact data or identification codes: {listed} "
            "(use --force once checked)",
            rules=("PPC-RULE-34",),
        )
    removed = roles.of(Role.IDENTIFYING)
    codes = [c for c in removed if found.get(c) is PiiKind.IDENTIFICATION_CODE]
    descriptions = [c for c in removed if c not in codes]
    logs = [
        StepLog(
            Step.IDENTIFYING_DESCRIPTIONS,
            "役割の指定のない列を削除（識別する記述等とみなす）",
            "removed every column without a declared role (treated as identifying)",
            tuple(descriptions),
            len(descriptions),
        ),
        StepLog(
            Step.IDENTIFICATION_CODES,
            "個人識別符号の列を削除し、残す列に個人識別符号がないことを検査",
            "removed identification-code columns and scanned kept columns for codes"
            + (f" (forced past: {', '.join(declared)})" if declared else ""),
            tuple(codes),
            len(codes),
        ),
    ]
    return logs, found


def _resolve_hierarchies(job: Job, source: Source) -> dict[str, Hierarchy]:
    resolved = {c: _hierarchy(c, spec) for c, spec in job.hierarchies.items()}
    for column in job.qi:
        if column not in resolved and column.lower() in ("age", "年齢") and source.is_numeric(column):
            resolved[column] = age_bands()  # ages ≥ 90 grouped: the PPC's example of a peculiar value
    for column in resolved:
        if column not in job.qi:
            raise InputError(
                "階層は準識別子にのみ指定できます", "hierarchies apply to --qi columns", field=column
            )
    return resolved


def _peculiar(job: Job, source: Source, hierarchies: dict[str, Hierarchy]) -> StepLog:
    """Rule 34(4): count what top/bottom coding changed."""
    affected = 0
    columns = []
    notes_en = []
    for column, hierarchy in hierarchies.items():
        if hierarchy.name == "age":
            hit = source.con.sql(f"SELECT count(*) FROM src WHERE {q(column)} >= 90").fetchall()[0]
            affected += int(hit[0]) if hit else 0
            columns.append(column)
            notes_en.append(f"{column}: ages of 90 or more shown as 90+")
    for column, (low, high, hit_count) in source.clipped.items():
        affected += hit_count
        columns.append(column)
        notes_en.append(f"{column}: values outside [{low:g}, {high:g}] top/bottom-coded")
    return StepLog(
        Step.PECULIAR_DESCRIPTIONS,
        f"90歳以上の年齢を「90+」に、数値の極端な値（上下 {100 * (1 - job.clip):g}%）を分位点に置換",
        "; ".join(notes_en) or f"no value beyond the {job.clip:g} quantiles or age 90",
        tuple(columns),
        affected,
    )


def run(job: Job, con: duckdb.DuckDBPyConnection | None = None) -> dict[str, Any]:
    """Anonymize ``job.input`` into ``job.out`` and return the report (a JSON-ready dict)."""
    if job.algorithm not in ALGORITHMS:
        raise InputError(
            f"アルゴリズムは {ALGORITHMS} のいずれかです", f"algorithm must be one of {ALGORITHMS}"
        )
    started = time.perf_counter()
    source = open_source(job.input, con)
    roles = Roles.declare(
        list(source.types), qi=job.qi, sensitive=job.sensitive, keep=job.keep, linking=job.linking
    )
    logs, found = _scan(source, roles, job.force)
    hierarchies = _resolve_hierarchies(job, source)
    kept_columns = [c for c, r in roles.by_column.items() if r is not Role.IDENTIFYING]
    prepare(source, kept_columns, job.qi, job.sensitive, job.clip)
    logs.append(
        StepLog(
            Step.LINKING_CODES,
            "連結符号を破棄される鍵による無作為なトークンに置換（対応表は保持しない）",
            "linking codes replaced by tokens under a random key that is discarded (no mapping kept)",
            tuple(job.linking),
            len(job.linking),
        )
    )
    logs.append(_peculiar(job, source, hierarchies))
    framed = time.perf_counter()
    frame, _ = build_frame(source, job.qi, job.sensitive, hierarchies)
    searched = time.perf_counter()
    engine = {"flash": flash, "greedy": descent, "mondrian": mondrian}[job.algorithm]
    solution = engine.search(frame, job.model)
    search_seconds = time.perf_counter() - searched
    if solution is None:
        raise RefusedError(
            f"{job.model.describe()} を抑制の上限 {job.model.max_suppression:.0%} 以内で満たせません",
            f"{job.model.describe()} cannot be met within the {job.model.max_suppression:.0%} suppression budget",
            rules=("PPC-RULE-34",),
        )
    keep_class = _settle_t(frame, solution, job.model)
    views = shown(frame, solution)
    suppressed = int(frame.counts[~keep_class[solution.cls]].sum())
    logs.append(
        StepLog(
            Step.DATABASE_CHARACTER,
            f"{job.model.describe()} を {job.algorithm} で達成（抑制 {suppressed} 件）",
            f"{job.model.describe()} reached with {job.algorithm} ({suppressed} records suppressed)",
            tuple(job.qi),
            suppressed,
        )
    )
    missing = missing_steps(logs)
    if missing:  # never reached by design; the law makes it a precondition of any output
        raise RefusedError(
            f"匿名加工の基準 {missing} が未実施のため出力しません",
            f"Rule 34 steps {missing} were not done: no output",
            rules=("PPC-RULE-34",),
        )
    writing = time.perf_counter()
    rows_out = write_release(source, job.out, job.qi, frame, solution, views, keep_class[solution.cls], roles)
    written = time.perf_counter()
    report = _report(job, source, roles, found, logs, frame, solution, views, suppressed, rows_out)
    report["seconds"] = {
        "frame": searched - framed,
        "search": search_seconds,
        "write": written - writing,
        "total": time.perf_counter() - started,
    }
    report["lattice"] = (
        {
            "nodes": solution.nodes_total,
            "checked": solution.nodes_checked,
            "levels": dict(zip(job.qi, solution.levels, strict=True)),
        }
        if solution.levels is not None
        else {"partitions": solution.n_classes}
    )
    t_value = None
    if frame.sensitive:
        t_value = float(released_t(frame, solution.cls, solution.n_classes, keep_class)[keep_class].max())
    report["achieved"] = achieved(solution, t_value)
    return report


def _settle_t(frame: Any, solution: Solution, model: PrivacyModel) -> np.ndarray:
    """Make t hold against the released table itself: suppress classes until it does.

    Suppressing a class shifts the released distribution, so this repeats; a release that
    would need more than the suppression budget is refused.
    """
    keep = solution.stats.ok & (solution.stats.sizes > 0)
    if model.t is None or not frame.sensitive:
        return keep
    budget = model.max_suppression * frame.rows
    for _ in range(20):
        t_values = released_t(frame, solution.cls, solution.n_classes, keep)
        over = keep & (t_values > model.t + 1e-12)
        if not over.any():
            solution.stats.ok = keep
            return keep
        keep = keep & ~over
        if solution.stats.sizes[~keep].sum() > budget or not keep.any():
            break
    raise RefusedError(
        f"{model.describe()} を抑制の上限内で満たせません",
        f"{model.describe()} cannot be met within the suppression budget",
        rules=("PPC-RULE-34",),
    )


def _report(
    job: Job,
    source: Source,
    roles: Roles,
    found: dict[str, PiiKind],
    logs: list[StepLog],
    frame: Any,
    solution: Solution,
    views: list[Any],
    suppressed: int,
    rows_out: int,
) -> dict[str, Any]:
    quarantined = source.rows_in - frame.rows
    columns = []
    view_of = dict(zip(job.qi, views, strict=True))
    for column, role in roles.by_column.items():
        entry: dict[str, Any] = {"name": column, "role": role.value}
        if role is Role.IDENTIFYING:
            kind = found.get(column)
            entry["action"] = {
                "ja": "削除（役割の指定なし＝識別情報）" + (f"・{kind.value}" if kind else ""),
                "en": "removed (no declared role: identifying)"
                + (f"; looks like {kind.value}" if kind else ""),
            }
        elif role is Role.QUASI_IDENTIFIER:
            view = view_of[column]
            hierarchy = frame.columns[job.qi.index(column)].hierarchy
            entry["action"] = {"ja": view.how_ja, "en": view.how_en}
            entry["hierarchy"] = hierarchy.name
        elif role is Role.LINKING:
            entry["action"] = {
                "ja": "無作為なトークンに置換（対応表なし）",
                "en": "random tokens, no mapping kept",
            }
        else:
            clipped = source.clipped.get(column)
            entry["action"] = (
                {
                    "ja": "極端な値を分位点に置換",
                    "en": f"kept; top/bottom-coded to [{clipped[0]:g}, {clipped[1]:g}]",
                }
                if clipped
                else {"ja": "そのまま", "en": "kept as is"}
            )
        columns.append(entry)
    return {
        "input": str(job.input),
        "output": str(job.out),
        "algorithm": job.algorithm,
        "model": {
            "k": job.model.k,
            "l": job.model.l,
            "l_kind": job.model.l_kind.value,
            "t": job.model.t,
            "max_suppression": job.model.max_suppression,
            "described": job.model.describe(),
        },
        "rows": {
            "in": source.rows_in,
            "quarantined": quarantined,
            "quarantine_reasons": source.quarantined,
            "suppressed": suppressed,
            "out": rows_out,
        },
        "steps": [log.to_dict() for log in logs],
        "columns": columns,
        "risk": risk(frame, solution),
        "utility": utility(frame, solution, views),
        "rules": ["PPC-RULE-34", "APPI-43-2", "APPI-43-3", "APPI-43-5"],
    }
