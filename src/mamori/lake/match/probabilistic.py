"""Fellegi–Sunter linkage with Splink: comparisons that understand Japanese names, dates and addresses.

Parameters are estimated from the data (λ from the identifier rules, u by random sampling, m by EM
on two blocking passes), so nothing is tuned to one file. Levels, most specific first:

  name        reading equal · family/given swapped (姓名の入れ替え, "John Smith"/"Smith John") ·
              Jaro–Winkler of the readings ≥ 0.92 · ≥ 0.80 (a kanji read two ways differs by a mora)
  birth_date  equal · one digit off or month/day transposed · same year and month
  postal_code equal · first three characters (a Japanese 郵便区) · —
  address     equal · same municipality (市区町村) · same prefecture (都道府県) · —
  email       equal · same mailbox without "+tag" and dots · —
  phone       equal · one digit off (a typo) · —
  gender      equal · —
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

#: Comparisons a link's `evidence` may name: those whose partial match weight supports the link.
FIELDS = ("name", "birth_date", "postal_code", "address", "email", "phone", "gender")

_SWAPPED = (
    "(name_sorted_l = name_sorted_r) OR "
    "(reading_family_l = reading_given_r AND reading_given_l = reading_family_r)"
)
_TRANSPOSED = (
    "levenshtein(birth_date_l, birth_date_r) <= 1 OR "
    "(substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) "
    "AND substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2) "
    "AND substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2))"
)


def comparisons() -> list[Any]:
    """Return the Japan-aware comparisons."""
    return [
        cl.CustomComparison(
            output_column_name="name",
            comparison_levels=[
                cll.NullLevel("name_key"),
                cll.ExactMatchLevel("name_key"),
                cll.CustomLevel(_SWAPPED, "swapped family/given", base_dialect_str="duckdb"),
                cll.JaroWinklerLevel("name_key", 0.92),
                cll.JaroWinklerLevel("name_key", 0.80),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="birth_date",
            comparison_levels=[
                cll.NullLevel("birth_date"),
                cll.ExactMatchLevel("birth_date"),
                cll.CustomLevel(_TRANSPOSED, "one digit or month/day", base_dialect_str="duckdb"),
                cll.CustomLevel(
                    "substr(birth_date_l, 1, 7) = substr(birth_date_r, 1, 7)",
                    "year-month",
                    base_dialect_str="duckdb",
                ),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="postal_code",
            comparison_levels=[
                cll.NullLevel("postal_code"),
                cll.ExactMatchLevel("postal_code"),
                cll.CustomLevel(
                    "substr(postal_code_l, 1, 3) = substr(postal_code_r, 1, 3)",
                    "area",
                    base_dialect_str="duckdb",
                ),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="address",
            comparison_levels=[
                cll.NullLevel("address"),
                cll.ExactMatchLevel("address"),
                cll.CustomLevel(
                    "addr_pref_l = addr_pref_r AND addr_city_l = addr_city_r",
                    "city",
                    base_dialect_str="duckdb",
                ),
                cll.CustomLevel("addr_pref_l = addr_pref_r", "prefecture", base_dialect_str="duckdb"),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="email",
            comparison_levels=[
                cll.NullLevel("email"),
                cll.ExactMatchLevel("email"),
                cll.ExactMatchLevel("email_box"),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="phone",
            comparison_levels=[
                cll.NullLevel("phone"),
                cll.ExactMatchLevel("phone"),
                cll.LevenshteinLevel("phone", 1),
                cll.ElseLevel(),
            ],
        ),
        cl.ExactMatch("gender"),
    ]


def blocking_rules() -> list[Any]:
    """Return the rules that choose which pairs are scored (their union)."""
    return [
        block_on("name_key"),
        block_on("birth_date"),
        block_on("email"),
        block_on("phone"),
        block_on("postal_code", "reading_family"),
        block_on("reading_given", "addr_city"),
        block_on("reading_family", "reading_given"),
    ]


def settings(
    comparisons_: list[Any] | None = None, rules: list[Any] | None = None, *, sizes: tuple[int, int] = (1, 1)
) -> SettingsCreator:
    """Return Splink settings for linking LEFT to RIGHT (link only: each file is one source).

    The starting λ assumes each record has at most one match; training replaces it.
    """
    return SettingsCreator(
        probability_two_random_records_match=min(0.5, 1 / max(1, *sizes)),
        link_type="link_only",
        unique_id_column_name="id",
        comparisons=comparisons_ if comparisons_ is not None else comparisons(),
        blocking_rules_to_generate_predictions=rules if rules is not None else blocking_rules(),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,  # mw_ columns name the evidence
    )


def train(linker: Any, *, seed: int = 7, max_pairs: float = 2e6) -> list[str]:
    """Estimate λ, u and m from the data; return the steps the data was too small for.

    A step that finds no pairs (a tiny file, a column nobody filled) leaves Splink's defaults for
    the parameters it would have estimated rather than failing the run.
    """
    from splink.internals.exceptions import SplinkException

    skipped = []
    steps: tuple[tuple[str, Callable[[], object]], ...] = (
        ("lambda", lambda: linker.training.estimate_probability_two_random_records_match(
            [block_on("email"), block_on("phone")], recall=0.6)),
        ("u", lambda: linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)),
        ("m:birth_date", lambda: linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("birth_date"))),
        ("m:name_key", lambda: linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("name_key"))),
    )  # fmt: skip
    settings_obj = linker._settings_obj  # Splink keeps λ there; no public setter exists
    prior = settings_obj._probability_two_random_records_match
    for name, step in steps:
        try:
            step()
        except (SplinkException, ValueError, ZeroDivisionError):
            skipped.append(name)
        if not 0 < settings_obj._probability_two_random_records_match < 1:
            # No identifier agreed anywhere: fall back to "each record has at most one match".
            settings_obj._probability_two_random_records_match = prior
            if name == "lambda":
                skipped.append(name)
    return skipped


def evidence(row: dict[str, Any]) -> str:
    """Name the fields that agreed (positive partial match weight) in one prediction row."""
    return ";".join(f for f in FIELDS if (row.get(f"mw_{f}") or 0.0) > 0)


def evidence_expr(columns: list[str]) -> pl.Expr:
    """The same as `evidence`, as one vectorized expression over a prediction frame's columns."""
    agreed = [
        pl.when(pl.col(f"mw_{f}").fill_null(0.0) > 0).then(pl.lit(f)) for f in FIELDS if f"mw_{f}" in columns
    ]
    if not agreed:
        return pl.lit("")
    return pl.concat_str(agreed, separator=";", ignore_nulls=True)


def for_dialect(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """Return a trained model re-rendered for another engine's SQL dialect.

    Splink saves a model with its SQL already rendered for the engine that trained it (DuckDB quotes
    identifiers with "…", Spark reads "…" as a string). The levels are rebuilt from the same
    creators for `dialect` and the trained λ, m and u are carried over level by level.
    """
    target = settings(sizes=(1, 1)).create_settings_dict(dialect)
    target["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    for mine, trained in zip(target["comparisons"], model["comparisons"], strict=True):
        for level, trained_level in zip(mine["comparison_levels"], trained["comparison_levels"], strict=True):
            for key in ("m_probability", "u_probability"):
                if key in trained_level:
                    level[key] = trained_level[key]
    return target
