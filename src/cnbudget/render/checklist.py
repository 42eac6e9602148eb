"""The reviewer's own form: a 公开情况检查表 per document, filled from the findings and the coverage.

Items and their order come from ``specs/checklist.json`` (one list per kind, so a region's own form
is a new entry there). Each finding belongs to exactly one item: the standard table it is located
at, else the cover when it lies before the document's first part, else the part of the document its
section path names (deepest title first, longest word wins), else the item whose rules name it, else
其他问题. An item says 否 when an error or warning belongs to
it, 是 only when a check covered it and found nothing, and 未检查 with the reason otherwise — a check
that did not run never looks like a pass.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from cnbudget.i18n import t
from cnbudget.model import source_name
from cnbudget.rules.findings import Finding, file_shown
from cnbudget.rules.outline import Outline, OutlineSection, OutlineTable
from cnbudget.rules.registry import all_rules
from cnbudget.rules.report import DocumentReport
from cnbudget.specs import specs

Verdict = Literal["是", "否", "未检查"]
YES: Verdict = "是"
NO: Verdict = "否"
UNCHECKED: Verdict = "未检查"


@lru_cache(maxsize=1)
def form() -> dict[str, Any]:
    """The checklist data file."""
    data: dict[str, Any] = json.loads(resources.files("cnbudget.specs").joinpath("checklist.json").read_text(encoding="utf-8"))
    return data


def _squash(text: str) -> str:
    return "".join(text.split()).replace("“", "").replace("”", "").replace('"', "")


@dataclass
class ItemResult:
    """One row of the form."""

    group: str
    item: str
    verdict: Verdict
    problems: list[str] = field(default_factory=list)  # the 存在问题 cell, one numbered line each
    notes: list[str] = field(default_factory=list)  # the 备注 cell: where found, what was checked, 未检查 reasons, hints


@dataclass
class Checklist:
    title: str
    department: str
    source: str
    kind: str
    items: list[ItemResult]


# --- deciding -----------------------------------------------------------------------------------


def _rule_matches(rule_id: str, patterns: Sequence[str]) -> bool:
    return any(fnmatchcase(rule_id, p) for p in patterns)


def _place(f: Finding, source: str = "") -> str:
    """第N页 (a PDF) or 第N行 (a converted text), after its file in a document ``source`` read from
    several files, then the table or section."""
    loc = f.location
    at = " ".join(p for p in (file_shown(loc, source), _where(loc.page, loc.line)) if p)
    what = loc.table or loc.section
    if loc.row:
        what = f"{what} {loc.row}".strip()
    return "，".join(p for p in (at, what) if p)


def problem_line(f: Finding, source: str = "") -> str:
    """One problem as the reviewer writes it: where, what, (rule)."""
    place = _place(f, source)
    text = f"{place}：{f.message}" if place else f.message
    return f"{text}（{f.rule}）"


def _section_item(path: str, items: list[dict[str, Any]]) -> int | None:
    """The section item a section path belongs to: deepest title first, the longest matching word wins."""
    for part in reversed([p for p in path.split("/") if p]):
        text = _squash(part)
        best: tuple[int, int] | None = None
        for i, it in enumerate(items):
            if it["decide"] != "section":
                continue
            for w in it.get("words", ()):
                if _squash(w) in text and (best is None or len(w) > best[0]):
                    best = (len(w), i)
        if best is not None:
            return best[1]
    return None


def _before_first_section(f: Finding, outline: Outline) -> bool:
    """A finding on the pages (or lines) before the document's first part: the cover and the 目录."""
    loc = f.location
    if loc.table or loc.section or not outline.sections:
        return False
    first = outline.sections[0]
    if loc.page is not None and first.page is not None:
        return loc.page < first.page
    return loc.page is None and first.page is None and loc.line is not None and first.line is not None and loc.line < first.line


def _owner(f: Finding, items: list[dict[str, Any]], outline: Outline) -> int:
    """The index of the item a finding belongs to."""
    spec = f.location.table.split(" ", 1)[0] if f.location.table else ""
    for i, it in enumerate(items):
        if it["decide"] == "table" and spec and it["table"] == spec:
            return i
    if _before_first_section(f, outline):
        return next(i for i, it in enumerate(items) if it["decide"] == "cover")
    if f.location.section:
        path = f.location.section + (f"/{f.expected}" if f.expected else "")
        found = _section_item(path, items)
        if found is not None:
            return found
    for i, it in enumerate(items):
        if _rule_matches(f.rule, it.get("rules", ())):
            return i
    return next(i for i, it in enumerate(items) if it["decide"] == "rest")


def _sections(outline: Outline, item: dict[str, Any]) -> list[OutlineSection]:
    """The document's sections this item names (each found by its own title)."""
    items = [item]
    return [s for s in outline.sections if _section_item(s.title, items) == 0]


def _where(page: int | None, line: int | None) -> str:
    if page is not None:
        return t("checklist.page", page=page)
    if line is not None:
        return t("checklist.line", line=line)
    return ""


def _ran(report: DocumentReport, patterns: Sequence[str], table: str = "") -> list[str]:
    """The rules that ran on this document and decide the item (named by it, or reading its table)."""
    needs = {r.id: r.needs for r in all_rules()}
    out: list[str] = []
    for c in report.coverage:
        if c.status != "ran":
            continue
        n = needs.get(c.rule)
        reads_table = bool(table) and n is not None and (table in n.tables or any(table in g for g in n.together))
        if reads_table or _rule_matches(c.rule, patterns):
            out.append(c.rule)
    return out


def _not_checked(report: DocumentReport, patterns: Sequence[str]) -> list[str]:
    """The item's rules that did not run, grouped by their reason."""
    by_reason: dict[str, list[str]] = {}
    for c in report.coverage:
        if c.status == "not checked" and _rule_matches(c.rule, patterns):
            by_reason.setdefault(c.reason, []).append(c.rule)
    return [t("checklist.not_checked", rules="、".join(rules), reason=reason) for reason, rules in by_reason.items()]


def _partly(report: DocumentReport, patterns: Sequence[str]) -> list[str]:
    """What the item's rules that ran could not check (their 'partly' coverage: an undated cover)."""
    return [
        t("checklist.not_checked", rules=c.rule, reason=c.reason.removeprefix("partly:").strip())
        for c in report.coverage
        if c.status == "ran" and c.reason and _rule_matches(c.rule, patterns)
    ]


def _decide(report: DocumentReport, item: dict[str, Any], mine: list[Finding], fail_on: set[str]) -> ItemResult:
    res = ItemResult(item["group"], item["item"], UNCHECKED)
    reading = set(form()["reading_rules"])
    failing = [f for f in mine if f.severity in fail_on and f.rule not in reading]
    res.problems = [problem_line(f, report.source) for f in failing]
    unread = [problem_line(f, report.source) for f in mine if f.rule in reading]
    hints = [problem_line(f, report.source) for f in mine if f.severity not in fail_on and f.rule not in reading]
    outline = report.outline or Outline()
    patterns: list[str] = list(item.get("rules", ()))
    decide = item["decide"]
    checked_by: list[str] = []
    if decide == "timeliness":
        res.notes.append(t("checklist.timeliness"))
    elif decide == "cover":
        checked_by = _ran(report, patterns)
        if checked_by:
            res.notes.append(t("checklist_cover.checked"))
        elif not any(_rule_matches(c.rule, patterns) for c in report.coverage):
            res.notes.append(t("checklist.cover"))  # no cover rule in this run: say what was not checked
        res.notes.extend(_partly(report, patterns))
    elif decide == "contents":
        if outline.contents:
            checked_by = _ran(report, patterns)
            res.notes.append(t("checklist.contents_found", count=len(outline.contents)))
        else:
            res.notes.append(t("checklist.contents_missing"))
    elif decide == "section":
        found = _sections(outline, item)
        if found:
            first = found[0]
            res.notes.append(t("checklist.section_found", where=_where(first.page, first.line), title=first.title))
            checked_by = _ran(report, patterns)
            if item.get("presence"):
                checked_by = checked_by or [t("checklist.presence")]
        else:
            words = "、".join(item.get("words", ()))
            res.notes.append(t("checklist.section_missing", words=words))
    elif decide == "table":
        res.item, checked_by = _table(report, item, outline, patterns, res.notes)
    elif decide == "rest":
        ran = sum(1 for c in report.coverage if c.status == "ran")
        checked_by = [t("checklist.rest_rules", count=ran)] if ran else []
    res.notes.extend(_not_checked(report, patterns))
    if unread:
        res.notes.append(t("checklist.unread") + "\n" + "\n".join(unread))
        if not failing:
            checked_by = []
    if failing:
        res.verdict = NO
    elif checked_by:
        res.verdict = YES
        res.notes.append(t("checklist.checked_by", rules="、".join(checked_by)))
    if hints:
        res.notes.append(t("checklist.hints") + "\n" + "\n".join(hints))
    return res


def _table(report: DocumentReport, item: dict[str, Any], outline: Outline, patterns: list[str], notes: list[str]) -> tuple[str, list[str]]:
    """A standard table: named as printed when it is; checked when printed, understood and read by a rule that ran."""
    spec = item["table"]
    printed: list[OutlineTable] = [tb for tb in outline.tables if tb.spec_id == spec]
    if not printed:
        canonical = specs().by_id(spec).name
        absent = next((reason for what, reason in outline.absent if what == canonical), "")
        notes.append(t("checklist.table_missing") + (f"（{absent}）" if absent else ""))
        return item["item"], []
    first = printed[0]
    name = first.title or item["item"]
    notes.append(t("checklist.table_found", where=_where(first.page, first.line), title=first.title))
    if first.empty:
        notes.append(t("checklist.table_empty"))
    if not any(tb.understood for tb in printed):
        notes.append(t("checklist.table_not_understood", problems="；".join(first.problems)))
        return name, []
    return name, _ran(report, patterns, spec)


def checklist(report: DocumentReport) -> Checklist:
    """The filled form for one checked document."""
    data = form()
    m = report.meta
    kind = m.kind or "预算"
    items: list[dict[str, Any]] = data[kind]
    owned: list[list[Finding]] = [[] for _ in items]
    outline = report.outline or Outline()
    for f in report.findings:
        owned[_owner(f, items, outline)].append(f)
    fail_on = set(data["fail_on"])
    results = [_decide(report, it, owned[i], fail_on) for i, it in enumerate(items)]
    title = data["title"].format(year=m.year or "", region=m.region, scope=m.scope or "部门", kind=kind)
    return Checklist(title, m.department, source_name(report.source), kind, results)


def numbered(lines: Sequence[str]) -> str:
    """Several problems in one cell: '1. …' on its own line each."""
    if len(lines) == 1:
        return lines[0]
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))


# --- the workbook -------------------------------------------------------------------------------


def _sheet_name(department: str, index: int, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = "".join(ch for ch in department if ch not in "[]:*?/\\") or t("checklist.sheet_default")
    name = clean[:28]
    if name in used:
        name = f"{clean[:26]}_{index}"
    used.add(name)
    return name


def write_checklist(reports: Sequence[DocumentReport], path: Path, unreadable: Sequence[tuple[str, str]] = ()) -> None:
    """One sheet per document in the reviewer's form; unreadable inputs on a last sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    default = wb.active
    used: set[str] = set()
    columns: list[str] = form()["columns"]
    widths = (6, 12, 34, 10, 80, 50)
    wrap = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for n, report in enumerate(reports, 1):
        c = checklist(report)
        ws = wb.create_sheet(_sheet_name(c.department, n, used))
        ws.append([c.title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
        ws.cell(row=1, column=1).font = Font(bold=True, size=14)
        ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
        ws.append([t("checklist.department"), None, c.department])
        ws.append([t("checklist.url"), None, None])
        ws.append([t("checklist.file"), None, c.source])
        ws.append(columns)
        header = ws.max_row
        for col in range(1, len(columns) + 1):
            ws.cell(row=header, column=col).font = Font(bold=True)
            ws.cell(row=header, column=col).border = box
        for i, r in enumerate(c.items, 1):
            ws.append([i, r.group, r.item, r.verdict, numbered(r.problems) if r.problems else None, "\n".join(r.notes) or None])
            for col in range(1, len(columns) + 1):
                cell = ws.cell(row=ws.max_row, column=col)
                cell.alignment = wrap
                cell.border = box
            if r.verdict == NO:
                ws.cell(row=ws.max_row, column=4).font = Font(bold=True, color="9C0006")
        for col, width in enumerate(widths[: len(columns)], 1):
            ws.column_dimensions[chr(ord("A") + col - 1)].width = width
        ws.freeze_panes = ws.cell(row=header + 1, column=1)
    if unreadable:
        bad = wb.create_sheet(t("checklist.unreadable_sheet"))
        bad.append([t("checklist.file"), t("checklist.reason")])
        for source, reason in unreadable:
            bad.append([Path(source).name, reason])
    if default is not None and (reports or unreadable):
        wb.remove(default)
    wb.save(path)
