"""A table outside the standard set (spec_id LOCAL), printed as the source printed it.

``build --from`` re-prints everything the source says: a Shanghai 概况 lists its 单位构成 in a small
序号 / 单位名称 / 备注 table after "…的单位包括：", a Henan 预算 adds 机关运行经费 detail tables. The
model keeps such a table's printed header path per column and every non-empty cell's text, so it
is printed column by column from them: one header row, one body row per model row, amounts right-
aligned exactly as printed. An untitled table ("未命名表格（…）", the reader's name for a grid with
no title) is printed without a title, as in the source.

The model keeps one code and one label per row (``Row.code``, ``Row.label``); other label columns
keep their text among the values, other code columns do not. A table with more than one code
column therefore cannot be put back cell for cell, and is not printed (the caller says so) rather
than printed with codes in the wrong columns.
"""

from __future__ import annotations

from cnbudget.model import Row, Table
from cnbudget.publish.printed import PCell, PrintedTable

UNTITLED = "未命名表格"
WIDE = 8  # columns beyond which the table turns landscape


def _cell(row: Row, key: str, role: str, first_label: bool) -> PCell:
    if role == "label" and first_label:
        return PCell(row.label)
    if role == "code":
        return PCell(row.code or "", align="center")
    value = next((v for v in row.values if v.column == key), None)
    if value is None:
        return PCell("")
    return PCell(value.text, align="right" if value.amount is not None or value.number is not None else "left")


def local_printed(table: Table) -> PrintedTable | None:
    """The grid of a LOCAL table: header = printed column paths, body = the rows' printed cells;
    None when the model cannot give every cell back (more than one code column)."""
    columns = table.columns
    if sum(c.role == "code" for c in columns) > 1 or not columns:
        return None
    first = next((k for k, c in enumerate(columns) if c.role == "label"), -1)
    header: list[list[PCell | None]] = [[PCell(c.path.replace("-", " "), align="center") for c in columns]]
    body: list[list[PCell | None]] = [[_cell(r, c.key, c.role, k == first) for k, c in enumerate(columns)] for r in table.rows]
    widths = []
    for k, c in enumerate(columns):
        longest = max([len(c.path), *(len(row[k].text) for row in body if row[k] is not None)])  # type: ignore[union-attr]
        widths.append(float(min(max(longest, 3), 24)))
    return PrintedTable(
        spec_id="LOCAL",
        number="",
        title="" if table.title.startswith(UNTITLED) else table.title,
        unit=(table.unit or "") if any(v.amount is not None for r in table.rows for v in r.values) else "",
        orientation="L" if len(columns) > WIDE else "P",
        header=header,
        body=body,
        widths=widths or [1.0],
        notes=list(table.notes),
    )
