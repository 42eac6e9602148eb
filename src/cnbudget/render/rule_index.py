"""The rule index for people (terminal), machines (JSON) and the docs (markdown: docs/rules.md).

Every word comes from the message catalogs (messages/<lang>/index.toml for the rules,
messages/<lang>/report.toml for the headings), in the language in force (Chinese by default)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from cnbudget.i18n import t
from cnbudget.render.report import STYLE
from cnbudget.rules.fixtures import fixture_example, fixture_files
from cnbudget.rules.registry import Rule
from cnbudget.safe_text import shown


def severity_name(severity: str, lang_code: str | None = None) -> str:
    return t(f"severity.{severity}", lang_code)


def category_name(category: str, lang_code: str | None = None) -> str:
    return t(f"category.{category}", lang_code)


def applies_name(applies_to: str, lang_code: str | None = None) -> str:
    return t(f"applies.{applies_to}", lang_code)


def rules_markdown(rules: Sequence[Rule], lang_code: str | None = None) -> str:
    """docs/rules.md: generated from the registry (`cnbudget rules --format markdown`)."""
    lines = [f"# {t('index.heading', lang_code)}", "", t("index.intro", lang_code).rstrip(), ""]
    lines += [
        f"| {t('index.col_id', lang_code)} | {t('index.col_category', lang_code)} | {t('index.col_severity', lang_code)} "
        f"| {t('index.col_applies', lang_code)} | {t('index.col_title', lang_code)} |",
        "|---|---|---|---|---|",
    ]
    for r in rules:
        lines.append(
            f"| [{r.id}](#{_anchor(r.id)}) | {category_name(r.category, lang_code)} | {severity_name(r.severity, lang_code)} "
            f"| {applies_name(r.applies_to, lang_code)} | {r.name(lang_code)} |"
        )
    for r in rules:
        lines += [
            "",
            f"## {r.id}",
            "",
            t("index.summary", lang_code, title=f"**{r.name(lang_code)}**", category=category_name(r.category, lang_code),
              severity=f"**{severity_name(r.severity, lang_code)}**", applies=applies_name(r.applies_to, lang_code)),
            "",
            r.explain(lang_code),
            "",
            t("index.enforces", lang_code, cites=r.cites(lang_code) or "—"),
        ]
        lines += _fixture_lines(r.id, lang_code)
    return "\n".join(lines) + "\n"


def _fixture_lines(rule_id: str, lang_code: str | None) -> list[str]:
    """The rule's example documents, linked from docs/ (tests/fixtures/rules/<ID>/)."""
    files = fixture_files(rule_id)
    if not files:
        return []
    links = " · ".join(f"[{Path(f).stem}](../{f})" for f in files)
    why = fixture_example(rule_id, lang_code)
    key = "index.fixtures_why" if why else "index.fixtures"
    return ["", t(key, lang_code, links=links, why=why)]


def _anchor(rule_id: str) -> str:
    return rule_id.lower()


def rules_json(rules: Sequence[Rule], lang_code: str | None = None) -> str:
    data: list[dict[str, Any]] = [
        {
            "id": r.id,
            "title": r.name(lang_code),
            "category": r.category,
            "severity": r.severity,
            "applies_to": r.applies_to,
            "explanation": r.explain(lang_code),
            "enforces": list(r.enforces),
            "cites": r.cites(lang_code),
        }
        for r in rules
    ]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def render_rules(rules: Sequence[Rule], console: Console) -> None:
    for r in rules:
        style = STYLE[r.severity]
        console.print(
            f"[bold]{shown(r.id)}[/]  {shown(category_name(r.category))}  [{style}]{shown(severity_name(r.severity))}[/]"
            f"  ({shown(applies_name(r.applies_to))})  {shown(r.name())}"
        )
        console.print(f"    {shown(r.explain())}", highlight=False)
        cites = r.cites()
        if cites:
            console.print(f"    [dim]{shown(t('index.enforces', cites=cites))}[/]", highlight=False)
        console.print()
