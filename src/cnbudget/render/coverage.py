"""Coverage in every report: which checks ran on a document, which could not and why.

A check that did not run must never look like a pass, so every format lists the rules that were
not checked with their reason (table not printed, not understood, prior year not given …).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console

from cnbudget.i18n import t
from cnbudget.rules.context import Coverage
from cnbudget.safe_text import shown


def coverage_json(coverage: Sequence[Coverage]) -> list[dict[str, object]]:
    """Each rule's status and reason codes (stable, for machines) beside the reason in the reader's language."""
    return [c.as_dict() for c in coverage]


def summary(coverage: Sequence[Coverage]) -> str:
    ran = sum(1 for c in coverage if c.status == "ran")
    return t("coverage.summary", ran=ran, missing=len(not_checked(coverage)))


def not_checked(coverage: Sequence[Coverage]) -> list[Coverage]:
    return [c for c in coverage if c.status == "not checked"]


def csv_rows(source: str, coverage: Sequence[Coverage], width: int) -> list[list[Any]]:
    """One CSV row per rule, category 'coverage', the status and reason as the message."""
    rows: list[list[Any]] = []
    for c in coverage:
        status = c.status_text()
        said = t("coverage.status_reason", status=status, reason=c.reason) if c.reasons else status
        row: list[Any] = [source, c.rule, "coverage", "", said]
        rows.append(row + [""] * (width - len(row)))
    return rows


def by_reason(coverage: Sequence[Coverage]) -> dict[str, list[str]]:
    """The rules not checked, grouped by their reason (one reason often stops many rules)."""
    out: dict[str, list[str]] = {}
    for c in not_checked(coverage):
        out.setdefault(c.reason, []).append(c.rule)
    return out


def render_text(coverage: Sequence[Coverage], console: Console) -> None:
    if not coverage:
        return
    console.print(f"\n  [bold underline]{shown(t('coverage.heading'))}[/]  {shown(summary(coverage))}")
    for reason, rules in by_reason(coverage).items():
        label = shown(t("coverage.not_checked"))
        console.print(f"  [dim]{label}[/] [bold]{shown(', '.join(rules))}[/]: {shown(reason)}", highlight=False)
    for c in coverage:
        if c.status == "ran" and c.reason:
            console.print(f"  [dim]{shown(t('coverage.partly'))}[/] [bold]{shown(c.rule)}[/]: {shown(c.reason)}", highlight=False)


def html(coverage: Sequence[Coverage]) -> str:
    """The coverage of one document as an HTML block (the rules not checked, with their reasons)."""
    import html as _html

    if not coverage:
        return ""
    missing = not_checked(coverage)
    head = f"<h3>{_html.escape(t('coverage.html_heading'))}</h3><p>{_html.escape(summary(coverage))}</p>"
    if not missing:
        return head
    rows = "".join(
        f"<tr><td>{_html.escape(c.rule)}</td><td>{_html.escape(c.status_text())}</td><td>{_html.escape(c.reason)}</td></tr>"
        for c in missing
    )
    heads = "".join(f"<th>{_html.escape(t(k))}</th>" for k in ("coverage.col_rule", "coverage.col_status", "coverage.col_reason"))
    return f"{head}<table><tr>{heads}</tr>{rows}</table>"


COVERAGE_SHEET = "检查覆盖"  # a fixed name, like the workbook's other sheets (render/xlsx.py)


def add_sheet(workbook: Any, reports: Sequence[Any]) -> None:
    """An xlsx sheet: one row per document and rule, with its status and reason (and the reason's code)."""
    from pathlib import Path

    ws = workbook.create_sheet(COVERAGE_SHEET)
    ws.append([t(f"coverage.col_{k}") for k in ("file", "rule", "status", "reason", "code")])
    for r in reports:
        for c in r.coverage:
            ws.append([Path(r.source).name, c.rule, c.status_text(), c.reason, ", ".join(c.codes)])
