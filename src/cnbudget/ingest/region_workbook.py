"""A region's own budget workbook (the template a district hands its departments, filled in) → Layout.

The workbook is read as a cell grid (ingest/cellgrid.py): openpyxl's for an .xlsx, xlrd's for a
legacy .xls, so both are read by the same code below.

Such a workbook prints the disclosure sheet by sheet: a cover, a 目录, one sheet per narrative part
and one per table, each table with its title, its 编制部门/单位 caption, its header and its rows.
Read as a document, it needs no mapping of its own: every sheet becomes a page (page = the sheet's
position, line = the row), its text rows become lines, its table becomes a grid, and recognition
types the tables by their printed titles and headers (specs/tables.json), as for a PDF. What is
the region's (which sheet is what, which header cells name code columns, the template's
placeholders) is data in specs/region_workbooks.json.

Amounts are carried exactly: a number cell becomes its exact decimal text (the float openpyxl gives
is the shortest text that round-trips, which is what Excel stored), at least to the fen, never
rounded to the cell's display format. A formula cell gives the value Excel last computed; one saved
without a computed value (by a tool that does not calculate) is refused on a table sheet. A
workbook whose tables hold no figure at all is the unfilled template: refused with one sentence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cnbudget.errors import InputError
from cnbudget.i18n import t
from cnbudget.ingest.cellgrid import CellSheet, from_openpyxl
from cnbudget.ingest.formulas import cells_text, formula_cells, uncalculated
from cnbudget.ingest.ole import is_ole
from cnbudget.ingest.xls import read_xls
from cnbudget.model import Cell, Grid, Layout, Line
from cnbudget.safe_text import plain
from cnbudget.specs.region_workbooks import RegionWorkbook, is_own_template, region_workbook_for

ZIP_MAGIC = b"PK\x03\x04"


def is_workbook(head: bytes) -> bool:
    """An Office Open XML file (a zip): the only workbook format read here."""
    return head.startswith(ZIP_MAGIC)


@dataclass
class SheetGaps:
    """What a workbook leaves unfilled: tables with no figure, text sheets still in the template's wording."""

    tables: int = 0
    empty_tables: list[str] = field(default_factory=list)
    template_text: list[str] = field(default_factory=list)


def read_region_workbook(path: str) -> Layout:
    """The Layout of a region workbook; InputError for anything else or for an unfilled template."""
    layout, gaps = read_with_gaps(path)
    name = plain(Path(path).name)
    if gaps.tables and len(gaps.empty_tables) == gaps.tables:
        raise InputError(t("region_workbook.blank", name=name, n=gaps.tables))
    return layout


def read_with_gaps(path: str) -> tuple[Layout, SheetGaps]:
    """The Layout and what is left unfilled (the blank template is not refused here)."""
    p = Path(path)
    name = plain(p.name)
    with p.open("rb") as fh:
        legacy = is_ole(fh.read(8))
    sheets = read_xls(p) if legacy else _xlsx_sheets(p, name)  # .xls or .xlsx: the same cell grid
    names = [ws.title for ws in sheets]
    spec = region_workbook_for(names)
    if spec is None and is_own_template(names):
        raise InputError(t("region_workbook.own_template", name=name))
    if spec is None:
        raise InputError(t("region_workbook.unknown", name=name))
    layout = Layout(source=str(path), format="xls" if legacy else "xlsx", page_count=len(sheets))
    if not legacy:  # an .xls always stores the results of its formulas
        _uncalculated(layout, spec, sheets, p)
    gaps = SheetGaps()
    for page, ws in enumerate(sheets, start=1):
        if not ws.visible:
            continue
        cells = _cells(ws)
        role = spec.role(ws.title)
        if role == "table":
            gaps.tables += 1
            figures = _table(layout, spec, cells, page)
            if not figures:
                gaps.empty_tables.append(ws.title.strip())
        else:
            text = _text(layout, cells, page)
            if role == "text" and spec.placeholder_text.search(text):
                gaps.template_text.append(ws.title.strip())
    if gaps.empty_tables and len(gaps.empty_tables) < gaps.tables:
        layout.notes.append(t("region_workbook.empty_tables", sheets="、".join(gaps.empty_tables)))
    if gaps.template_text:
        layout.notes.append(t("region_workbook.template_text", sheets="、".join(gaps.template_text)))
    return layout, gaps


def _uncalculated(layout: Layout, spec: RegionWorkbook, sheets: list[CellSheet], path: Path) -> None:
    """Formulas saved without a computed value read as empty: refused on a table sheet (its amounts
    would vanish), a note elsewhere; either way naming the sheets and cells."""
    missing = uncalculated(formula_cells(path))
    visible = [ws.title for ws in sheets if ws.visible and ws.title in missing]

    def where(titles: list[str]) -> str:
        each = (t("workbook_formulas.sheet_cells", sheet=plain(x.strip()), cells=cells_text(missing[x])) for x in titles)
        return t("workbook_formulas.join").join(each)

    tables = [x for x in visible if spec.role(x) == "table"]
    if tables:
        raise InputError(t("workbook_formulas.region", name=plain(path.name), where=where(tables)))
    if visible:
        layout.notes.append(t("workbook_formulas.region_text", where=where(visible)))


# ---------------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    rows: dict[int, dict[int, Any]]  # row → column → value (non-empty only)
    spans: dict[tuple[int, int], tuple[int, int]]  # top-left (row, col) → (rowspan, colspan)
    covered: set[tuple[int, int]]  # positions merged into another cell


def _xlsx_sheets(p: Path, name: str) -> list[CellSheet]:
    from openpyxl import load_workbook

    from cnbudget.ingest.workbook_limits import check_archive, check_extent

    check_archive(p)
    try:
        with p.open("rb") as fh:  # a file object: openpyxl judges a path by its suffix, a stored upload has none
            wb = load_workbook(fh, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign zip
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(t("region_workbook.unreadable", name=name, why=plain(why))) from None
    check_extent(wb, p)
    return from_openpyxl(wb)


def _cells(ws: CellSheet) -> _Sheet:
    rows: dict[int, dict[int, Any]] = {}
    for r, row in ws.cells.items():
        for c, cell in row.items():
            v = cell.value
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            rows.setdefault(r, {})[c] = (v, cell)
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in ws.merges:
        spans[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        covered.discard((r1, c1))
    return _Sheet(rows=rows, spans=spans, covered=covered)


def _text(layout: Layout, sheet: _Sheet, page: int) -> str:
    """Every text row as lines (a cell holding several lines gives several); returns all the text."""
    seen = []
    for r in sorted(sheet.rows):
        cells = [_plain(v) for _c, (v, _cell) in sorted(sheet.rows[r].items())]
        for piece in "\n".join(cells).splitlines():
            if piece.strip():
                layout.blocks.append(Line(text=piece.strip(), page=page, line=r))
                seen.append(piece)
    return "\n".join(seen)


def _table(layout: Layout, spec: RegionWorkbook, sheet: _Sheet, page: int) -> int:
    """Title and caption rows as lines, the header and body as one grid, notes as lines. Returns
    how many figures the body holds (0: the table was left empty)."""
    rows = sorted(sheet.rows)
    start = next((r for r in rows if _is_grid_row(spec, sheet.rows[r])), None)
    for r in rows:
        if start is None or r < start:
            line = "  ".join(_plain(v) for _c, (v, _cell) in sorted(sheet.rows[r].items()))
            layout.blocks.append(Line(text=" ".join(line.split()), page=page, line=r))
    if start is None:
        return 0
    body = [r for r in rows if r >= start]
    notes = [r for r in body if _is_note_row(spec, sheet.rows[r])]
    body = [r for r in body if r not in notes and not _is_placeholder_row(spec, sheet.rows[r])]
    width = max(c for r in body for c in sheet.rows[r])
    width = max([width] + [c + span[1] - 1 for (r, c), span in sheet.spans.items() if r in body and c <= width])
    code_cols = _code_columns(spec, sheet, body)
    grid: list[list[Cell]] = []
    figures = 0
    for r in body:
        out: list[Cell] = []
        for col in range(1, width + 1):
            got = sheet.rows[r].get(col)
            rowspan, colspan = sheet.spans.get((r, col), (1, 1))
            text = ""
            if got is not None and (r, col) not in sheet.covered:
                value, _cell = got
                text = _cell_text(value, col in code_cols)
                figures += isinstance(value, int | float | Decimal) and not isinstance(value, bool) and col not in code_cols
            out.append(Cell(text=text, page=page, line=r, colspan=colspan, rowspan=rowspan))
        grid.append(out)
    layout.blocks.append(Grid(rows=grid, page=page, line=start))
    for r in notes:
        text = " ".join(_plain(v) for _c, (v, _cell) in sorted(sheet.rows[r].items()))
        layout.blocks.append(Line(text=" ".join(text.split()), page=page, line=r))
    return figures


def _is_grid_row(spec: RegionWorkbook, cells: dict[int, Any]) -> bool:
    """The first header row: two or more cells, not the 编制部门 / 单位 caption."""
    texts = [_plain(v) for v, _cell in cells.values()]
    return len(texts) >= 2 and not any(spec.caption.search(x.strip()) for x in texts)


def _is_note_row(spec: RegionWorkbook, cells: dict[int, Any]) -> bool:
    texts = [_plain(v).strip() for v, _cell in cells.values()]
    return len(texts) == 1 and bool(spec.note.search(texts[0]))


def _is_placeholder_row(spec: RegionWorkbook, cells: dict[int, Any]) -> bool:
    return all(isinstance(v, str) and spec.placeholder_cell.fullmatch(v.strip()) for v, _cell in cells.values())


def _code_columns(spec: RegionWorkbook, sheet: _Sheet, body: list[int]) -> set[int]:
    """Columns under a header cell that names a code (类 / 款 / 项 / 科目编码), merged headers spread."""
    out: set[int] = set()
    for r in body[:4]:
        for c, (v, _cell) in sheet.rows[r].items():
            if isinstance(v, str) and spec.code_header.search("".join(v.split())):
                span = sheet.spans.get((r, c), (1, 1))[1]
                out |= set(range(c, c + span))
    return out


def _plain(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _cell_text(value: Any, code: bool) -> str:
    """A cell as a printed disclosure shows it: codes as written, amounts exact with thousands
    separators and at least two places (never rounded to the display format)."""
    if isinstance(value, str):
        return "".join(value.split()) if "\n" in value else value.strip()
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return _plain(value)
    if code:
        return str(int(value)) if float(value).is_integer() else repr(value)
    try:
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return repr(value)
    exponent = d.as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"{d:,.{places}f}"
