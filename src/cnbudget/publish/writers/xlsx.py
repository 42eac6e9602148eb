"""Document → xlsx: one sheet per table (laid out as the official table), one for the 情况说明."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cnbudget.publish.document import Document, Heading, Paragraph, TableBlock
from cnbudget.publish.fonts import render_config
from cnbudget.publish.money import parse_decimal
from cnbudget.publish.printed import PCell, PrintedTable, merged_runs

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_H = {"left": "left", "center": "center", "right": "right"}


def _font(bold: bool = False, size: float = 10) -> Font:
    fonts = render_config()["office_fonts"]
    assert isinstance(fonts, dict)
    return Font(name=fonts["table"], bold=bold, size=size)


def _sheet_name(t: PrintedTable, used: set[str]) -> str:
    base = (t.number or t.title or "其他表")[:31]
    name, n = base, 2
    while name in used:
        name = f"{base[:28]}({n})"
        n += 1
    used.add(name)
    return name


def _put(ws: Worksheet, row: int, cells: list[PCell | None], header: bool, runs: dict[int, int] | None = None) -> None:
    """One printed row from ``row``; ``runs`` (column index → rows) merges a cell with the merge_up cells below it."""
    for c, cell in enumerate(cells, start=1):
        target = ws.cell(row=row, column=c)
        target.border = _BOX
        if cell is None or cell.merge_up:
            continue
        value: object = cell.text
        if cell.align == "right" and cell.text:
            try:
                value = parse_decimal(cell.text)
            except ValueError:
                value = cell.text
        target.value = value
        if cell.align == "right" and not isinstance(value, str):
            target.number_format = "#,##0.00"
        target.alignment = Alignment(horizontal=_H[cell.align], vertical="center", wrap_text=True)
        target.font = _font(bold=header)
        rowspan = (runs or {}).get(c - 1, cell.rowspan)
        if cell.colspan > 1 or rowspan > 1:
            ws.merge_cells(start_row=row, start_column=c, end_row=row + rowspan - 1, end_column=c + cell.colspan - 1)


def _table_sheet(ws: Worksheet, t: PrintedTable, department: str) -> None:
    width = len(t.widths)
    ws.cell(row=1, column=1, value=t.title).font = _font(bold=True, size=14)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=2, column=width, value=t.number).alignment = Alignment(horizontal="right")
    ws.cell(row=3, column=1, value=f"编制单位：{department}" if department else "")
    ws.cell(row=3, column=width, value=f"金额单位：{t.unit}").alignment = Alignment(horizontal="right")
    row = 4
    for cells in t.header:
        _put(ws, row, cells, header=True)
        row += 1
    runs = merged_runs(t.body)
    for r, cells in enumerate(t.body):
        _put(ws, row, cells, header=False, runs={c: n for (rr, c), n in runs.items() if rr == r})
        row += 1
    for note in t.notes:
        ws.cell(row=row, column=1, value=note).font = _font(size=9)
        row += 1
    for c, w in enumerate(t.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w * 8
    ws.freeze_panes = ws.cell(row=4 + len(t.header), column=1).coordinate
    ws.page_setup.orientation = "landscape" if t.orientation == "L" else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"4:{3 + len(t.header)}" if t.header else None


def render_xlsx(doc: Document, path: Path) -> None:
    wb = Workbook()
    first = wb.active
    assert first is not None
    first.title = "情况说明"
    first.column_dimensions["A"].width = 120
    r = 1
    first.cell(row=r, column=1, value=doc.title).font = _font(bold=True, size=14)
    used = {"情况说明"}
    for b in doc.blocks:
        if isinstance(b, TableBlock):
            ws = wb.create_sheet(_sheet_name(b.table, used))
            _table_sheet(ws, b.table, b.department)
            continue
        r += 1
        if isinstance(b, Heading):
            first.cell(row=r, column=1, value=b.text).font = _font(bold=True, size=12)
        elif isinstance(b, Paragraph):
            cell = first.cell(row=r, column=1, value=b.text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(path)
