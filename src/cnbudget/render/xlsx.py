"""The issue list for finance staff: an xlsx workbook (openpyxl).

Sheet 问题清单 has one row per finding, in the order of the JSON report: 文件, 部门, 年度, 类型, 严重程度,
规则, 类别, 表格, 行, 列, 页, 行号, 说明, 应为, 实际, 编号, 审核, 所在文件 (the file of the page: 文件 names
the document, which may have been read from several files) — header frozen, autofilter on, severity coloured, the
rule id linked to its explanation on sheet 规则说明 (the rules that reported something). A narrative
finding has no table: its 表格 cell reads '情况说明 · <section>'. 行号 is the line of a converted text
file (a PDF finding has its 页 instead). Inputs that could not be read are listed on a third sheet,
未能读取, so a partial batch is never mistaken for a complete one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cnbudget.i18n import t
from cnbudget.model import source_name
from cnbudget.outfile import write_atomic
from cnbudget.render import coverage
from cnbudget.render.report import SEVERITY_ZH
from cnbudget.rules.findings import Finding
from cnbudget.rules.report import DocumentReport, rules_used
from cnbudget.safe_text import cell_value

ISSUES_SHEET = "问题清单"
RULES_SHEET = "规则说明"
UNREADABLE_SHEET = "未能读取"

# (header, column width in characters)
ISSUE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("文件", 28),
    ("部门", 22),
    ("年度", 7),
    ("类型", 6),
    ("严重程度", 9),
    ("规则", 12),
    ("类别", 14),
    ("表格", 28),
    ("行", 28),
    ("列", 22),
    ("页", 5),
    ("行号", 6),
    ("说明", 80),
    ("应为", 14),
    ("实际", 14),
    ("编号", 12),
    ("审核", 24),
    ("所在文件", 28),
)
RULE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("规则", 14),
    ("名称", 30),
    ("类别", 16),
    ("默认严重程度", 12),
    ("适用", 8),
    ("说明", 90),
    ("依据", 20),
)

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_SEVERITY_STYLE = {
    "error": (PatternFill("solid", fgColor="FFC7CE"), Font(color="9C0006", bold=True)),
    "warning": (PatternFill("solid", fgColor="FFEB9C"), Font(color="9C5700")),
    "info": (PatternFill("solid", fgColor="DDEBF7"), Font(color="1F4E78")),
}
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")


def table_cell(f: Finding) -> str:
    """The 表格 column: the table, or '情况说明 · section' for a narrative finding."""
    loc = f.location
    if loc.table:
        return loc.table
    if loc.section:
        return f"情况说明 · {loc.section}"
    return ""


def issue_row(report: DocumentReport, f: Finding, review: str = "") -> list[str | int | None]:
    """One row of 问题清单, in ISSUE_COLUMNS order (``review``: the review state, as the 审核 cell)."""
    loc = f.location
    m = report.meta
    return [
        source_name(report.source),
        m.department,
        m.year,
        m.kind or "",
        SEVERITY_ZH[f.severity],
        f.rule,
        t(f"category.{f.category}"),
        table_cell(f),
        loc.row,
        loc.column,
        loc.page,
        loc.line if loc.page is None else None,
        f.text(),
        f.expected,
        f.actual,
        f.id,
        review or (t("review.status_confirmed") if f.id in report.confirmed else ""),
        source_name(loc.file) if loc.file else "",
    ]


def _review_cell(status: str, reason: str) -> str:
    label = t(f"review.status_{status}")
    return f"{label}：{reason}" if reason else label


def _header(ws: Worksheet, columns: Sequence[tuple[str, int]]) -> None:
    ws.append([name for name, _ in columns])
    for i, (_, width) in enumerate(columns, 1):
        cell = ws.cell(row=1, column=i)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def _filter(ws: Worksheet, columns: Sequence[tuple[str, int]]) -> None:
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(ws.max_row, 1)}"  # once per sheet


def build_workbook(reports: Sequence[DocumentReport], unreadable: Sequence[tuple[str, str]] = ()) -> Workbook:
    wb = Workbook()
    issues = wb.active
    assert issues is not None
    issues.title = ISSUES_SHEET
    _header(issues, ISSUE_COLUMNS)
    used = rules_used(reports)
    rule_row = {r.id: i for i, r in enumerate(used, 2)}
    severity_col = [name for name, _ in ISSUE_COLUMNS].index("严重程度") + 1
    rule_col = severity_col + 1
    message_col = [name for name, _ in ISSUE_COLUMNS].index("说明") + 1
    row = 1  # counted here: Worksheet.max_row scans every cell, which made the report quadratic
    for report in reports:
        listed = [(f, "") for f in report.findings]
        listed += [(x.finding, _review_cell("dismissed", x.entry.reason)) for x in report.dismissed if x.finding is not None]
        for f, review in listed:
            issues.append([cell_value(v) for v in issue_row(report, f, review)])
            row += 1
            for col in range(1, len(ISSUE_COLUMNS) + 1):
                issues.cell(row=row, column=col).alignment = _TOP
            issues.cell(row=row, column=message_col).alignment = _WRAP
            fill, font = _SEVERITY_STYLE[f.severity]
            sev = issues.cell(row=row, column=severity_col)
            sev.fill, sev.font = fill, font
            if f.rule in rule_row:
                link = issues.cell(row=row, column=rule_col)
                link.hyperlink = f"#'{RULES_SHEET}'!A{rule_row[f.rule]}"
                link.font = Font(color="0563C1", underline="single")
        for x in report.fixed:
            m = report.meta
            row += 1
            issues.append(
                [
                    source_name(report.source),
                    m.department,
                    m.year,
                    m.kind or "",
                    "",
                    x.entry.rule,
                    "",
                    "",
                    "",
                    "",
                    None,
                    None,
                    x.entry.message,
                    "",
                    "",
                    x.id,
                    _review_cell("fixed", x.entry.reason),
                    "",
                ]
            )
    _filter(issues, ISSUE_COLUMNS)

    rules_ws = wb.create_sheet(RULES_SHEET)
    _header(rules_ws, RULE_COLUMNS)
    for r in used:
        category, applies = t(f"category.{r.category}"), t(f"applies.{r.applies_to}")
        rules_ws.append([r.id, r.name(), category, SEVERITY_ZH[r.severity], applies, r.explain(), r.cites()])
        row = rules_ws.max_row
        for col in range(1, len(RULE_COLUMNS) + 1):
            rules_ws.cell(row=row, column=col).alignment = _WRAP
    _filter(rules_ws, RULE_COLUMNS)

    if unreadable:
        bad = wb.create_sheet(UNREADABLE_SHEET)
        _header(bad, (("文件", 40), ("原因", 100)))
        for path, reason in unreadable:
            bad.append([cell_value(Path(path).name), cell_value(reason)])
    coverage.add_sheet(wb, reports)
    return wb


def write_xlsx(reports: Sequence[DocumentReport], path: Path, unreadable: Sequence[tuple[str, str]] = ()) -> None:
    """Write the issue list workbook to ``path`` (through a temporary file: a failure leaves nothing)."""
    workbook = build_workbook(reports, unreadable)
    write_atomic(path, workbook.save)
