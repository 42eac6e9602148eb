"""One cell grid for every workbook format, so each workbook reader reads .xlsx and .xls alike.

A sheet is its title, whether it is shown, its cells (row → column → cell, both from 1, only cells
holding a value or drawn with a border) and its merged ranges. A cell carries its value as openpyxl
gives it (str, int, float, bool, datetime; the value Excel last computed for a formula), the stored
number as decimal text (``raw``: what an .xlsx part holds, a date's serial), its number format
("date" for a date) and whether a border is drawn. The region reader (region_workbook.py) reads the
values, the general reader (xlsx.py) the stored numbers in their number format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

Area = tuple[int, int, int, int]  # first row, first column, last row, last column
Value = str | int | float | bool | dt.datetime | dt.date | None


@dataclass(slots=True)
class SheetCell:
    value: Value
    raw: str = ""
    number_format: str = ""
    bordered: bool = False


@dataclass
class CellSheet:
    title: str
    visible: bool
    cells: dict[int, dict[int, SheetCell]] = field(default_factory=dict)
    merges: list[Area] = field(default_factory=list)


def number_text(value: float) -> str:
    """A stored double as the shortest decimal text that gives it back (what an .xlsx part holds):
    560.0 → '560', 2940.05 → '2940.05'."""
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def from_openpyxl(wb: Any) -> list[CellSheet]:
    """The sheets of a workbook openpyxl opened (data_only): values and merged ranges."""
    sheets: list[CellSheet] = []
    for ws in wb.worksheets:
        sheet = CellSheet(ws.title, ws.sheet_state == "visible")
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is None or (isinstance(v, str) and not v.strip()):
                    continue
                sheet.cells.setdefault(c.row, {})[c.column] = SheetCell(v)
        sheet.merges = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
        sheets.append(sheet)
    return sheets
