"""The workbook a finance officer fills: `cnbudget template` writes it, `inputs.read_workbook` reads it.

Sheets, fields and columns come from specs/publish_workbook.json. Each sheet has a help line,
a hidden row (or column) of keys that the reader matches on, so relabelling a heading does not
break the build, drop-down lists for codes and choices, and a 合计 row with SUM formulas so the
officer sees totals as the sheet fills. The reader ignores the template's own formulas (totals,
names); a formula the officer types counts as what Excel computed (inputs.py).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cnbudget.outfile import write_atomic
from cnbudget.publish.learned_codes import learned_names
from cnbudget.publish.spec import Field, SheetSpec, workbook_spec
from cnbudget.specs import economic_catalog, function_catalog

CODES_SHEET = "科目代码"
FIELD_KEY_COLUMN = 4  # hidden column D of a fields sheet holds the field keys
AMOUNT_FORMAT = "#,##0.00"

_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_HELP_FONT = Font(italic=True, color="595959")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def catalog_codes(kind: str, year: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(function 项 codes, economic 款 codes) valid in ``year``, each with its name for that year."""
    functions = [
        (e.code, e.name)
        for e in function_catalog()
        if e.level == "项" and (e.year_from is None or e.year_from <= year) and (e.year_to is None or year <= e.year_to)
    ]
    economics = [(e.code, e.name) for e in economic_catalog() if e.level == "款" and e.code.startswith("3")]
    have = {c for c, _n in functions} | {c for c, _n in economics}
    functions += [(c, n) for c, n in learned_names("function", year).items() if len(c) == 7 and c not in have]
    economics += [(c, n) for c, n in learned_names("economic", year).items() if len(c) == 5 and c.startswith("3") and c not in have]
    return sorted(set(functions)), sorted(set(economics))


def write_template(path: Path, kind: str, year: int, department: str = "") -> None:
    """Write an empty workbook for a 预算 or 决算 of ``year``."""
    spec = workbook_spec()
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    functions, economics = catalog_codes(kind, year)
    codes = wb.create_sheet(CODES_SHEET)
    _write_codes(codes, functions, economics)
    ranges = {
        "function": f"'{CODES_SHEET}'!$A$2:$A${len(functions) + 1}",
        "economic": f"'{CODES_SHEET}'!$D$2:$D${len(economics) + 1}",
    }
    names = {
        "function": f"'{CODES_SHEET}'!$A:$B",
        "economic": f"'{CODES_SHEET}'!$D:$E",
    }
    defaults = {"year": year, "kind": kind, "scope": "部门", "unit": "万元", "department": department}
    for sheet in spec.sheets:
        if not sheet.applies(kind):
            continue
        ws = wb.create_sheet(sheet.title)
        if sheet.layout == "fields":
            _write_fields(ws, sheet, kind, defaults)
        elif sheet.layout == "grid":
            _write_grid(ws, sheet, kind)
        elif sheet.layout == "form":
            write_form(ws, sheet)
        else:
            _write_lines(ws, sheet, kind, spec.layout, ranges.get(sheet.code), names.get(sheet.code))
    wb.move_sheet(CODES_SHEET, offset=len(wb.sheetnames))
    codes.sheet_state = "hidden"
    write_atomic(path, wb.save)


def _write_codes(ws: Worksheet, functions: list[tuple[str, str]], economics: list[tuple[str, str]]) -> None:
    ws.append(["功能分类科目编码", "科目名称", "", "经济分类科目编码", "科目名称"])
    for i in range(max(len(functions), len(economics))):
        f = functions[i] if i < len(functions) else ("", "")
        e = economics[i] if i < len(economics) else ("", "")
        ws.append([f[0], f[1], "", e[0], e[1]])


def _help(ws: Worksheet, text: str, width: int) -> None:
    ws.cell(row=1, column=1, value=text).font = _HELP_FONT
    ws.cell(row=1, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 36


def _write_fields(ws: Worksheet, sheet: SheetSpec, kind: str, defaults: dict[str, object]) -> None:
    _help(ws, sheet.help, 3)
    for col, title in enumerate(("项目", "内容", "说明"), start=1):
        c = ws.cell(row=2, column=col, value=title)
        c.font, c.fill, c.border, c.alignment = _BOLD, _HEAD_FILL, _BOX, _CENTER
    ws.cell(row=2, column=FIELD_KEY_COLUMN, value="key")
    for i, f in enumerate(sheet.fields_for(kind), start=3):
        ws.cell(row=i, column=1, value=f.label).border = _BOX
        value = ws.cell(row=i, column=2, value=defaults.get(f.key) if sheet.id == "meta" else None)
        value.border = _BOX
        value.alignment = _WRAP
        if f.type == "amount":
            value.number_format = AMOUNT_FORMAT
        ws.cell(row=i, column=3, value=f.help).font = _HELP_FONT
        ws.cell(row=i, column=FIELD_KEY_COLUMN, value=f.key)
        if f.choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(f.choices) + '"', allow_blank=True)
            ws.add_data_validation(dv)
            dv.add(value.coordinate)
    ws.column_dimensions["A"].width = 46
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 36
    ws.column_dimensions[get_column_letter(FIELD_KEY_COLUMN)].hidden = True


def _write_grid(ws: Worksheet, sheet: SheetSpec, kind: str) -> None:
    columns = sheet.columns_for(kind)
    _help(ws, sheet.help, len(columns) + 1)
    ws.cell(row=2, column=1, value="key")
    head = ws.cell(row=3, column=1, value="项目")
    head.font, head.fill, head.border, head.alignment = _BOLD, _HEAD_FILL, _BOX, _CENTER
    for j, col in enumerate(columns, start=2):
        ws.cell(row=2, column=j, value=col.key)
        c = ws.cell(row=3, column=j, value=col.label)
        c.font, c.fill, c.border, c.alignment = _BOLD, _HEAD_FILL, _BOX, _CENTER
        ws.column_dimensions[get_column_letter(j)].width = 18 if col.type == "amount" else 40
    key_col = len(columns) + 2
    first = 4
    for i, (key, label) in enumerate(sheet.rows, start=first):
        ws.cell(row=i, column=1, value=label).border = _BOX
        ws.cell(row=i, column=key_col, value=key)
        for j, col in enumerate(columns, start=2):
            c = ws.cell(row=i, column=j)
            c.border = _BOX
            if col.type == "amount":
                c.number_format = AMOUNT_FORMAT
    total_row = first + len(sheet.rows)
    ws.cell(row=total_row, column=1, value="合计（自动计算）").font = _BOLD
    for j, col in enumerate(columns, start=2):
        if col.type == "amount":
            letter = get_column_letter(j)
            c = ws.cell(row=total_row, column=j, value=f"=SUM({letter}{first}:{letter}{total_row - 1})")
            c.number_format, c.fill, c.font = AMOUNT_FORMAT, _TOTAL_FILL, _BOLD
    ws.row_dimensions[2].hidden = True
    ws.column_dimensions[get_column_letter(key_col)].hidden = True
    ws.column_dimensions["A"].width = 24
    ws.freeze_panes = "B4"


def _write_lines(ws: Worksheet, sheet: SheetSpec, kind: str, rows: dict[str, int], code_range: str | None, name_range: str | None) -> None:
    columns = sheet.columns_for(kind)
    _help(ws, sheet.help, min(len(columns), 12))
    key_row, group_row, label_row, total_row = rows["key_row"], rows["group_row"], rows["label_row"], rows["total_row"]
    first, count = rows["first_data_row"], rows["data_rows"]
    last = first + count - 1
    _group_headers(ws, columns, group_row)
    for j, col in enumerate(columns, start=1):
        ws.cell(row=key_row, column=j, value=col.key)
        c = ws.cell(row=label_row, column=j, value=col.label)
        c.font, c.fill, c.border, c.alignment = _BOLD, _HEAD_FILL, _BOX, _CENTER
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = col.width
        if col.type == "amount":
            t = ws.cell(row=total_row, column=j, value=f"=SUM({letter}{first}:{letter}{last})")
            t.number_format, t.fill, t.font = AMOUNT_FORMAT, _TOTAL_FILL, _BOLD
            for r in range(first, first + 60):
                ws.cell(row=r, column=j).number_format = AMOUNT_FORMAT
        if col.type == "code" and code_range:
            dv = DataValidation(type="list", formula1=f"={code_range}", allow_blank=True, errorStyle="warning")
            dv.error = "该编码不在程序自带的科目表中；如确属本年度科目，请在“自定义科目”表登记。"
            ws.add_data_validation(dv)
            dv.add(f"{letter}{first}:{letter}{last}")
        if col.choices or col.suggest:
            _choice_list(ws, col, f"{letter}{first}:{letter}{last}")
        if col.type == "name" and name_range:
            code_letter = get_column_letter(next(i for i, c in enumerate(columns, start=1) if c.type == "code"))
            for r in range(first, first + 60):
                ws.cell(row=r, column=j, value=f'=IF({code_letter}{r}="","",IFERROR(VLOOKUP({code_letter}{r},{name_range},2,FALSE),""))')
    ws.cell(row=total_row, column=1, value="合计（自动计算）").font = _BOLD
    ws.row_dimensions[key_row].hidden = True
    ws.row_dimensions[label_row].height = 48
    ws.freeze_panes = ws.cell(row=first, column=3 if sheet.code else 2).coordinate


def _choice_list(ws: Worksheet, col: Field, cells: str) -> None:
    """A drop-down of ``col.choices`` (other text refused) or ``col.suggest`` (other text accepted after a warning)."""
    items = col.choices or col.suggest
    style = "stop" if col.choices else "warning"
    dv = DataValidation(type="list", formula1='"' + ",".join(items) + '"', allow_blank=True, errorStyle=style)
    if col.suggest:
        dv.error = "不是常用的取值；如确需使用，请选择“是”继续。"
    ws.add_data_validation(dv)
    dv.add(cells)


def form_key_column(sheet: SheetSpec) -> int:
    """The hidden column of a form sheet that marks its field rows, section headers and titles."""
    return max([5] + [sum(c.span for c in sec.columns) for sec in sheet.sections]) + 1


def write_form(ws: Worksheet, sheet: SheetSpec) -> None:
    """A form sheet (整体绩效目标): field rows (label | text over the full width), then each
    section as a title row, a header row and empty rows. The hidden last column marks each row
    ("field:goal", "title", "section:tasks") so the reader finds them whatever is inserted."""
    width = form_key_column(sheet) - 1
    key_col = width + 1
    _help(ws, sheet.help, width)
    row = 3
    for f in sheet.fields:
        label = ws.cell(row=row, column=1, value=f.label)
        label.font, label.fill, label.border, label.alignment = _BOLD, _HEAD_FILL, _BOX, _CENTER
        value = ws.cell(row=row, column=2)
        value.alignment = Alignment(wrap_text=True, vertical="top")
        for k in range(2, width + 1):
            ws.cell(row=row, column=k).border = _BOX
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
        ws.cell(row=row, column=key_col, value=f"field:{f.key}")
        ws.row_dimensions[row].height = 120
        row += 2
    for sec in sheet.sections:
        title = ws.cell(row=row, column=1, value=sec.label)
        title.font = Font(bold=True, size=12)
        ws.cell(row=row, column=key_col, value="title")
        row += 1
        col = 1
        for c in sec.columns:
            head = ws.cell(row=row, column=col, value=c.label)
            head.font, head.fill, head.border, head.alignment = _BOLD, _HEAD_FILL, _BOX, _CENTER
            if c.span > 1:
                ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + c.span - 1)
            col += c.span
        ws.cell(row=row, column=key_col, value=f"section:{sec.key}")
        first = row + 1
        for r in range(first, first + sec.rows):
            col = 1
            for c in sec.columns:
                cell = ws.cell(row=r, column=col)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                for k in range(col, col + c.span):
                    ws.cell(row=r, column=k).border = _BOX
                if c.span > 1:
                    ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=col + c.span - 1)
                col += c.span
        col = 1
        for c in sec.columns:
            if c.choices or c.suggest:
                letter = get_column_letter(col)
                _choice_list(ws, c, f"{letter}{first}:{letter}{first + sec.rows - 1}")
            col += c.span
        row = first + sec.rows + 1
    widths = [30, 18, 28, 16, 60]
    for k in range(1, width + 1):
        ws.column_dimensions[get_column_letter(k)].width = widths[k - 1] if k <= len(widths) else 16
    ws.column_dimensions[get_column_letter(key_col)].hidden = True


def _group_headers(ws: Worksheet, columns: list[Field], row: int) -> None:
    """Merged group headings above the column labels (本年收入, 一般公共预算财政拨款支出, …)."""
    j = 1
    while j <= len(columns):
        group = columns[j - 1].group
        k = j
        while k < len(columns) and columns[k].group == group:
            k += 1
        if group:
            c = ws.cell(row=row, column=j, value=group)
            c.font, c.fill, c.alignment = _BOLD, _HEAD_FILL, _CENTER
            if k > j:
                ws.merge_cells(start_row=row, start_column=j, end_row=row, end_column=k)
        j = k + 1
