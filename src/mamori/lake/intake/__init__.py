"""Intake: read partner files, normalize, validate, quarantine, detect PII, publish to the lake."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from mamori.domain.calendar import jst_date
from mamori.errors import InputError
from mamori.lake.intake.schema import KINDS, KindSchema, load_mapping, load_schema
from mamori.lake.intake.source import FileIntake, Runner

ENGINES = ("duckdb", "spark")


def runner_for(engine: str) -> Runner:
    """Return the engine that runs the pipeline (Spark is imported only when asked for)."""
    if engine == "duckdb":
        from mamori.lake.intake.engine_duckdb import DuckDbRunner

        return DuckDbRunner()
    if engine == "spark":
        from mamori.lake.intake.engine_spark import SparkRunner

        return SparkRunner()
    raise InputError(
        f"不明なエンジン: {engine}", f"unknown engine: {engine} ({', '.join(ENGINES)})", field="--engine"
    )


def kind_schema(kind: str | None, schema_file: Path | None) -> KindSchema:
    """Return the schema of a built-in kind, or of a kind defined by a schema file."""
    if schema_file is not None:
        return load_schema(schema_file)
    if kind is None or kind not in KINDS:
        raise InputError(
            f"種類を指定してください: {', '.join(KINDS)}（又は --schema）",
            f"give --kind ({', '.join(KINDS)}) or --schema FILE",
            field="--kind",
        )
    return KINDS[kind]


def open_intake(
    path: Path,
    *,
    kind: str | None,
    lake_dir: Path,
    now: datetime,
    engine: str = "duckdb",
    schema_file: Path | None = None,
    mapping_file: Path | None = None,
    encoding: str | None = None,
    file_format: str | None = None,
    email_provider_rules: bool = False,
    progress: Callable[[int], None] | None = None,
) -> FileIntake:
    """Open a file for ingest with everything resolved (kind, mapping, engine); dates judged in JST."""
    return FileIntake(
        path,
        kind_schema(kind, schema_file),
        lake_dir=lake_dir,
        runner=runner_for(engine),
        today=jst_date(now),
        now=now,
        mapping=load_mapping(mapping_file) if mapping_file else None,
        encoding=encoding,
        file_format=file_format,
        email_provider_rules=email_provider_rules,
        progress=progress,
    )
