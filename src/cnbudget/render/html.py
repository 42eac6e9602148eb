"""The HTML report: one self-contained file a reviewer can mail on.

Inline CSS, no script, no image, no link to anything outside the file; UTF-8 declared so that Chinese
displays everywhere. Per document: the meta, counts by severity, then the findings grouped by table,
by narrative section and (the rest) by document, each with its rule id linked to the rule's
explanation at the bottom of the page. Every piece of text from a document or a rule is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from pathlib import Path

from cnbudget import __version__
from cnbudget.i18n import lang, t
from cnbudget.model import source_name
from cnbudget.render import coverage
from cnbudget.render.report import GroupKind, group_of
from cnbudget.rules.findings import SEVERITIES, SEVERITY_ORDER, Finding, file_shown
from cnbudget.rules.registry import Rule
from cnbudget.rules.report import DocumentReport, rules_used

_CSS = """
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", SimSun, sans-serif;
       margin: 2em auto; max-width: 75em; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #444; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1.1em; margin-top: 1.5em; }
h4 { font-size: 1em; margin: 1.2em 0 0.4em; }
.generated, .muted { color: #666; font-size: 0.9em; }
table { border-collapse: collapse; width: 100%; margin: 0.3em 0 1em; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.meta { width: auto; }
table.meta th { text-align: right; }
.sev, td.rule-id { font-weight: bold; white-space: nowrap; }
.sev-error { color: #b00020; }
.sev-warning { color: #a15c00; }
.sev-info { color: #1d5fa8; }
tr.error td:first-child { border-left: 4px solid #b00020; }
tr.warning td:first-child { border-left: 4px solid #e69500; }
tr.info td:first-child { border-left: 4px solid #4a90d9; }
.badge { display: inline-block; padding: 0.1em 0.6em; margin-right: 0.4em; border-radius: 0.8em; font-weight: bold; }
.badge.error { background: #fde2e4; color: #b00020; }
.badge.warning { background: #fff0d0; color: #8a4d00; }
.badge.info { background: #e1eefb; color: #1d5fa8; }
.rule { margin-bottom: 1.2em; }
.rule p { margin: 0.2em 0; }
a { color: #1d5fa8; }
@media print { a { color: inherit; text-decoration: none; } h2 { page-break-before: always; } }
"""



def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _rule_anchor(rule_id: str) -> str:
    return "rule-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in rule_id)


def _place(f: Finding, source: str) -> str:
    """第N页 or its line; the page's file before it when the document ``source`` was read from several files."""
    loc = f.location
    at = ""
    if loc.page is not None:
        at = t("finding.page", page=loc.page)
    elif loc.line is not None:
        at = t("finding.line", line=loc.line)
    return " ".join(p for p in (file_shown(loc, source), at) if p)


def _counts(report: DocumentReport) -> str:
    counts = report.counts()
    return " ".join(f'<span class="badge {s}">{_e(t(f"html.severity.{s}"))}: {counts.get(s, 0)}</span>' for s in SEVERITIES)


def _meta(report: DocumentReport) -> str:
    m = report.meta
    rows = [
        (t("html.department"), m.department or "—"),
        (t("html.region"), m.region or "—"),
        (t("html.year"), m.year if m.year is not None else "—"),
        (t("html.kind"), m.kind or "—"),
        (t("html.scope"), m.scope or "—"),
        (t("html.file"), report.source),
    ]
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f'<table class="meta">{body}</table>'


def _finding_rows(findings: Sequence[Finding], source: str) -> str:
    head = "<tr>" + "".join(
        f"<th>{_e(t(f'html.col.{c}'))}</th>" for c in ("severity", "rule", "message", "place", "row", "column", "expected", "actual")
    ) + "</tr>"
    rows = []
    ordered = sorted(findings, key=lambda x: (SEVERITY_ORDER[x.severity], x.location.page or 0, x.location.line or 0))
    for f in ordered:
        loc = f.location
        rows.append(
            f'<tr class="{f.severity}">'
            f'<td class="sev sev-{f.severity}">{_e(t(f"html.severity.{f.severity}"))}</td>'
            f'<td class="rule-id"><a href="#{_rule_anchor(f.rule)}">{_e(f.rule)}</a><br><span class="muted">{_e(f.id)}</span></td>'
            f"<td>{_e(f.text())}</td>"
            f'<td class="num">{_e(_place(f, source))}</td>'
            f"<td>{_e(loc.row)}</td>"
            f"<td>{_e(loc.column)}</td>"
            f'<td class="num">{_e(f.expected)}</td>'
            f'<td class="num">{_e(f.actual)}</td>'
            "</tr>"
        )
    return f"<table>{head}{''.join(rows)}</table>"


def _document(index: int, report: DocumentReport) -> str:
    m = report.meta
    title = " ".join(x for x in (m.department, f"{m.year}年度" if m.year else "", m.kind or "") if x)
    parts = [
        f'<section id="doc-{index}">',
        f"<h2>{_e(source_name(report.source))}{' — ' + _e(title) if title else ''}</h2>",
        _meta(report),
        f"<p>{_counts(report)}</p>",
    ]
    if not report.findings:
        parts.append(f"<p>{_e(t('html.no_findings'))}</p>")
    groups: dict[GroupKind, dict[str, list[Finding]]] = {"table": {}, "section": {}, "document": {}}
    for f in report.findings:
        kind, name = group_of(f)
        groups[kind].setdefault(name, []).append(f)
    for kind, named in groups.items():
        if not named:
            continue
        parts.append(f"<h3>{_e(t(f'html.group.{kind}'))}</h3>")
        for name, found in named.items():
            label = name or t("html.whole_document")
            parts.append(f'<h4>{_e(label)} <span class="muted">({len(found)})</span></h4>')
            parts.append(_finding_rows(found, report.source))
    parts.append(_review(report))
    parts.append(coverage.html(report.coverage))
    parts.append("</section>")
    return "\n".join(parts)


def _review(report: DocumentReport) -> str:
    """The findings the review set aside (with reason, who, when) and those a re-check no longer finds."""
    parts = []
    if report.dismissed:
        parts.append(f"<h3>{_e(t('review.dismissed_heading', count=len(report.dismissed)))}</h3>")
        head = (
            "<tr><th>规则</th><th>编号 id</th><th>说明 message</th><th>位置</th>"
            "<th>理由 reason</th><th>审核人 who</th><th>时间 when</th></tr>"
        )
        rows = []
        for x in report.dismissed:
            f = x.finding
            rows.append(
                f'<tr><td class="rule-id">{_e(x.entry.rule)}</td><td>{_e(x.id)}</td><td>{_e(f.message if f else x.entry.message)}</td>'
                f'<td class="num">{_e(_place(f, report.source) if f else "")}</td><td>{_e(x.entry.reason)}</td><td>{_e(x.entry.who)}</td>'
                f"<td>{_e(x.entry.when)}</td></tr>"
            )
        parts.append(f"<table>{head}{''.join(rows)}</table>")
    if report.fixed:
        parts.append(f"<h3>{_e(t('review.fixed_heading', count=len(report.fixed)))}</h3>")
        items = "".join(f"<li><b>{_e(x.entry.rule)}</b> {_e(x.id)}: {_e(x.entry.message)}</li>" for x in report.fixed)
        parts.append(f"<ul>{items}</ul>")
    return "\n".join(parts)


def _overview(reports: Sequence[DocumentReport]) -> str:
    """The grouped summary at the top: per document, findings by severity, rules not checked, findings reviewed."""
    head = (
        f"<tr><th>{_e(t('html.file'))}</th><th>{_e(t('html.department'))}</th><th>{_e(t('html.year'))}</th><th>{_e(t('html.kind'))}</th>"
        + "".join(f"<th>{_e(t(f'html.severity.{s}'))}</th>" for s in SEVERITIES)
        + f"<th>{_e(t('review.html_not_checked'))}</th><th>{_e(t('review.html_reviewed'))}</th>"
        + "</tr>"
    )
    rows = []
    for i, r in enumerate(reports, 1):
        counts = r.counts()
        reviewed = len(r.dismissed) + len(r.fixed) + len(r.confirmed)
        cells = "".join(f'<td class="num">{counts.get(s, 0)}</td>' for s in SEVERITIES)
        cells += f'<td class="num">{len(coverage.not_checked(r.coverage))}</td><td class="num">{reviewed}</td>'
        rows.append(
            f'<tr><td><a href="#doc-{i}">{_e(source_name(r.source))}</a></td><td>{_e(r.meta.department)}</td>'
            f"<td>{_e(r.meta.year or '')}</td><td>{_e(r.meta.kind or '')}</td>{cells}</tr>"
        )
    return f"<h2>{_e(t('html.overview'))}</h2><table>{head}{''.join(rows)}</table>"


def _rules(rules: Sequence[Rule]) -> str:
    if not rules:
        return ""
    parts = [f"<h2>{_e(t('html.rules'))}</h2>"]
    for r in rules:
        enforces = r.cites() or "—"
        parts.append(
            f'<div class="rule" id="{_rule_anchor(r.id)}"><h3>{_e(r.id)} {_e(r.name())}</h3>'
            f'<p class="muted">{_e(t("html.rule_category"))}: {_e(t(f"category.{r.category}"))} · {_e(t("html.rule_severity"))}: '
            f'<span class="sev sev-{r.severity}">{_e(t(f"severity.{r.severity}"))}</span> · '
            f"{_e(t('html.rule_applies'))}: {_e(t(f'applies.{r.applies_to}'))} · "
            f"{_e(t('html.rule_enforces'))}: {_e(enforces)}</p>"
            f"<p>{_e(r.explain())}</p></div>"
        )
    return "\n".join(parts)


def _unreadable(unreadable: Sequence[tuple[str, str]]) -> str:
    if not unreadable:
        return ""
    items = "".join(f"<li><b>{_e(Path(path).name)}</b>: {_e(reason)}</li>" for path, reason in unreadable)
    return f'<h2 class="sev-error">{_e(t("html.unreadable"))} ({len(unreadable)})</h2><ul>{items}</ul>'


def to_html(reports: Sequence[DocumentReport], unreadable: Sequence[tuple[str, str]] = (), title: str | None = None) -> str:
    """The whole report as one HTML page; ``unreadable`` lists (file, reason) for inputs that could not be read."""
    title = title if title is not None else t("html.title")
    total = sum(len(r.findings) for r in reports)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang() == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="generated">cnbudget {_e(__version__)} · {date.today().isoformat()} · '
        f"{_e(t('html.generated', documents=len(reports), findings=total))}</p>",
        _unreadable(unreadable),
    ]
    if reports:
        parts.append(_overview(reports))
    parts.extend(_document(i, r) for i, r in enumerate(reports, 1))
    parts.append(_rules(rules_used(reports)))
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)
