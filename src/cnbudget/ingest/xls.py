"""Legacy Excel workbooks (.xls, BIFF) as the cell grid both workbook readers take (cellgrid.py).

xlrd reads the workbook with its formatting (number formats, borders, merged ranges). A number is
kept as the double Excel stored, written as its shortest decimal text, so an .xls reads exactly as
the .xlsx of the same workbook does. A sheet reaching beyond the rows and columns any disclosure
uses, or holding more cells than one table, is refused with one sentence, as for an .xlsx; so is a
damaged or encrypted workbook.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from cnbudget.errors import InputError
from cnbudget.i18n import t
from cnbudget.ingest.cellgrid import CellSheet, SheetCell, number_text
from cnbudget.limits import MAX_GRID_CELLS, MAX_WORKBOOK_COLUMNS, MAX_WORKBOOK_ROWS
from cnbudget.safe_text import plain


def sheet_names(path: Path) -> list[str]:
    """Every sheet's name, hidden ones too, in order (a region's budget form is known by them)."""
    book = _open(path, on_demand=True)
    try:
        return list(book.sheet_names())
    finally:
        book.release_resources()


def read_xls(path: Path) -> list[CellSheet]:
    """Every sheet of an .xls: its cells with value, stored number, number format and border, its merges."""
    import xlrd

    name = plain(path.name)
    book = _open(path, on_demand=True)  # one sheet in memory at a time
    try:
        sheets: list[CellSheet] = []
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            if ws.nrows > MAX_WORKBOOK_ROWS or ws.ncols > MAX_WORKBOOK_COLUMNS:
                raise InputError(
                    t(
                        "formats.sheet_far", name=name, sheet=plain(ws.name), cell=f"{_letters(ws.ncols)}{ws.nrows}",
                        rows=f"{MAX_WORKBOOK_ROWS:,}", cols=MAX_WORKBOOK_COLUMNS,
                    )
                )
            sheet = CellSheet(ws.name, ws.visibility == 0)
            kept = 0
            for r in range(ws.nrows):
                for c, cell in enumerate(ws.row(r)):
                    got = _cell(book, cell, xlrd)
                    if got is None:
                        continue
                    kept += 1
                    if kept > MAX_GRID_CELLS:
                        raise InputError(t("formats.too_many", name=name, limit=f"{MAX_GRID_CELLS:,}"))
                    sheet.cells.setdefault(r + 1, {})[c + 1] = got
            sheet.merges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in ws.merged_cells if rhi > rlo and chi > clo]
            sheets.append(sheet)
            book.unload_sheet(index)
        return sheets
    except InputError:
        raise
    except Exception as exc:  # xlrd raises many kinds for a damaged record stream
        raise InputError(t("formats.xls_broken", name=name, why=plain(_why(exc)))) from None
    finally:
        book.release_resources()


def _open(path: Path, on_demand: bool) -> Any:
    import xlrd

    try:
        return xlrd.open_workbook(str(path), formatting_info=True, on_demand=on_demand, logfile=io.StringIO())
    except Exception as exc:  # XLRDError, CompDocError, struct.error … for a damaged or encrypted file
        raise InputError(t("formats.xls_broken", name=plain(path.name), why=plain(_why(exc)))) from None


def _cell(book: Any, cell: Any, xlrd: Any) -> SheetCell | None:
    """One cell as the grid keeps it; None for a cell with neither a value nor a border."""
    xf = book.xf_list[cell.xf_index] if cell.xf_index is not None and cell.xf_index < len(book.xf_list) else None
    bordered = xf is not None and any(
        getattr(xf.border, side) for side in ("top_line_style", "bottom_line_style", "left_line_style", "right_line_style")
    )
    fmt = book.format_map[xf.format_key].format_str if xf is not None and xf.format_key in book.format_map else ""
    kind = cell.ctype
    if kind == xlrd.XL_CELL_TEXT:
        return SheetCell(cell.value, "", fmt, bordered) if cell.value.strip() or bordered else None
    if kind == xlrd.XL_CELL_NUMBER:
        value = float(cell.value)
        return SheetCell(int(value) if value.is_integer() else value, number_text(value), fmt, bordered)
    if kind == xlrd.XL_CELL_DATE:
        try:
            when: Any = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            when = float(cell.value)
        return SheetCell(when, number_text(float(cell.value)), "date", bordered)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return SheetCell(bool(cell.value), "1" if cell.value else "0", fmt, bordered)
    if kind == xlrd.XL_CELL_ERROR:
        return SheetCell(xlrd.error_text_from_code.get(cell.value, "#N/A"), "", fmt, bordered)
    return SheetCell(None, "", fmt, True) if bordered else None


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def _why(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
