"""The rule index for people (terminal), machines (JSON) and the docs (markdown: docs/rules.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from cnbudget.render.report import STYLE
from cnbudget.rules.fixtures import fixture_example, fixture_files
from cnbudget.rules.registry import Rule
from cnbudget.safe_text import shown


def rules_markdown(rules: Sequence[Rule]) -> str:
    """docs/rules.md: generated from the registry (`cnbudget rules --format markdown`)."""
    lines = [
        "# Rules",
        "",
        "Generated from the rule registry by `cnbudget rules --format markdown`; do not edit by hand.",
        "",
        "Every rule has a stable id, a category, a default severity (error findings make `cnbudget check` exit 1),",
        "and the identity (`shared/reference/identities.csv`) or regulation (`regulations.csv`) it enforces.",
        "Rules can be switched off or re-graded in `cnbudget.toml` (or `[tool.cnbudget]` in `pyproject.toml`):",
        "",
        "```toml",
        "[rules]",
        'disable = ["K003"]',
        "[rules.severity]",
        '"X-B11" = "info"',
        "```",
        "",
        "Tolerance: a printed total and the sum of its printed parts may differ by one unit of the last printed",
        "digit per summed term (0.01 万元 with two decimals); such a difference is reported as 尾数差异 at info",
        "level, never as an error. Amounts in 元 printed to the fen are exact. Different units are converted to",
        "万元 before comparing.",
        "",
        "Every rule links its fixtures (`tests/fixtures/rules/<ID>/`): a small document on which it fires and the",
        "same document, correct, on which it stays silent (`tests/test_rule_fixtures.py` checks both).",
        "",
        "| id | category | severity | applies to | title |",
        "|---|---|---|---|---|",
    ]
    for r in rules:
        lines.append(f"| [{r.id}](#{_anchor(r.id)}) | {r.category} | {r.severity} | {r.applies_to} | {r.title} |")
    for r in rules:
        lines += [
            "",
            f"## {r.id}",
            "",
            f"**{r.title}** — {r.category}, default severity **{r.severity}**, applies to {r.applies_to}.",
            "",
            r.explanation,
            "",
            f"Enforces: {', '.join(r.enforces) if r.enforces else '—'}",
        ]
        lines += _fixture_lines(r.id)
    return "\n".join(lines) + "\n"


def _fixture_lines(rule_id: str) -> list[str]:
    """The rule's example documents, linked from docs/ (tests/fixtures/rules/<ID>/)."""
    files = fixture_files(rule_id)
    if not files:
        return []
    links = " · ".join(f"[{Path(f).stem}](../{f})" for f in files)
    why = fixture_example(rule_id)
    return ["", f"Fixtures: {links}" + (f" — fires when {why}." if why else "")]


def _anchor(rule_id: str) -> str:
    return rule_id.lower()


def rules_json(rules: Sequence[Rule]) -> str:
    data: list[dict[str, Any]] = [
        {
            "id": r.id,
            "title": r.title,
            "category": r.category,
            "severity": r.severity,
            "applies_to": r.applies_to,
            "explanation": r.explanation,
            "enforces": list(r.enforces),
        }
        for r in rules
    ]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def render_rules(rules: Sequence[Rule], console: Console) -> None:
    for r in rules:
        style = STYLE[r.severity]
        console.print(f"[bold]{shown(r.id)}[/]  {r.category}  [{style}]{r.severity}[/]  ({r.applies_to})  {shown(r.title)}")
        console.print(f"    {shown(r.explanation)}", highlight=False)
        if r.enforces:
            console.print(f"    [dim]enforces: {shown(', '.join(r.enforces))}[/]")
        console.print()
