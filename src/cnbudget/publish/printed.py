"""Any canonical Table → the grid the official template prints (PrintedTable), for every renderer.

The layout comes from the table's print spec (specs/publish_tables.json); the figures come from
the model Table by canonical column key and by row code (or label, on the 收支总表 sides). So a
Disclosure read from another document is re-printed in the standard form, and a Disclosure built
from a workbook is printed the way the reader will read it back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cnbudget.model import Row, Table
from cnbudget.publish.compose import Leaf, header_grid, leaves
from cnbudget.publish.spec import PrintSpec, tables_spec
from cnbudget.specs import normalise

_ORDINAL = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_CENTRED_LABELS = {"合计", "总计", "本年收入合计", "本年支出合计", "收入总计", "支出总计", "人员经费合计", "公用经费合计"}


@dataclass
class PCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    align: str = "left"  # left / center / right
    bold: bool = False
    merge_up: bool = False  # continues the cell above (printed as one merged cell; no text of its own)


@dataclass
class PrintedTable:
    spec_id: str
    number: str  # 公开01表
    title: str
    unit: str
    orientation: str  # P / L
    header: list[list[PCell | None]]
    body: list[list[PCell | None]]
    widths: list[float]
    notes: list[str] = field(default_factory=list)
    empty: bool = False


def merged_runs(body: list[list[PCell | None]]) -> dict[tuple[int, int], int]:
    """(row, column) of each cell that ``merge_up`` cells below continue → rows it covers in all
    (for renderers that print merged cells as one: HTML rowspan, docx / xlsx merges)."""
    runs: dict[tuple[int, int], int] = {}
    for r, row in enumerate(body):
        for c, cell in enumerate(row):
            if cell is None or cell.merge_up:
                continue
            n = 1
            while r + n < len(body) and c < len(body[r + n]) and (below := body[r + n][c]) is not None and below.merge_up:
                n += 1
            if n > 1:
                runs[(r, c)] = n
    return runs


def _blank(n: int) -> list[PCell | None]:
    return [PCell("") for _ in range(n)]


def _amount_cell(row: Row | None, leaf: Leaf) -> PCell:
    if row is None:
        return PCell("", align="right")
    for v in row.values:
        if v.column == leaf.key:
            return PCell(v.text, align="right")
    return PCell("", align="right")


def _label_key(label: str) -> str:
    return normalise(_ORDINAL.sub("", label))


def _widths(ps: PrintSpec, cols: list[Leaf]) -> list[float]:
    out = []
    for c in cols:
        if c.role == "code":
            out.append(1.7 if ps.layout != "econ" else 1.25)
        elif c.role == "label":
            out.append({"sides": 4.6, "econ": 2.6, "projects": 4.0}.get(ps.layout, 4.2))
        elif ps.layout == "projects" and c.key in ("类型", "项目单位"):
            out.append(1.5 if c.key == "类型" else 2.6)
        else:
            out.append(1.25 if ps.layout == "econ" else 1.5)
    return out


def printed_table(table: Table, ps: PrintSpec, *, unit: str | None = None) -> PrintedTable:
    """Lay ``table`` out as ``ps`` prints it."""
    cols = leaves(ps)
    header: list[list[PCell | None]] = [
        [PCell(c[0], c[1], c[2], align="center", bold=False) if c is not None else None for c in row] for row in header_grid(ps)
    ]
    if ps.layout == "sides":
        body = _sides(table, ps, cols)
    elif ps.layout == "econ":
        body = _econ(table, ps, cols)
    elif ps.layout == "projects":
        body = _projects(table, cols)
    elif ps.layout == "single":
        body = [[_amount_cell(table.rows[0] if table.rows else None, c) for c in cols]] if table.rows else []
    else:
        body = _tree(table, cols)
    notes = [tables_spec().note_prefix + ps.note] if ps.note else []
    if table.empty or (ps.layout in ("tree", "econ_list", "projects") and not body):
        notes.append(tables_spec().note_prefix + (table.note or ps.empty_note).removeprefix("注：").removeprefix("说明："))
    return PrintedTable(
        spec_id=ps.id,
        number=ps.number,
        title=ps.title,
        unit=unit or table.unit or "万元",
        orientation=ps.orientation,
        header=header,
        body=body,
        widths=_widths(ps, cols),
        notes=notes,
        empty=table.empty,
    )


def _tree(table: Table, cols: list[Leaf]) -> list[list[PCell | None]]:
    body: list[list[PCell | None]] = []
    value_cols = [c for c in cols if c.role == "value"]
    for row in table.rows:
        if not row.code and row.label in _CENTRED_LABELS:
            cells: list[PCell | None] = [PCell(row.label, colspan=2, align="center"), None]
        else:
            cells = [PCell(row.code), PCell(row.label)]
        cells.extend(_amount_cell(row, c) for c in value_cols)
        body.append(cells)
    return body


def _projects(table: Table, cols: list[Leaf]) -> list[list[PCell | None]]:
    """项目支出表 rows: text columns (类型, 项目单位) as printed, the 项目名称 as the row label."""
    body: list[list[PCell | None]] = []
    for row in table.rows:
        cells: list[PCell | None] = []
        for c in cols:
            if c.role == "label":
                total = row.label in _CENTRED_LABELS
                # a unit row read from another document (205 台前县医疗保障局) prints its code here
                cells.append(PCell(row.code or row.label, align="center" if total else "left"))
                continue
            if c.key == "项目单位" and row.code:
                cells.append(PCell(row.label))
                continue
            v = row.get(c.key)
            if v is not None and v.amount is None:
                cells.append(PCell(v.text, align="center" if c.key == "类型" else "left"))
            else:
                cells.append(_amount_cell(row, c))
        body.append(cells)
    return body


def _sides(table: Table, ps: PrintSpec, cols: list[Leaf]) -> list[list[PCell | None]]:
    """Each side's rows as the spec lists them; item rows padded so the summary rows line up."""
    columns: list[tuple[list[list[PCell | None]], list[list[PCell | None]]]] = []
    for side in ps.sides:
        side_cols = [c for c in cols if c.side == side.name]
        value_cols = [c for c in side_cols if c.role == "value"]
        side_rows = [r for r in table.rows if r.side == side.name]
        used: set[int] = set()
        items: list[list[PCell | None]] = []
        summary: list[list[PCell | None]] = []
        target = items
        for label, _quantity in side.rows:
            if label == "@pad":
                target = summary
                continue
            if label == "@classes":
                for r in table.rows:
                    if r.side == side.name and _ORDINAL.match(r.label) and r.label.endswith("支出"):
                        items.append([PCell(r.label), *(_amount_cell(r, c) for c in value_cols)])
                target = summary
                continue
            found = _take(side_rows, used, label)
            align = "center" if label in _CENTRED_LABELS else "left"
            target.append([PCell(label, align=align), *(_amount_cell(found, c) for c in value_cols)])
        columns.append((items, summary))
    n_items = max(len(i) for i, _ in columns)
    n_summary = max(len(s) for _, s in columns)
    body: list[list[PCell | None]] = []
    for k in range(n_items + n_summary):
        row: list[PCell | None] = []
        for (items, summary), side in zip(columns, ps.sides, strict=True):
            width = len([c for c in cols if c.side == side.name])
            cell: list[PCell | None] | None = None
            if k < n_items:
                cell = items[k] if k < len(items) else None
            elif summary:
                idx = k - n_items  # summary rows from the top, the side's 总计 on the last line
                if k == n_items + n_summary - 1:
                    cell = summary[-1]
                elif idx < len(summary) - 1:
                    cell = summary[idx]
            row.extend(cell if cell is not None else _blank(width))
        body.append(row)
    return body


def _take(rows: list[Row], used: set[int], label: str) -> Row | None:
    """The first unused row printing ``label`` (exactly, else without its ordinal); marks it used."""
    for exact in (True, False):
        for i, r in enumerate(rows):
            if i in used:
                continue
            if (r.label == label) if exact else (_label_key(r.label) == _label_key(label)):
                used.add(i)
                return r
    return None


def _econ(table: Table, ps: PrintSpec, cols: list[Leaf]) -> list[list[PCell | None]]:
    groups: list[list[Row]] = []
    by_side: dict[str, dict[str, Row]] = {}
    for r in table.rows:
        if r.code:
            by_side.setdefault(r.side, {}).setdefault(r.code, r)
    placed: set[tuple[str, str]] = set()
    for g in ps.groups:
        found = [by_side.get(g.side, {}).get(code) for code in g.codes]
        chosen = [r for r in found if r is not None]
        placed.update((g.side, r.code) for r in chosen)
        groups.append(chosen)
    for r in table.rows:  # rows the template does not list: after their 类 in the group holding it
        if r.code and (r.side, r.code) not in placed:
            for g, members in zip(ps.groups, groups, strict=True):
                if g.side == r.side and r.code[:3] in g.codes:
                    members.append(r)
                    placed.add((r.side, r.code))
                    break
    value_cols = [c for c in cols if c.role == "value"]
    body: list[list[PCell | None]] = []
    for k in range(max(len(g) for g in groups)):
        line: list[PCell | None] = []
        for members, col in zip(groups, value_cols, strict=True):
            if k < len(members):
                r = members[k]
                line.extend([PCell(r.code), PCell(r.label), _amount_cell(r, col)])
            else:
                line.extend(_blank(3))
        body.append(line)
    totals = [r for r in table.rows if not r.code and r.label]
    if totals:
        line = []
        width = len(cols)
        first = next((r for r in totals if r.side == ps.groups[0].side), None)
        rest = next((r for r in totals if r.side != ps.groups[0].side), None)
        line.extend([PCell(first.label if first else "", colspan=2, align="center"), None, _amount_cell(first, value_cols[0])])
        span = width - 4
        line.append(PCell(rest.label if rest else "", colspan=span, align="center"))
        line.extend([None] * (span - 1))
        line.append(_amount_cell(rest, value_cols[-1]))
        body.append(line)
    return body
