"""The rule catalogue matches RULES.md, and code cites only catalogued ids."""

from __future__ import annotations

import re

from mamori.domain.rules import RULES, known
from tests.paths import SRC, shared_dir

# A citation: APPI-<article>-<paragraph> (prose such as "APPI-28" names an article, not a rule).
RULE_ID = re.compile(r"\b(APPI-[A-Z0-9]+-[A-Z0-9]+|(?:PPC-RULE|MYNUM|MAMORI)-[A-Z0-9]+(?:-[A-Z0-9]+)*)\b")


def test_catalogue_matches_rules_md() -> None:
    text = (shared_dir() / "appi" / "RULES.md").read_text(encoding="utf-8")
    in_md = {
        m.group(1) for m in re.finditer(r"^\| ((?:APPI|PPC-RULE|MYNUM|MAMORI)-[A-Z0-9-]+) \|", text, re.M)
    }
    assert in_md, "no rule ids found in RULES.md"
    assert in_md == {r.id for r in RULES}


def test_code_cites_only_catalogued_ids() -> None:
    unknown = []
    for path in SRC.rglob("*"):
        if path.suffix not in (".py", ".html", ".yaml", ".j2"):
            continue
        for match in RULE_ID.finditer(path.read_text(encoding="utf-8")):
            rule_id = match.group(1)
            if not known(rule_id) and not rule_id.endswith("-"):
                unknown.append(f"{path.name}: {rule_id}")
    assert not unknown, unknown


def test_every_rule_has_text_in_both_languages() -> None:
    for rule in RULES:
        assert rule.ja and rule.en and rule.source, rule.id
    assert [r.id for r in RULES if r.is_policy] == ["MAMORI-1", "MAMORI-AGG-1", "MAMORI-DP-1"]
