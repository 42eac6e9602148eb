"""Fill the Shanghai district's own budget workbook as a department would: with a real Shanghai
sample's figures (tests only).

The template (../shared/samples/workbooks) is copied; each table sheet's body (below its header)
is cleared and the sample's rows are typed in — codes split into 类 / 款 / 项 as the template asks,
amounts as numbers (Decimal, exactly the printed value), an empty printed cell left empty — and
each narrative sheet gets the sample's own text. Cell addresses of the written amounts are
returned, so that a test can follow one value from a named cell to the built table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from cnbudget.model import Disclosure, Row, Table

# first body row of each table sheet, by the table it holds (dept template / unit template)
FIRST_ROW = {"B1": 8, "B2": 9, "B3": 9, "B4": 8, "B5": 9, "B6": 9, "B7": 7, "B8": 9, "B9": 9}
FIRST_ROW_UNIT = {**FIRST_ROW, "B1": 10}
# sheet title → the table it holds (the fill helper's own key; the reader types them by title)
SHEETS = {
    "收支总表": "B1", "收入总表": "B2", "支出总表": "B3", "财政拨款收支总表": "B4", "一般公共预算拨款表": "B5",
    "政府性基金拨款表": "B8", "国有资本经营预算拨款表": "B9", "一般公共预算拨款基本支出明细表": "B6",
    "“三公”经费和机关运行费预算表": "B7",
}  # fmt: skip


@dataclass
class Filled:
    path: Path
    cells: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (table, row key, column) → 'sheet'!A1


def _clear(ws: Worksheet, first: int) -> None:
    for rng in list(ws.merged_cells.ranges):
        if rng.max_row >= first:
            ws.unmerge_cells(str(rng))
    for row in ws.iter_rows(min_row=first, max_row=max(ws.max_row, first)):
        for c in row:
            c.value = None


def _amount(row: Row, column: str) -> Decimal | None:
    v = next((v for v in row.values if v.column == column and v.amount is not None), None)
    return v.amount.value if v is not None and v.amount is not None else None


def _key(row: Row) -> str:
    return f"{row.side}|{row.code or row.label}"


def _code_parts(code: str) -> list[object]:
    parts: list[object] = [int(code[:3])] if code else [None]
    parts += [code[3:5] if len(code) >= 5 else None, code[5:7] if len(code) >= 7 else None]
    return parts


def _value_columns(t: Table) -> list[str]:
    return [c.key for c in t.columns if c.role == "value"]


def _write_row(ws: Worksheet, r: int, col: int, cols: list[str], row: Row, table: str, filled: Filled) -> None:
    for j, key in enumerate(cols):
        v = _amount(row, key)
        if v is not None:
            cell = ws.cell(row=r, column=col + j, value=v)
            filled.cells[(table, _key(row), key)] = f"'{ws.title}'!{cell.coordinate}"


def fill(template: Path, sample: Disclosure, out: Path, unit: bool = False) -> Filled:
    wb = load_workbook(template)
    filled = Filled(out)
    first_rows = FIRST_ROW_UNIT if unit else FIRST_ROW
    for ws in wb.worksheets:
        name = ws.title.strip()[2:]
        spec = SHEETS.get(name)
        table = sample.table(spec) if spec else None
        if spec is None or table is None:
            continue
        first = first_rows[spec]
        _clear(ws, first)
        ws["A2"] = table.title  # the sample's own title (its year)
        cols = _value_columns(table)
        if spec in ("B1", "B4"):
            sides = [[r for r in table.rows if r.side == s] for s in ("收入", "支出")]
            left_cols = [c.key for c in table.columns if c.role == "value" and c.side == "收入"]
            right_cols = [c.key for c in table.columns if c.role == "value" and c.side == "支出"]
            body = [[r for r in side if "总计" not in r.label] for side in sides]
            totals = [[r for r in side if "总计" in r.label] for side in sides]
            n = max(len(b) for b in body)
            for k, (rows, label_col, cs) in enumerate(((body[0], 1, left_cols), (body[1], 2 + len(left_cols), right_cols))):
                for i, row in enumerate(rows):
                    ws.cell(row=first + i, column=label_col, value=row.label)
                    _write_row(ws, first + i, label_col + 1, cs, row, spec, filled)
                for row in totals[k]:
                    ws.cell(row=first + n, column=label_col, value=row.label)
                    _write_row(ws, first + n, label_col + 1, cs, row, spec, filled)
        elif spec == "B7":
            for row in table.rows:
                _write_row(ws, first, 1, cols, row, spec, filled)
        else:
            economic = spec == "B6"
            label_col = 3 if economic else 4
            for i, row in enumerate(table.rows):
                r = first + i
                if row.code:
                    parts = _code_parts(row.code)[: 2 if economic else 3]
                    for j, p in enumerate(parts, start=1):
                        ws.cell(row=r, column=j, value=p)
                ws.cell(row=r, column=label_col, value=row.label)
                _write_row(ws, r, label_col + 1, cols, row, spec, filled)
        if table.notes or table.note:
            ws.cell(row=ws.max_row + 1, column=1, value=(table.notes or [table.note])[0])
    _narrative(wb, sample)
    wb.save(out)
    return filled


def _narrative(wb: object, sample: Disclosure) -> None:
    """The cover's department, and each narrative sheet's text from the sample's section of that title."""
    sheets = {ws.title.strip(): ws for ws in wb.worksheets}  # type: ignore[attr-defined]
    cover = sheets.get("封面")
    if cover is not None:
        label = str(cover["A9"].value).split("：")[0]
        cover["A9"] = f"{label}：{sample.meta.department}"
        cover["A3"] = str(cover["A3"].value).replace("2026", str(sample.meta.year))
    for s in sample.sections:
        for ws in sheets.values():
            head = str(ws["A1"].value or "")
            if not head or ws.title.strip() in ("封面", "目录") or ws.title.strip()[2:] in SHEETS:
                continue
            if _same_part(head, s.title):
                ws["A1"] = s.title
                for extra in range(4, ws.max_row + 1):
                    if not isinstance(ws[f"A{extra}"], MergedCell):
                        ws[f"A{extra}"] = None
                ws["A3"] = "\n".join(_texts(s))


def _same_part(template_title: str, title: str) -> bool:
    tail = re.sub(r"^20\d\d年", "", template_title.replace("XX（部门）", "").replace("XX（单位）", "").replace("XX", ""))
    return bool(tail) and title.endswith(tail)


def _texts(s: object) -> list[str]:
    out = [p.text for p in s.paragraphs]  # type: ignore[attr-defined]
    for c in s.children:  # type: ignore[attr-defined]
        out.append(f"{c.number}、{c.title}" if c.number and not c.number.startswith("（") else f"{c.number}{c.title}")
        out.extend(_texts(c))
    return out
