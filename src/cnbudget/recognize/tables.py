"""Grids → standard tables: which table, which column, which row, which value.

Format-agnostic: it sees only Layout grids and lines, never a file. A grid is typed by the spec
whose title alias its title contains; its columns by the spec's synonyms for the printed header
path; its rows keyed by classification code. Tables printed in several pieces are joined.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from cnbudget.limits import MAX_HEADER_ROWS
from cnbudget.model import Amount, Cell, Column, Grid, Line, Location, Row, Table, Unit, Value
from cnbudget.numbers import function_code, parse_amount, parse_percent, single_code, squash
from cnbudget.recognize.headers import header_paths, is_amount_cell, is_column_number_row, is_data_row, is_total_label
from cnbudget.specs import Specs, TableSpec, normalise, specs
from cnbudget.specs.reading import reading_hints

_UNIT_RE = re.compile(r"单位[:：]?(万元|亿元|元)(?![^\s]*[局院委])")
NOTE_RE = re.compile(r"^(说明|注)[:：]|^\d[.、．]\s*本")
_ECON_PREFIX = ("3", "5")
# a title's trailing qualifier in brackets: '一般公共预算支出预算表（功能科目）', '…表（经济科目）'
_TITLE_QUALIFIER_RE = re.compile(r"表[（(][^（()）]{1,10}[）)]$")


@dataclass
class Segment:
    """A table as printed: its title line, the grids that make it up, and the lines around it."""

    spec: TableSpec | None
    title: Line | None
    local_title: str = ""
    grids: list[Grid] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)  # lines between the title and the first grid
    notes: list[Line] = field(default_factory=list)  # lines just after the grids (注：/说明：…)
    blocks: list[Line | Grid] = field(default_factory=list)  # everything after the title, in order


def title_of(text: str) -> str:
    """Title lines are short; long lines are sentences that merely mention a table."""
    return text.strip().lstrip("#").strip()


def is_title_candidate(text: str) -> bool:
    t = squash(text)
    if not t or len(t) > 60:
        return False
    if t.startswith("-") or "。" in t or "详见" in t:
        return False
    return (
        t.endswith("表")
        or bool(re.search(r"表[（(]?\d{4}", t))
        or t.endswith("表)")
        or t.endswith("表）")
        or bool(_TITLE_QUALIFIER_RE.search(t))
    )


def find_unit(lines: list[Line]) -> Unit | None:
    """The money unit printed near a table: '单位：万元', '金额单位：元', '单位:' / '万元' wrapped."""
    joined = "".join(squash(line.text) for line in lines)
    m = _UNIT_RE.search(joined)
    if m:
        unit = m.group(1)
        if unit in ("万元", "元", "亿元"):
            return unit  # type: ignore[return-value]
    return None


def empty_note(lines: list[Line]) -> str:
    """The note an empty table must carry ('说明：…故本表无数据', '此表为空'), as printed; its
    wordings are specs/reading.json's empty_table_notes."""
    pattern = reading_hints().empty_table_note
    found = [squash(ln.text) for ln in lines if pattern.search(squash(ln.text))]
    return "；".join(found)


def printed_notes(lines: list[Line]) -> list[str]:
    """The 注/说明 lines printed under (or above) a table, with their numbered continuations."""
    out: list[str] = []
    continuing = False
    for ln in lines:
        text = squash(ln.text)
        if NOTE_RE.match(text) or (continuing and re.match(r"^\d[.、．]", text)):
            out.append(ln.text.strip())
            continuing = True
        else:
            continuing = False
    return out


def _location(source: str, cell: Cell | Line) -> Location:
    return Location.of(source, cell)


# --------------------------------------------------------------------------------------------
# Joining the printed pieces of one table
# --------------------------------------------------------------------------------------------


def _row_texts(row: list[Cell]) -> list[str]:
    texts = [squash(c.text) for c in row]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def _blank(row: list[Cell]) -> bool:
    return not any(c.text.strip() for c in row)


def split_header(rows: list[list[Cell]], markers: tuple[str, ...]) -> tuple[list[list[Cell]], list[list[Cell]]]:
    """Header rows (without the 栏次 row) and data rows of one grid."""
    header: list[list[Cell]] = []
    numbered = False  # the header has a 序号 column: rows that start with a number are records
    for i, row in enumerate(rows):
        texts = [c.text for c in row]
        first = next((squash(t) for t in texts if t.strip()), "")
        if is_data_row(texts) or (numbered and first.isdigit()):
            return header, rows[i:]
        total = _total_in_label_area(header, row)
        if total is not None:
            # the 合计 row printed on the same ruled line as the last header level
            head_part, data_part = total
            return [*header, head_part], [data_part, *rows[i + 1 :]]
        numbered = numbered or any(normalise(t) in specs().roles["number"] for t in texts)
        if is_column_number_row(texts, markers) or _blank(row):
            continue
        header.append(row)
    return header, []


_TOTALS = ("合计", "总计")


def _total_in_label_area(header: list[list[Cell]], row: list[Cell]) -> tuple[list[Cell], list[Cell]] | None:
    """A 合计/总计 cell under a code or name column of the header so far, with header words in the
    value columns of the same row: split it into the header part and the 合计 data row."""
    if not header or len(header) > MAX_HEADER_ROWS or not any(squash(c.text) in _TOTALS for c in row):
        return None  # checked first: header_paths per row of a long header was quadratic
    width = len(row)
    paths = header_paths(header, width)
    table_specs = specs()
    label_cols = {c for c in range(width) if _role(paths[c], table_specs) in ("code", "unit_code", "label")}
    totals = [c for c in label_cols if squash(row[c].text) in _TOTALS]
    others = [c for c in range(width) if c not in label_cols and row[c].text.strip()]
    if not totals or not others:
        return None
    head_part = [Cell("", c.page, c.line, c.bbox) if i in label_cols else c for i, c in enumerate(row)]
    data_part = [c if i in label_cols else Cell("", c.page, c.line, c.bbox) for i, c in enumerate(row)]
    return head_part, data_part


def join_grids(grids: list[Grid], markers: tuple[str, ...]) -> tuple[list[list[Cell]], list[list[Cell]]]:
    """Header of the first piece; data rows of all pieces, repeated headers removed.

    In a continued piece, leading rows that repeat no header row are records (a label-only row such
    as '使用非财政拨款结余 | 结余分配' at the top of a page), except a lone fragment, which ends the
    previous page's last cell."""
    header, data = split_header(grids[0].rows, markers)
    first_header = [_row_texts(r) for r in header]
    bounds = column_bounds(grids[0].rows)
    for grid in grids[1:]:
        more_header, more_data = split_header([realign(r, bounds) for r in grid.rows], markers)
        if not data and not header:
            header, data = more_header, more_data
            first_header = [_row_texts(r) for r in header]
            continue
        leading = [r for r in more_header if _row_texts(r) not in first_header]
        if data and leading and all(_is_spill(r) for r in leading):
            spills, records = leading, []
        elif data and leading and _is_spill(leading[0]) and _ends_label(data[-1], leading[0]):
            # the rest of the last row's label, then the page's own records ('当年收入' / '小计' over a page break)
            spills, records = leading[:1], leading[1:]
        else:
            spills, records = [], leading
        last = data[-1] if data else []
        for spill in spills:
            for i, cell in enumerate(spill):
                if cell.text.strip() and i < len(last):
                    last[i] = Cell(last[i].text + cell.text.strip(), last[i].page, last[i].line, last[i].bbox)
        data.extend(records)
        data.extend(_align_total_rows(more_data, len(grids[0].rows[0]) if grids[0].rows else 0))
    return header, data


def column_bounds(rows: list[list[Cell]]) -> list[tuple[float, float]]:
    """Left and right edge of each column of a ruled piece, from its cells' boxes ([] when unknown)."""
    width = max((len(r) for r in rows), default=0)
    lefts: list[float] = []
    for c in range(width):
        edges = Counter(round(box[0]) for r in rows if c < len(r) and (box := r[c].bbox) is not None)
        if not edges:
            return []
        lefts.append(edges.most_common(1)[0][0])
    rights = Counter(round(box[2]) for r in rows if len(r) == width and (box := r[-1].bbox) is not None)
    if not rights or any(b <= a for a, b in pairwise(lefts)):
        return []
    return list(zip(lefts, [*lefts[1:], rights.most_common(1)[0][0]], strict=True))


def realign(row: list[Cell], bounds: list[tuple[float, float]]) -> list[Cell]:
    """A row of a later piece drawn with fewer columns (a cell merged over columns whose rules stop at the
    page break: NPC 收支总表 p.9 '支出合计' over 功能分类 and 支出用途) put back under the first piece's
    columns by position: a name under the column it starts in, an amount under the column it ends in.
    Unchanged when a box is missing or two texts would share a column."""
    if not bounds or len(row) >= len(bounds):
        return row
    out: list[Cell | None] = [None] * len(bounds)
    for cell in row:
        if not cell.text.strip():
            continue
        if cell.bbox is None:
            return row
        x = cell.bbox[2] - _EDGE if parse_amount(cell.text.strip()) is not None else cell.bbox[0] + _EDGE
        at = next((c for c, (left, right) in enumerate(bounds) if left <= x < right), None)
        if at is None or out[at] is not None:
            return row
        out[at] = cell
    page, line = row[0].page, row[0].line
    return [c if c is not None else Cell("", page, line) for c in out]


_EDGE = 2.0  # points inside a cell's box that surely lie in the column it starts or ends in


def _align_total_rows(rows: list[list[Cell]], width: int) -> list[list[Cell]]:
    """A lone 合计 row on a continuation page is printed with its label merged across the code and
    name columns, so it has fewer cells than the table: its amounts belong to the last columns."""
    out: list[list[Cell]] = []
    for row in rows:
        short = width - len(row)
        amounts_only = all(not c.text.strip() or parse_amount(c.text) is not None for c in row[1:])
        if short > 0 and row and is_total_label(row[0].text) and amounts_only:
            blanks = [Cell("", row[0].page, row[0].line) for _ in range(short)]
            row = [row[0], *blanks, *row[1:]]
        out.append(row)
    return out


def is_continuation(previous: Grid, grid: Grid, markers: tuple[str, ...]) -> bool:
    """A grid with no title of its own that continues the table before it."""
    if grid.continued:
        return True
    prev_width = max((len(r) for r in previous.rows), default=0)
    width = max((len(r) for r in grid.rows), default=0)
    prev_header, _ = split_header(previous.rows, markers)
    header, _ = split_header(grid.rows, markers)
    if header and prev_header and [_row_texts(r) for r in header] == [_row_texts(r) for r in prev_header]:
        return True
    if not header:  # starts straight with data or a blank markdown header row
        return abs(width - prev_width) <= 1
    return width == prev_width and all(sum(1 for t in _row_texts(r) if t) <= 1 for r in header)


def _ends_label(last: list[Cell], fragment: list[Cell]) -> bool:
    """The fragment stands under a label the previous piece's last row printed (text, not an amount)."""
    i = next(i for i, c in enumerate(fragment) if c.text.strip())
    return i < len(last) and _is_label_text(last[i].text) and _is_label_text(fragment[i].text)


def _is_spill(row: list[Cell]) -> bool:
    """A lone fragment at the top of a continued piece: the end of the previous row's wrapped cell."""
    return sum(1 for c in row if c.text.strip()) == 1


# --------------------------------------------------------------------------------------------
# Columns, streams, rows
# --------------------------------------------------------------------------------------------


_COLUMN_ROLE: dict[str, Literal["value", "code", "label", "line_no", "note", "other"]] = {
    "value": "value",
    "code": "code",
    "unit_code": "code",
    "label": "label",
    "line_no": "line_no",
    "note": "note",
    "number": "other",
}


@dataclass
class _Col:
    index: int
    path: list[str]
    role: str  # code / unit_code / label / line_no / note / value
    stream: int = 0
    key: str = ""
    side: str = ""


def _role(path: list[str], table_specs: Specs) -> str:
    if not path:
        return "value"
    last = normalise(path[-1])
    joined = normalise("-".join(path))
    for role in ("code", "unit_code", "label", "line_no", "note", "number"):
        names = table_specs.roles[role]
        if last in names or joined in names:
            return role
    return "value"


def _columns(header: list[list[Cell]], width: int, spec: TableSpec | None, table_specs: Specs) -> list[_Col]:
    paths = header_paths(header, width)
    cols = [_Col(index=c, path=paths[c], role=_role(paths[c], table_specs)) for c in range(width)]
    stream = 0
    seen_value = False
    side_by_side = spec is not None and spec.layout == "sides"
    for col in cols:
        if side_by_side and col.role in ("code", "unit_code", "label", "line_no") and seen_value:
            stream += 1
            seen_value = False
        if col.role in ("value", "note", "number"):
            seen_value = True
        col.stream = stream
    streams = stream + 1
    if streams > 1:
        _keep_groups_in_streams(cols)
    printed_sides = {s: _side_name([c for c in cols if c.stream == s], spec) for s in range(streams)}
    for col in cols:
        printed_side = printed_sides[col.stream] if streams > 1 else ""
        col.side = _side(printed_side, col.stream, spec) if streams > 1 else ""
        rel = col.path[col.path.index(printed_side) + 1 :] if printed_side and printed_side in col.path[:-1] else col.path
        printed = normalise("-".join(rel))
        key = spec.column_key(printed) if spec and printed else None
        col.key = key or "-".join(col.path)
    return cols


def _keep_groups_in_streams(cols: list[_Col]) -> None:
    """A group header cell printed over a column of the stream before it belongs to its own stream.

    A record stream is a name column and the value columns after it. When the merged cell of the next
    stream's group ('支出用途') is drawn one column too far left, over the amount column of '功能分类',
    that amount still belongs to the name beside it: its group is the one over its stream's name column."""
    label_groups = {c.stream: c.path[:-1] for c in cols if c.role == "label" and len(c.path) > 1}
    for col in cols:
        group = label_groups.get(col.stream)
        if col.role != "value" or group is None or len(col.path) != len(group) + 1 or col.path[:-1] == group:
            continue
        if any(other != group and col.path[:-1] == other for other in label_groups.values()):
            col.path = [*group, col.path[-1]]


def _side(printed: str, stream: int, spec: TableSpec | None) -> str:
    """The record stream's name: as printed when it is one the spec knows ('收入', '公用经费'),
    else the spec's name for that position (Shanghai prints '经济分类' over both halves), else its number."""
    if spec is not None and spec.sides:
        if printed in spec.sides:
            return printed
        return spec.sides[min(stream, len(spec.sides) - 1)]
    return printed or str(stream + 1)


def _side_name(cols: list[_Col], spec: TableSpec | None) -> str:
    """The printed name over a record stream: its top header part, or, when the spec names a deeper
    group (收支预算总表: 支出 over 功能分类 | 支出用途), that group — three streams, not two."""
    for col in cols:
        if len(col.path) > 1:
            known = [p for p in col.path[1:-1] if spec is not None and p in spec.sides]
            return known[-1] if known else col.path[0]
    return ""


def _is_label_text(text: str) -> bool:
    t = text.strip()
    return bool(t) and parse_amount(t) is None and not parse_percent(t)


def resolve_shift(cells: list[str], cols: list[_Col]) -> list[str]:
    """Undo a converter's shift in side-by-side tables: a row whose later stream's label sits
    one column to the right (an extra leading label cell) gets its first two cells merged."""
    label_cols = [c.index for c in cols if c.role == "label" and c.stream > 0]
    for index in label_cols:
        if index + 1 < len(cells) and not _is_label_text(cells[index]) and _is_label_text(cells[index + 1]):
            head = cells[0] + cells[1] if cells[0] and cells[1] else cells[0] or cells[1]
            return [head, *cells[2:], ""]
    return cells


def _value(col: _Col, cell: Cell, text: str, unit: Unit | None, source: str) -> Value:
    loc = _location(source, cell)
    printed = text.strip()
    amount = parse_amount(printed)
    if amount is not None and unit is not None and col.role == "value":
        value, places = amount
        return Value(
            column=col.key,
            path="-".join(col.path),
            text=printed,
            amount=Amount(printed=printed, value=value, unit=unit, places=places),
            unit=unit,
            location=loc,
        )
    percent = parse_percent(printed)
    if percent is not None:
        return Value(column=col.key, path="-".join(col.path), text=printed, number=percent[0], unit="%", location=loc)
    if amount is not None:
        return Value(column=col.key, path="-".join(col.path), text=printed, number=amount[0], location=loc)
    return Value(column=col.key, path="-".join(col.path), text=printed, location=loc)


def _code_kind(code: str, spec: TableSpec | None) -> str:
    if spec and spec.row_codes == "economic" and code[:1] in _ECON_PREFIX:
        return "economic"
    if code[:1] == "2":
        return "function"
    if code[:1] in _ECON_PREFIX:
        return "economic"
    return ""


def build_rows(
    data: list[list[Cell]], cols: list[_Col], spec: TableSpec | None, unit: Unit | None, source: str
) -> list[Row]:
    width = len(cols)
    streams = sorted({c.stream for c in cols})
    rows: list[Row] = []
    for cells in data:
        padded = list(cells) + [Cell("", None, cells[0].line if cells else 0)] * max(0, width - len(cells))
        texts = [c.text for c in padded]
        if len(streams) > 1:
            shifted = resolve_shift(texts, cols)
            if shifted is not texts:
                texts = shifted
        if len(streams) == 1:
            for col in cols:
                if col.role == "label" and col.index < len(texts) and is_amount_cell(texts[col.index]):
                    # an amount under a name column: the converter dropped a cell before it
                    blank = Cell("", padded[col.index].page, padded[col.index].line)
                    texts = [*texts[: col.index], "", *texts[col.index :]]
                    padded = [*padded[: col.index], blank, *padded[col.index :]]
                    while len(padded) > width and not texts[-1].strip():
                        texts.pop()
                        padded.pop()
                    break
        if len(padded) > width and len(streams) == 1:
            # a row with more cells than the header: extra leading label cells (converter shift)
            extra = len(padded) - width
            texts = ["".join(t for t in texts[: extra + 1] if t), *texts[extra + 1 :]]
            padded = [padded[0], *padded[extra + 1 :]]
        printed: list[Row] = []
        for stream in streams:
            row = _build_row(padded, texts, [c for c in cols if c.stream == stream], spec, unit, source)
            if row is not None:
                if len(streams) > 1:
                    row.side = next(c.side for c in cols if c.stream == stream)
                printed.append(row)
        rows.extend(_merge_orphan_values(printed))
    return rows


def _merge_orphan_values(printed: list[Row]) -> list[Row]:
    """In one printed row, values with no label of their own belong to the label on their left
    (基本支出决算表: '公用经费合计' under one column group, its amount under the next)."""
    merged: list[Row] = []
    for row in printed:
        prev = merged[-1] if merged else None
        if prev is not None and not row.code and not row.label and row.values and not prev.values and prev.label:
            prev.values.extend(row.values)
            continue
        merged.append(row)
    return merged


def _build_row(
    cells: list[Cell], texts: list[str], cols: list[_Col], spec: TableSpec | None, unit: Unit | None, source: str
) -> Row | None:
    lei = kuan = xiang = ""
    code = ""
    unit_code = ""
    labels: list[str] = []
    fallback: list[str] = []  # text in a code column that is no code ('合计', '…'): the label if no name is printed
    line_no = ""
    values: list[Value] = []
    first_cell: Cell | None = None
    for col in cols:
        if col.index >= len(texts):
            continue
        text = texts[col.index].strip()
        if not text:
            continue
        cell = cells[col.index] if col.index < len(cells) else cells[-1]
        first_cell = first_cell or cell
        last = col.path[-1] if col.path else ""
        if col.role == "code":
            if last == "类":
                lei = text
            elif last == "款":
                kuan = text
            elif last == "项":
                xiang = text
            elif not code and single_code(text):
                code = single_code(text)
            elif code and single_code(text):
                values.append(_value(col, cell, text, None, source))  # a second code (政府经济分类)
            else:
                fallback.append(squash(text))
        elif col.role == "unit_code":
            if squash(text).isdigit():
                if unit_code:
                    values.append(_value(col, cell, text, None, source))
                else:
                    unit_code = squash(text)
            else:
                fallback.append(squash(text))
        elif col.role == "label":
            if labels and squash(text) in reading_hints().subtotal_marks:
                continue  # '一般公共预算资金 | 小计': the row is the named group's subtotal, the word no value
            if labels:  # a second name column (政府经济分类名称, 补充支出名称) is a value, not the label
                values.append(_value(col, cell, text, None, source))
            else:
                labels.append(squash(text))
        elif col.role == "line_no":
            line_no = squash(text)
        elif col.role == "number":  # 序号 and the like: a number, never money
            values.append(_value(col, cell, text, None, source))
        else:
            values.append(_value(col, cell, text, unit, source))
    if lei:
        joined = function_code(lei, kuan, xiang)
        if joined:
            code = joined
        else:
            labels.insert(0, squash(lei + kuan + xiang))
    label = "".join(labels) or "".join(fallback)
    if not code and label.isdigit() and len(label) in (3, 5, 7) and spec and spec.row_codes:
        code, label = label, ""
    code_kind = _code_kind(code, spec) if code else ""
    if not code and unit_code:
        code, code_kind = unit_code, "unit"
    if not code and label.isdigit() and 3 <= len(label) <= 9:
        # a unit code printed in the name column (项目支出表: '205 | 台前县医疗保障局'): the unit's
        # name is then the next text cell
        code, code_kind, label = label, "unit", ""
        named = next((v for v in values if v.amount is None and v.number is None and "单位" in v.path), None)
        if named is not None:
            label = squash(named.text)
            values.remove(named)
    if not (code or label or values):
        return None
    if first_cell is None:
        return None
    row = Row(code=code, code_kind=code_kind, label=label, values=values, location=_location(source, first_cell))  # type: ignore[arg-type]
    if line_no:
        row.line_no = line_no
    return row


def build_table(segment: Segment, source: str, default_unit: Unit | None) -> Table:
    table_specs = specs()
    spec = segment.spec
    markers = table_specs.column_number_rows
    title_text = title_of(segment.title.text) if segment.title else segment.local_title
    title_loc = _location(source, segment.title) if segment.title else _location(source, segment.grids[0].rows[0][0])
    unit = find_unit(([segment.title] if segment.title else []) + segment.lines[:8]) or default_unit
    note = empty_note(segment.lines + segment.notes)
    notes = printed_notes(segment.lines + segment.notes)
    name = spec.name if spec else title_text
    columns: list[Column] = []
    rows: list[Row] = []
    if segment.grids:  # a title with no grid is a table printed without a body
        header, data = join_grids(segment.grids, markers)
        width = max(len(r) for g in segment.grids for r in g.rows)
        cols = _columns(header, width, spec, table_specs)
        rows = build_rows(data, cols, spec, unit, source)
        columns = [Column(key=c.key, path="-".join(c.path), side=c.side, role=_COLUMN_ROLE[c.role]) for c in cols]
    has_values = any(v.amount is not None or v.number is not None for r in rows for v in r.values)
    return Table(
        spec_id=spec.id if spec else "LOCAL",
        name=name,
        title=title_text,
        unit=unit,
        columns=columns,
        rows=rows,
        empty=not has_values,
        note=note,
        notes=notes,
        parts=len(segment.grids),
        location=title_loc,
    )
