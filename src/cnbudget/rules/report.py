"""Findings rendered for people (terminal text) and machines (JSON, CSV), and the rule index.

The JSON shape is the contract other tools read::

    {"documents": [{"source": …, "meta": {…},
                    "findings": [{"rule", "category", "severity", "message",
                                  "location": {"page", "table", "section", "row", "column", "bbox"},
                                  "expected", "actual"}]}]}
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rich.console import Console
from rich.markup import escape

from cnbudget.model import Meta, source_name
from cnbudget.rules.findings import SEVERITY_ORDER, Finding
from cnbudget.rules.fixtures import fixture_example, fixture_files
from cnbudget.rules.registry import Rule, all_rules

GroupKind = Literal["table", "section", "document"]

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass
class DocumentReport:
    source: str
    meta: Meta
    findings: list[Finding]

    def counts(self) -> Counter[str]:
        return Counter(f.severity for f in self.findings)


def rules_used(reports: Sequence[DocumentReport]) -> list[Rule]:
    """The registry's rules that reported a finding in any of the reports, in index order."""
    ids = {f.rule for r in reports for f in r.findings}
    return [r for r in all_rules() if r.id in ids]


# --- JSON ---------------------------------------------------------------------------------------


def to_json(reports: Sequence[DocumentReport]) -> str:
    data = {
        "documents": [
            {
                "source": r.source,
                "meta": r.meta.model_dump(mode="json"),
                "findings": [f.as_dict() for f in r.findings],
            }
            for r in reports
        ]
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


# --- CSV ----------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "source",
    "rule",
    "category",
    "severity",
    "message",
    "page",
    "line",
    "table",
    "section",
    "row",
    "column",
    "bbox",
    "expected",
    "actual",
)


def to_csv(reports: Sequence[DocumentReport]) -> str:
    """One row per finding (spreadsheet-friendly: finance staff sort and filter these)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in reports:
        for f in r.findings:
            loc = f.location
            bbox = ",".join(f"{x:.1f}" for x in loc.bbox) if loc.bbox else ""
            writer.writerow(
                [
                    r.source,
                    f.rule,
                    f.category,
                    f.severity,
                    f.message,
                    loc.page if loc.page is not None else "",
                    loc.line if loc.line is not None else "",
                    loc.table,
                    loc.section,
                    loc.row,
                    loc.column,
                    bbox,
                    f.expected,
                    f.actual,
                ]
            )
    return out.getvalue()


# --- terminal text ------------------------------------------------------------------------------

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def group_of(f: Finding) -> tuple[GroupKind, str]:
    """What a finding is grouped under in a report: its table, else its narrative section, else the document."""
    loc = f.location
    if loc.table:
        return "table", loc.table
    if loc.section:
        return "section", loc.section
    return "document", ""


def _group(f: Finding) -> str:
    kind, name = group_of(f)
    if kind == "table":
        return name
    if kind == "section":
        return f"情况说明 · {name}"
    return "document"


def place_of(f: Finding) -> str:
    """Page (PDF) or line (converted text), row and [column], as one short string."""
    loc = f.location
    parts = []
    if loc.page is not None:
        parts.append(f"p.{loc.page}")
    elif loc.line is not None:
        parts.append(f"line {loc.line}")
    if loc.row:
        parts.append(loc.row)
    if loc.column:
        parts.append(f"[{loc.column}]")
    return " ".join(parts)


def render_text(reports: Sequence[DocumentReport], console: Console) -> None:
    """Per document: a summary line, then findings grouped by table / narrative section."""
    for r in reports:
        m = r.meta
        counts = r.counts()
        title = " ".join(x for x in (m.department, str(m.year or ""), m.kind or "") if x)
        console.print(f"[bold]{escape(source_name(r.source))}[/]  {escape(title)}")
        summary = ", ".join(f"{counts.get(s, 0)} {s}{'s' if counts.get(s, 0) != 1 else ''}" for s in SEVERITY_ORDER)
        console.print(f"  {summary}")
        groups: dict[str, list[Finding]] = {}
        for f in r.findings:
            groups.setdefault(_group(f), []).append(f)
        for name, found in groups.items():
            console.print(f"\n  [bold underline]{escape(name)}[/]")
            for f in sorted(found, key=lambda x: (SEVERITY_ORDER[x.severity], x.location.line or 0)):
                style = _STYLE[f.severity]
                place = place_of(f)
                head = f"  [{style}]{f.severity:<7}[/] [bold]{escape(f.rule)}[/]"
                console.print(f"{head} {escape(place)}" if place else head)
                console.print(f"           {escape(f.message)}", highlight=False)
        console.print()


# --- the rule index -----------------------------------------------------------------------------


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
        style = _STYLE[r.severity]
        console.print(f"[bold]{escape(r.id)}[/]  {r.category}  [{style}]{r.severity}[/]  ({r.applies_to})  {escape(r.title)}")
        console.print(f"    {escape(r.explanation)}", highlight=False)
        if r.enforces:
            console.print(f"    [dim]enforces: {escape(', '.join(r.enforces))}[/]")
        console.print()
