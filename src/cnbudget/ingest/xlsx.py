"""Reader for disclosures published as Excel workbooks (.xlsx, and legacy .xls through the cell grid of
ingest/xls.py): one table per sheet, or a whole disclosure in one workbook.

Each visible sheet is one "page" (its number in the workbook's order) and each worksheet row one
line (its row number), so every value is traced to its sheet, row and column. A run of rows with
cell borders is a table (Grid); every other row is a line of text. A sheet without any border
counts a row with two or more filled cells as a table row. Numbers are shown as the sheet shows
them: the stored value (Excel's shortest decimal form, never a float) in the cell's number format —
``#,##0.00`` prints 2,940.05 — so the printed precision is the one a reader sees.

The workbook's XML is read here directly (no openpyxl): values stay exact text, rows stream, and
the extent limits hold before any cell is kept.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from io import BytesIO
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from cnbudget.errors import InputError
from cnbudget.i18n import t
from cnbudget.ingest.cellgrid import SheetCell
from cnbudget.ingest.office import Span, attr, has_part, join_wrapped, local, open_archive, parse_part, place, read_part
from cnbudget.ingest.ole import is_ole
from cnbudget.ingest.xls import read_xls
from cnbudget.limits import MAX_GRID_CELLS, MAX_WORKBOOK_COLUMNS, MAX_WORKBOOK_ROWS, computable
from cnbudget.model import Grid, Layout, Line
from cnbudget.reasons import xml_reason
from cnbudget.safe_text import plain

# Excel's built-in number formats that show a fixed number of places (ids from ECMA-376 §18.8.30).
_BUILTIN_FORMATS = {
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    37: "#,##0;(#,##0)",
    38: "#,##0;(#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;(#,##0.00)",
    49: "@",
}
_DATE_IDS = set(range(14, 23)) | set(range(45, 48))
_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_GENERAL = Context(prec=15, rounding=ROUND_HALF_EVEN)  # Excel keeps 15 significant digits


@dataclass(slots=True)
class _Style:
    number_format: str = ""
    bordered: bool = False


@dataclass
class _Book:
    name: str
    sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet name, part), visible sheets in order
    hidden: list[str] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)
    styles: list[_Style] = field(default_factory=list)


def read_xlsx(path: str) -> Layout:
    """Read an .xlsx (or legacy .xls) disclosure into a Layout: one page per visible sheet, one line per row."""
    p = Path(path)
    name = plain(p.name)
    with p.open("rb") as fh:
        legacy = is_ole(fh.read(8))
    if legacy:
        return _read_xls(p, name)
    layout = Layout(source=str(path), format="xlsx")
    with open_archive(p) as archive:
        book = _book(archive, name)
        for page, (sheet, part) in enumerate(book.sheets, start=1):
            cells, merges = _sheet(archive, part, sheet, book)
            layout.blocks.extend(_blocks(cells, merges, page, sheet, name))
        layout.page_count = len(book.sheets)
    return _finished(layout, book.hidden, name)


def _read_xls(p: Path, name: str) -> Layout:
    """An .xls through the cell grid (ingest/xls.py): each cell shown as the .xlsx reader shows it."""
    sheets = read_xls(p)
    layout = Layout(source=str(p), format="xls")
    shown = [s for s in sheets if s.visible]
    for page, sheet in enumerate(shown, start=1):
        cells = {r: {c: _XCell(_grid_text(cell), cell.bordered) for c, cell in row.items()} for r, row in sheet.cells.items()}
        layout.blocks.extend(_blocks(cells, sheet.merges, page, sheet.title, name))
    layout.page_count = len(shown)
    return _finished(layout, [plain(s.title) for s in sheets if not s.visible], name)


def _grid_text(cell: SheetCell) -> str:
    """A grid cell's text as ``_cell_text`` gives the same cell of an .xlsx."""
    if cell.value is None:
        return ""
    if isinstance(cell.value, bool):
        return "TRUE" if cell.value else "FALSE"
    if isinstance(cell.value, str):
        return _lines(cell.value)
    return shown_number(cell.raw, cell.number_format)


def _finished(layout: Layout, hidden: list[str], name: str) -> Layout:
    if hidden:
        layout.notes.append(t("formats.hidden_sheets", sheets="、".join(hidden)))
    if not layout.blocks:
        raise InputError(t("formats.no_text", name=name))
    return layout


# --- the workbook: sheets, shared strings, styles ------------------------------------------------


def sheet_names(archive: zipfile.ZipFile, name: str) -> list[str]:
    """Every sheet's name, hidden ones too, in order (a region's budget form is known by them)."""
    return [s.get("name") or "" for s in parse_part(archive, "xl/workbook.xml", name).iter() if local(s.tag) == "sheet"]


def sheet_parts(archive: zipfile.ZipFile, name: str) -> list[tuple[str, str, bool]]:
    """(title, part name, visible) of every worksheet whose part the archive holds, in the workbook's order."""
    targets: dict[str, str] = {}
    if has_part(archive, "xl/_rels/workbook.xml.rels"):
        for rel in parse_part(archive, "xl/_rels/workbook.xml.rels", name):
            rid, target = rel.get("Id"), rel.get("Target")
            if rid and target:
                targets[rid] = _resolve(target)
    out: list[tuple[str, str, bool]] = []
    for sheet in parse_part(archive, "xl/workbook.xml", name).iter():
        if local(sheet.tag) != "sheet":
            continue
        part = targets.get(attr(sheet, "id") or "", "")
        if part and has_part(archive, part):
            out.append((sheet.get("name") or "", part, (sheet.get("state") or "visible") == "visible"))
    return out


def _book(archive: zipfile.ZipFile, name: str) -> _Book:
    book = _Book(name)
    for title, part, visible in sheet_parts(archive, name):
        if not visible:
            book.hidden.append(plain(title))
            continue
        book.sheets.append((title, part))
    if has_part(archive, "xl/sharedStrings.xml"):
        for si in parse_part(archive, "xl/sharedStrings.xml", name):
            book.strings.append(_rich_text(si))
    if has_part(archive, "xl/styles.xml"):
        book.styles = _styles(parse_part(archive, "xl/styles.xml", name))
    return book


def _resolve(target: str) -> str:
    """A relationship target as a part name ('worksheets/sheet1.xml' → 'xl/worksheets/sheet1.xml')."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in PurePosixPath("xl", target).parts:
        if piece == "..":
            if parts:
                parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _rich_text(element: ET.Element) -> str:
    """The text of a shared or inline string: its runs joined, phonetic guides (rPh) left out, and
    Excel's escapes of characters XML cannot hold (_x000D_) turned back into the characters."""
    out: list[str] = []
    for child in element:
        tag = local(child.tag)
        if tag == "t":
            out.append(child.text or "")
        elif tag == "r":
            out.extend(g.text or "" for g in child if local(g.tag) == "t")
    text = "".join(out)
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _styles(root: ET.Element) -> list[_Style]:
    formats = dict(_BUILTIN_FORMATS)
    borders: list[bool] = []
    xfs: list[_Style] = []
    for section in root:
        tag = local(section.tag)
        if tag == "numFmts":
            for nf in section:
                try:
                    formats[int(nf.get("numFmtId") or "")] = nf.get("formatCode") or ""
                except ValueError:
                    continue
        elif tag == "borders":
            borders = [
                any(
                    local(side.tag) in ("left", "right", "top", "bottom", "start", "end") and side.get("style") not in (None, "none")
                    for side in border
                )
                for border in section
            ]
        elif tag == "cellXfs":
            for xf in section:
                fmt_id, border_id = _int(xf.get("numFmtId")), _int(xf.get("borderId"))
                fmt = "date" if fmt_id in _DATE_IDS else formats.get(fmt_id, "")
                xfs.append(_Style(fmt, 0 <= border_id < len(borders) and borders[border_id]))
    return xfs


def _int(text: str | None) -> int:
    try:
        return int(text or "0")
    except ValueError:
        return 0


# --- one sheet --------------------------------------------------------------------------------


@dataclass(slots=True)
class _XCell:
    text: str
    bordered: bool


_Area = tuple[int, int, int, int]  # first row, first column, last row, last column


def _sheet(archive: zipfile.ZipFile, part: str, sheet: str, book: _Book) -> tuple[dict[int, dict[int, _XCell]], list[_Area]]:
    """The sheet's kept cells (row → column → cell; only those with text or a border) and its merged ranges."""
    data = read_part(archive, part, book.name)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InputError(t("formats.xml_dtd", name=book.name, part=plain(part)))
    rows: dict[int, dict[int, _XCell]] = {}
    merges: list[tuple[int, int, int, int]] = []
    kept = 0
    row_number = 0
    try:
        for _event, element in ET.iterparse(BytesIO(data), events=("end",)):
            tag = local(element.tag)
            if tag == "row":
                row_number = _int(element.get("r")) or row_number + 1
                column = 0
                for c in element:
                    if local(c.tag) != "c":
                        continue
                    row, column = _position(c.get("r"), row_number, column + 1)
                    _within(row, column, sheet, book.name)
                    style = book.styles[_int(c.get("s"))] if _int(c.get("s")) < len(book.styles) else _Style()
                    text = _cell_text(c, style, book)
                    if text or style.bordered:
                        kept += 1
                        if kept > MAX_GRID_CELLS:  # a sheet is at most one table's worth of cells
                            raise InputError(t("formats.too_many", name=book.name, limit=f"{MAX_GRID_CELLS:,}"))
                        rows.setdefault(row, {})[column] = _XCell(text, style.bordered)
                element.clear()
            elif tag == "mergeCell":
                area = _area(element.get("ref") or "")
                if area:
                    _within(area[2], area[3], sheet, book.name)
                    merges.append(area)
    except ET.ParseError as exc:
        raise InputError(t("formats.xml_bad", name=book.name, part=plain(part), why=xml_reason(exc))) from None
    return rows, merges


def _position(ref: str | None, row: int, column: int) -> tuple[int, int]:
    m = _REF.match(ref or "")
    if not m:
        return row, column
    return int(m.group(2)), _column_number(m.group(1))


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def _area(ref: str) -> tuple[int, int, int, int] | None:
    first, _, last = ref.partition(":")
    a, b = _REF.match(first), _REF.match(last or first)
    if not a or not b:
        return None
    r1, c1, r2, c2 = int(a.group(2)), _column_number(a.group(1)), int(b.group(2)), _column_number(b.group(1))
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _within(row: int, column: int, sheet: str, name: str) -> None:
    if row > MAX_WORKBOOK_ROWS or column > MAX_WORKBOOK_COLUMNS:
        raise InputError(
            t(
                "formats.sheet_far",
                name=name,
                sheet=plain(sheet),
                cell=f"{_column_letters(column)}{row}",
                rows=f"{MAX_WORKBOOK_ROWS:,}",
                cols=MAX_WORKBOOK_COLUMNS,
            )
        )


def _cell_text(c: ET.Element, style: _Style, book: _Book) -> str:
    kind = c.get("t") or "n"
    value = next((v.text or "" for v in c if local(v.tag) == "v"), "")
    if kind == "s":
        index = _int(value)
        return _lines(book.strings[index]) if 0 <= index < len(book.strings) else ""
    if kind == "inlineStr":
        return _lines("".join(_rich_text(child) for child in c if local(child.tag) == "is"))
    if kind == "b":
        return "TRUE" if value.strip() == "1" else "FALSE" if value.strip() else ""
    if kind in ("str", "e", "d"):
        return _lines(value)
    return shown_number(value.strip(), style.number_format)


def _lines(text: str) -> str:
    """A cell's text; the lines of a cell typed with line breaks joined as the PDF reader joins a cell's lines."""
    return join_wrapped(text.splitlines()) if "\n" in text or "\r" in text else text.strip()


def shown_number(raw: str, number_format: str) -> str:
    """A stored number as the sheet shows it: fixed places, thousands separators and % from the number
    format; in the General format Excel's 15 significant digits, without float noise."""
    if not raw:
        return ""
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return raw
    if value.is_finite() and len(value.as_tuple().digits) > 15:
        value = _GENERAL.plus(value).normalize()  # float noise (84.65000000000001): Excel shows 15 digits
    if not computable(value) or number_format == "date":
        return raw
    section = _LITERALS.sub("", number_format.split(";")[0])
    if number_format in ("", "@") or section.lower() == "general" or not re.search(r"[0#?]", section) or "E" in section.upper():
        text = format(value, "f")
        return "0" if Decimal(text) == 0 else text
    percent = "%" in section
    if percent:
        value *= 100
    decimals = re.search(r"\.([0#?]+)", section)
    places = len(decimals.group(1)) if decimals else 0
    shown = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if shown == 0:
        shown = abs(shown)
    thousands = "," in section.split(".")[0]
    text = f"{shown:,.{places}f}" if thousands else f"{shown:.{places}f}"
    if decimals and "0" not in decimals.group(1):  # '0.##': optional places are dropped when zero
        text = text.rstrip("0").rstrip(".")
    return text + ("%" if percent else "")


# --- rows → lines and grids ----------------------------------------------------------------------


def _blocks(
    rows: dict[int, dict[int, _XCell]], merges: list[tuple[int, int, int, int]], page: int, sheet: str, name: str
) -> list[Line | Grid]:
    covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    positions = 0
    for area in merges:
        r1, c1, r2, c2 = area
        positions += (r2 - r1 + 1) * (c2 - c1 + 1)
        if positions > MAX_GRID_CELLS:  # merged ranges cover no more cells than a sheet may hold
            raise InputError(t("formats.too_many", name=name, limit=f"{MAX_GRID_CELLS:,}"))
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                covered[(r, c)] = area
    any_border = any(cell.bordered for row in rows.values() for cell in row.values())
    merged_rows = {r for r, _c in covered}

    def filled(r: int) -> list[int]:
        return [c for c, cell in sorted(rows.get(r, {}).items()) if cell.text]

    def in_table(r: int) -> bool:
        row = rows.get(r, {})
        if any_border:
            return any(cell.bordered for cell in row.values())
        origins = [c for c in filled(r) if covered.get((r, c), (r, c))[:2] == (r, c)]
        return len(origins) >= 2

    blocks: list[Line | Grid] = []
    table: list[int] = []

    def flush() -> None:
        if table:
            blocks.append(_grid(table, rows, covered, page, name))
        table.clear()

    for r in sorted(set(rows) | merged_rows):
        if in_table(r) and (not table or r == table[-1] + 1):
            table.append(r)
            continue
        flush()
        if in_table(r):
            table.append(r)
            continue
        texts = [rows[r][c].text for c in filled(r)]
        if texts:
            blocks.append(Line(" ".join(texts), page, r))
    flush()
    if blocks and isinstance(blocks[0], Grid) and sheet.strip():
        blocks.insert(0, Line(sheet.strip(), page, blocks[0].line))  # a sheet whose title is only its name
    return blocks


def _grid(
    table: list[int], rows: dict[int, dict[int, _XCell]], covered: dict[tuple[int, int], tuple[int, int, int, int]], page: int, name: str
) -> Grid:
    columns = {c for r in table for c in rows.get(r, {})} | {c for (r, c) in covered if r in table}
    first, last = min(columns), max(columns)
    kept = [r for r in table if any(rows.get(r, {}).get(c, _XCell("", False)).text or (r, c) in covered for c in range(first, last + 1))]
    spans: list[list[Span]] = []
    for r in kept:
        line: list[Span] = []
        for c in range(first, last + 1):
            area = covered.get((r, c))
            text = rows.get(r, {}).get(c, _XCell("", False)).text
            if area is None:
                line.append(Span(text))
            elif area[:2] == (r, c):
                rowspan = sum(1 for k in kept if area[0] <= k <= area[2])
                line.append(Span(text, colspan=min(area[3], last) - c + 1, rowspan=rowspan))
            elif (area[0] < r and area[0] not in kept) or area[0] < table[0]:
                line.append(Span(""))  # the merge starts outside this table: its covered positions are blank
        spans.append(line)
    return Grid(rows=place(spans, kept, page, name), page=page, line=kept[0] if kept else table[0])
