"""A standard table printed as plain space-separated text (pdfplumber ``extract_text``, copy-paste):
its title line, then header lines, then one line per row, cells separated by single spaces.

A row line is: the classification code parts ('201 05 07', '301 2'), the label, then the amounts
(the amount pattern). The header lines above the first row name the columns: the header line that
names most of the spec's columns gives their order; a wrapped header cell printed as fragments above
and below that line ('事业单位' / '经营收入') is joined when the join is a column the spec knows, and
placed by the spec's column order. Positions are lost in such text, so a table is read only when
every row prints an amount in every value column and the header names exactly that many columns;
otherwise it is reported as not read (a guessed column would be a false value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cnbudget.model import Cell, Grid, Line
from cnbudget.recognize.numbers import parse_amount, squash
from cnbudget.specs import TableSpec, normalise, specs

_CODE_PART = re.compile(r"^\d{1,3}$")
_TOTAL = re.compile(r"^(合计|总计|共计)$")
_LABELLED = re.compile(r"[:：]")  # '编制部门：… 单位：元', '注：…': no header cell


@dataclass
class PlainRow:
    codes: list[str]
    label: str
    amounts: list[str]
    line: Line


def split_row(line: Line) -> PlainRow | None:
    """A table row printed as 'codes label amounts', or None for any other line."""
    tokens = line.text.split()
    if not tokens:
        return None
    end = len(tokens)
    while end > 0 and parse_amount(tokens[end - 1]) is not None:
        end -= 1
    amounts = tokens[end:]
    start = 0
    while start < end and _CODE_PART.match(tokens[start]):
        start += 1
    codes = tokens[:start]
    label = squash("".join(tokens[start:end]))
    if not label and codes:  # a line of numbers only: amounts, not codes
        codes, amounts = [], tokens
    if amounts and (label or not codes):
        return PlainRow(codes, label, amounts, line)
    if codes and label and len(codes[0]) == 3:
        return PlainRow(codes, label, [], line)  # a classification row printed without amounts
    if _TOTAL.match(label) and not codes and len(tokens) == 1:
        return PlainRow([], label, [], line)  # the 合计 row of an empty table
    return None


def has_rows(lines: list[Line]) -> bool:
    """Lines that print table rows with amounts (a table printed, read or not)."""
    return sum(1 for ln in lines if (r := split_row(ln)) is not None and r.amounts) >= 1


def read_plain(spec: TableSpec, lines: list[Line]) -> tuple[Grid, int, int] | None:
    """(grid, start, end) when lines[start:end] are the table's header and rows; None when the
    lines are not a table this reader can read without guessing."""
    if spec.layout != "rows":
        return None
    first = next((i for i, ln in enumerate(lines) if split_row(ln) is not None), None)
    if first is None:
        return None
    start = first
    while start > 0 and not _LABELLED.search(lines[start - 1].text) and split_row(lines[start - 1]) is None:
        start -= 1
    header = [ln.text.split() for ln in lines[start:first]]
    repeated = {squash(ln.text) for ln in lines[start:first]}
    rows: list[PlainRow] = []
    end = first
    while end < len(lines):
        row = split_row(lines[end])
        if row is not None:
            rows.append(row)
        elif squash(lines[end].text) not in repeated:
            break
        end += 1
    width = max(len(r.amounts) for r in rows)
    if any(0 < len(r.amounts) < width for r in rows):
        return None
    depth = max(len(r.codes) for r in rows)
    names = _header_names(spec, header, depth, width)
    if names is None:
        return None
    code_names, label_name, value_names = names
    width = len(value_names)
    page_line = lines[start].line
    grid_rows = [[Cell(t, None, page_line) for t in [*code_names, label_name, *value_names]]]
    for r in rows:
        n = r.line.line
        cells = [*r.codes, *[""] * (depth - len(r.codes)), r.label, *r.amounts, *[""] * (width - len(r.amounts))]
        grid_rows.append([Cell(t, None, n) for t in cells])
    return Grid(rows=grid_rows, page=None, line=page_line), start, end


def _header_names(spec: TableSpec, header: list[list[str]], depth: int, width: int) -> tuple[list[str], str, list[str]] | None:
    roles = specs().roles
    code_names = next((line for line in header if len(line) == depth and all(normalise(t) in roles["code"] for t in line)), None)
    if code_names is None:
        if depth > 1:
            return None
        code_names = ["科目编码"] * depth
    label_name = next((t for line in reversed(header) for t in line if normalise(t) in roles["label"]), "项目")
    order = {key: i for i, (key, _) in enumerate(spec.columns)}

    def key_of(text: str) -> str | None:
        t = normalise(text)
        if any(t in roles[r] for r in roles):
            return None
        return spec.column_key(t)

    mapped = [[t for t in line if key_of(t)] for line in header]
    main = max(range(len(header)), key=lambda i: len(mapped[i]), default=None)
    if main is None:
        return None
    values = list(mapped[main])
    keys = [key_of(t) for t in values]
    fragments = [(i, t) for i, line in enumerate(header) if i != main for t in line if not key_of(t) and normalise(t) not in roles["code"]]
    for i, a in fragments:
        for j, b in fragments:
            key = key_of(a + b) if j > i else None
            if key is None or key in keys:
                continue
            at = next((k for k, known in enumerate(keys) if order.get(known or "", 0) > order.get(key, 0)), len(keys))
            values.insert(at, a + b)
            keys.insert(at, key)
    if len(values) != width and width:  # width 0: an empty table's 合计 row, the header alone names the columns
        return None
    return code_names, label_name, values
