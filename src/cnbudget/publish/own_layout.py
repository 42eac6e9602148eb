"""A standard table printed in the source's own layout, when the standard form would drop a figure.

``build --from`` re-prints a Disclosure read from a document. The standard print forms
(specs/publish_tables.json) follow one template family; a table of another family (a Shanghai
district's 收支总表 lists 一、财政拨款收入 / 1.一般公共预算 … where the form has 一、一般公共预算拨款收入;
its 收入总表 has no 上年结转 column) would lose every figure the form has no place for. Such a
table is printed as the source printed it instead: its own columns (header levels from the printed
header paths, merged where a level is shared), its own rows, the two record streams of a side-by-
side table next to each other with their 总计 lines on the last row. Nothing is dropped, and the
reader reads it back as it read the source.
"""

from __future__ import annotations

from itertools import zip_longest

from cnbudget.model import Column, Row, Table
from cnbudget.publish.compose import leaves
from cnbudget.publish.printed import _ORDINAL, PCell, PrintedTable, _label_key
from cnbudget.publish.spec import PrintSpec

WIDE = 5  # value columns from which the table turns landscape (as the Shanghai 收入总表 prints)
_TOTAL = ("总计",)


def differs(table: Table, ps: PrintSpec) -> bool:
    """True when ``table`` is not printed as the standard form ``ps``: the form would drop a figure,
    or print value columns the source does not have (blank columns a reader would take for zeros)."""
    if table.empty or not table.columns:
        return False
    mine = {(c.side, c.key) for c in table.columns if c.role == "value"}
    form = {(c.side if ps.sides else "", c.key) for c in leaves(ps) if c.role == "value"}
    if not ps.sides:
        mine = {("", k) for _s, k in mine}
    return bool(form - mine) or drops_values(table, ps)


def drops_values(table: Table, ps: PrintSpec) -> bool:
    """True when the standard form ``ps`` has no place for some figure of ``table``."""
    cols = leaves(ps)
    for r in table.rows:
        keys = {c.key for c in cols if c.role == "value" and (not ps.sides or c.side == r.side)}
        if any(v.amount is not None and v.column not in keys for v in r.values):
            return True
    if not ps.sides:
        return False
    for side in ps.sides:
        labels = {_label_key(label) for label, _q in side.rows if not label.startswith("@")}
        classes = any(label == "@classes" for label, _q in side.rows)
        for r in table.rows:
            if r.side != side.name or not any(v.amount is not None for v in r.values):
                continue
            placed = _label_key(r.label) in labels or (classes and bool(_ORDINAL.match(r.label)) and r.label.endswith("支出"))
            if not placed:
                return True
    return False


def _header(columns: list[Column]) -> list[list[PCell | None]]:
    """Header rows from the printed paths: one level per row, equal neighbouring levels merged, a
    path shorter than the deepest spanning down."""
    paths = [c.path.split("-") if c.path else [""] for c in columns]
    depth = max(len(p) for p in paths)
    grid: list[list[PCell | None]] = [[None] * len(columns) for _ in range(depth)]
    for level in range(depth):
        k = 0
        while k < len(columns):
            p = paths[k]
            if level >= len(p):
                k += 1
                continue
            span = 1
            while (
                k + span < len(columns)
                and level < len(paths[k + span]) - 1
                and level < len(p) - 1
                and paths[k + span][: level + 1] == p[: level + 1]
            ):
                span += 1
            rowspan = depth - level if level == len(p) - 1 else 1
            grid[level][k] = PCell(p[level], colspan=span, rowspan=rowspan, align="center")
            k += span
    return grid


_PARTS = ((0, 3), (3, 5), (5, 7))  # 类 / 款 / 项 digits of a code printed in split columns


def _cell(row: Row | None, col: Column, part: int | None = None) -> PCell:
    """The printed cell; ``part`` is the position of a split code column (类 0, 款 1, 项 2)."""
    if row is None:
        return PCell("")
    if col.role == "label":
        return PCell(row.label, align="center" if row.label.endswith(("合计", "总计")) and not row.code else "left")
    if col.role == "code":
        if part is None:
            return PCell(row.code, align="left")
        start, end = _PARTS[part]
        return PCell(row.code[start:end], align="left")
    value = next((v for v in row.values if v.column == col.key), None)
    if value is None:
        return PCell("", align="right")
    return PCell(value.text, align="right" if value.amount is not None or value.number is not None else "left")


def _lines(table: Table, columns: list[Column]) -> list[list[Row | None]]:
    """Printed lines: one row per line, or (side by side) the i-th row of each side on line i, the
    sides' 总计 rows together on the last line."""
    sides = list(dict.fromkeys(c.side for c in columns if c.side))
    if not sides:
        return [[r] for r in table.rows]
    streams = [[r for r in table.rows if r.side == s] for s in sides]
    items = [[r for r in s if not r.label.endswith(_TOTAL)] for s in streams]
    totals = [[r for r in s if r.label.endswith(_TOTAL)] for s in streams]
    lines: list[list[Row | None]] = [list(line) for line in zip_longest(*items)]
    lines += [list(line) for line in zip_longest(*totals)]
    return lines


def own_printed(table: Table, number: str = "") -> PrintedTable | None:
    """``table`` as its source printed it; None when the model cannot give every cell back (a side
    with more than one code or label column)."""
    columns = table.columns
    sides = list(dict.fromkeys(c.side for c in columns if c.side)) or [""]
    parts: dict[int, int] = {}  # column index → its place among split code columns (类 / 款 / 项)
    for s in sides:
        mine = [k for k, c in enumerate(columns) if c.side == s or not c.side]
        codes = [k for k in mine if columns[k].role == "code"]
        if len(codes) > len(_PARTS) or sum(columns[k].role == "label" for k in mine) > 1:
            return None
        if len(codes) > 1:
            parts.update({k: n for n, k in enumerate(codes)})
    if not columns:
        return None
    body: list[list[PCell | None]] = []
    for line in _lines(table, columns):
        by_side = {(r.side if r is not None else s): r for r, s in zip(line, sides, strict=False)}
        only = line[0] if len(sides) == 1 else None
        body.append([_cell(only if len(sides) == 1 else by_side.get(c.side), c, parts.get(k)) for k, c in enumerate(columns)])
    widths = []
    for k, c in enumerate(columns):
        longest = max([len(c.path.split("-")[-1]), *(len(row[k].text) for row in body if row[k] is not None)])  # type: ignore[union-attr]
        if c.role == "code":
            widths.append(float(min(max(longest, 2), 8)) + 1.0)
        else:
            widths.append(float(min(max(longest, 4), 22)) * (0.7 if c.role == "value" else 1.0))
    value_width = max((w for w, c in zip(widths, columns, strict=True) if c.role == "value"), default=0.0)
    widths = [value_width if c.role == "value" else w for w, c in zip(widths, columns, strict=True)]  # figures in equal columns
    values = sum(c.role == "value" for c in columns)
    return PrintedTable(
        spec_id=table.spec_id,
        number=number,
        title=table.title,
        unit=table.unit or "",
        orientation="L" if values >= WIDE or len(columns) > WIDE + 4 else "P",
        header=_header(columns),
        body=body,
        widths=widths,
        notes=list(table.notes) or ([table.note] if table.note else []),
        empty=table.empty,
    )
