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

from cnbudget.limits import MAX_HEADER_ROWS
from cnbudget.model import Cell, Grid, Line
from cnbudget.numbers import parse_amount, squash
from cnbudget.recognize.plain_columns import Stream, constraints, funded_income_side, place, place_rows, total_labels, tree_groups
from cnbudget.recognize.plain_header import is_spanning, spanning_header
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
    if spec.layout == "sides":
        return _read_sides(spec, lines)
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
    depth = max(len(r.codes) for r in rows)
    if is_spanning(spec, header):  # a header of several levels (the 三公 table): read by its shape or not at all
        spanned = spanning_header(spec, header, [r.amounts for r in rows])
        if spanned is None or depth or any(r.label for r in rows):
            return None
        return _spanned_grid(spanned, rows, lines[start].line), start, end
    short = any(0 < len(r.amounts) < width for r in rows)
    names = _header_names(spec, header, depth, 0 if short else width)
    if names is None:
        return None
    code_names, label_name, value_names = names
    width = len(value_names)
    columns = [tuple(range(len(r.amounts))) for r in rows]
    if short:  # blank cells dropped by the conversion: placed by the table's identities, or not read
        coded = [tuple(r.codes) for r in rows if r.codes]
        if len(set(coded)) < len(coded):
            return None  # a code printed twice: no one tree of 类/款/项 to place the rows by
        keys = [spec.column_key(normalise(v)) for v in value_names]
        stream = Stream(keys=keys, labels=[r.label for r in rows], amounts=[r.amounts for r in rows])
        placed = place_rows(stream, constraints(spec, "", stream, []), tree_groups([r.codes for r in rows], stream.labels))
        if placed is None:
            return None
        columns = placed
    page_line = lines[start].line
    grid_rows = [[Cell(t, None, page_line) for t in [*code_names, label_name, *value_names]]]
    for r, at in zip(rows, columns, strict=True):
        n = r.line.line
        values = [""] * width
        for amount, column in zip(r.amounts, at, strict=True):
            values[column] = amount
        cells = [*r.codes, *[""] * (depth - len(r.codes)), r.label, *values]
        grid_rows.append([Cell(t, None, n) for t in cells])
    return Grid(rows=grid_rows, page=None, line=page_line), start, end


def _spanned_grid(spanned: tuple[list[list[str]], list[tuple[int, ...]]], rows: list[PlainRow], line: int) -> Grid:
    head, columns = spanned
    width = len(head[0])
    grid_rows = [[Cell(t, None, line) for t in h] for h in head]
    for r, at in zip(rows, columns, strict=True):
        cells = [""] * width
        for amount, column in zip(r.amounts, at, strict=True):
            cells[column] = amount
        grid_rows.append([Cell(t, None, r.line.line) for t in cells])
    return Grid(rows=grid_rows, page=None, line=line)


def _header_names(spec: TableSpec, header: list[list[str]], depth: int, width: int) -> tuple[list[str], str, list[str]] | None:
    if len(header) > MAX_HEADER_ROWS:  # no printed header is this tall (its fragments are joined pairwise below:
        return None  # thousands of repeated lines made that quadratic, fuzz seed 304292); the table is not read
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
    elsewhere = {key_of(t) for i, line in enumerate(header) if i != main for t in line} - {None, *keys}
    if elsewhere:  # another line names a column this reading leaves out: the header is not one line of names
        return None
    return code_names, label_name, values


# --------------------------------------------------------------------------------------------
# Side-by-side tables (收支总表): 'label amount label amount' per line
# --------------------------------------------------------------------------------------------

_CN_ORDINAL = re.compile(r"^([一二三四五六七八九十]{1,3})、")
_NUM_ORDINAL = re.compile(r"^(\d{1,2})[.．、](?!\d)")
_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}


def _ordinal(label: str) -> tuple[str, int] | None:
    """('cn', 3) for '三、教育支出', ('num', 2) for '2.政府性基金', None for '收入总计'."""
    m = _CN_ORDINAL.match(label)
    if m:
        text = m.group(1)
        if text == "十":
            return "cn", 10
        if text.startswith("十"):
            return "cn", 10 + _CN_DIGITS.get(text[1:], 0)
        if len(text) == 1:
            return "cn", _CN_DIGITS.get(text, 0)
        return "cn", _CN_DIGITS.get(text[0], 0) * 10 + _CN_DIGITS.get(text[-1], 0) * (text[-1] != "十")
    m = _NUM_ORDINAL.match(label)
    return ("num", int(m.group(1))) if m else None


def _groups(text: str) -> list[tuple[str, list[str]]]:
    """'2. 政府性基金 三、教育支出 250,000' → [('2.政府性基金', []), ('三、教育支出', ['250,000'])]."""
    groups: list[tuple[list[str], list[str]]] = []
    for token in text.split():
        if parse_amount(token) is not None and groups and groups[-1][0]:
            groups[-1][1].append(token)
            continue
        if parse_amount(token) is not None:
            return []  # an amount with no label before it
        if not groups or groups[-1][1] or (groups[-1][0] and _ordinal(token) is not None):
            groups.append(([token], []))
        else:
            groups[-1][0].append(token)
    return [(squash("".join(label)), amounts) for label, amounts in groups]


def _read_sides(spec: TableSpec, lines: list[Line]) -> tuple[Grid, int, int] | None:
    """Two record streams side by side. A line printing one label is given to the side whose
    ordinal sequence it continues (左 四、 after 三、, 右 八、 after 七、); a line that could be
    either, or a side given fewer amounts than it has value columns, makes the table unreadable."""
    roles = specs().roles
    first = next((i for i, ln in enumerate(lines) if any(a for _, a in _groups(ln.text))), None)
    if first is None:
        return None
    start = first
    while start > 0 and not _LABELLED.search(lines[start - 1].text) and not _groups_have_amounts(lines[start - 1]):
        start -= 1
    header = [ln.text.split() for ln in lines[start:first]]
    leaf = next((h for h in reversed(header) if sum(normalise(t) in roles["label"] for t in h) == 2), None)
    if leaf is None or normalise(leaf[0]) not in roles["label"]:
        return None
    right_at = next(i for i, t in enumerate(leaf) if i > 0 and normalise(t) in roles["label"])
    widths = (right_at - 1, len(leaf) - right_at - 1)
    top = next((h for h in header if len(h) == 2 and h is not leaf), None)
    last: list[dict[str, int]] = [{"cn": 0, "num": 0}, {"cn": 0, "num": 0}]
    records: list[tuple[int, list[tuple[int, str, list[str]]]]] = []
    end = first
    while end < len(lines):
        text = lines[end].text
        groups = _groups(text)
        if not groups or "。" in text or _LABELLED.search(text) or len(groups) > 2:
            break
        placed: list[tuple[int, str, list[str]]] = []
        if len(groups) == 2:
            placed = [(0, *groups[0]), (1, *groups[1])]
        else:
            ordinal = _ordinal(groups[0][0])
            sides = [
                s
                for s in (0, 1)
                if ordinal is not None and last[s][ordinal[0]] + 1 == ordinal[1] and len(groups[0][1]) <= widths[s]
            ]
            if len(sides) != 1:
                return None
            placed = [(sides[0], *groups[0])]
        for side, label, amounts in placed:
            if len(amounts) > widths[side]:
                return None
            ordinal = _ordinal(label)
            if ordinal is not None:
                last[side][ordinal[0]] = ordinal[1]
                if ordinal[0] == "cn":
                    last[side]["num"] = 0
        records.append((lines[end].line, placed))
        end += 1
    columns = _place_sides(spec, leaf, right_at, records)
    if columns is None:
        return None
    width = len(leaf)
    n = lines[start].line
    grid_rows: list[list[Cell]] = []
    if top is not None:
        top_row = [""] * width
        top_row[0], top_row[right_at] = top
        grid_rows.append([Cell(t, None, n) for t in top_row])
    grid_rows.append([Cell(t, None, n) for t in leaf])
    for r, (number, placed) in enumerate(records):
        cells = [""] * width
        for k, (side, label, amounts) in enumerate(placed):
            at = 0 if side == 0 else right_at
            cells[at] = label
            for amount, column in zip(amounts, columns[(r, k)], strict=True):
                cells[at + 1 + column] = amount
        grid_rows.append([Cell(t, None, number) for t in cells])
    return Grid(rows=grid_rows, page=None, line=n), start, end


Records = list[tuple[int, list[tuple[int, str, list[str]]]]]


def _place_sides(spec: TableSpec, leaf: list[str], right_at: int, records: Records) -> dict[tuple[int, int], tuple[int, ...]] | None:
    """The value column of every amount, per (record, group). A side whose rows print fewer amounts than
    it has columns is placed by its identities (plain_columns.py); None when that is not unique."""
    out: dict[tuple[int, int], tuple[int, ...]] = {}
    streams: list[tuple[Stream, list[tuple[int, int]]]] = []
    for side, (lo, hi) in enumerate(((1, right_at), (right_at + 1, len(leaf)))):
        keys = [spec.column_key(normalise(t)) for t in leaf[lo:hi]]
        stream = Stream(keys=keys, labels=[], amounts=[])
        at: list[tuple[int, int]] = []
        for r, (_, placed) in enumerate(records):
            for k, (s, label, amounts) in enumerate(placed):
                if s == side:
                    stream.labels.append(label)
                    stream.amounts.append(amounts)
                    at.append((r, k))
        streams.append((stream, at))
    for side, (stream, at) in enumerate(streams):
        width = len(stream.keys)
        if all(len(a) in (0, width) for a in stream.amounts):
            out.update({rk: tuple(range(len(a))) for rk, a in zip(at, stream.amounts, strict=True)})
            continue
        name = spec.sides[side] if side < len(spec.sides) else ""
        income_side = funded_income_side(spec)
        other = next((s for i, (s, _) in enumerate(streams) if i < len(spec.sides) and spec.sides[i] == income_side), None)
        income = list(zip(other.labels, other.amounts, strict=True)) if other is not None and other is not stream else []
        _outline(stream)
        found = place(stream, constraints(spec, name, stream, income))
        if found is None:
            return None
        out.update(dict(zip(at, found, strict=True)))
    return out


def _outline(stream: Stream) -> None:
    """The total row of a side (the last label ending in 合计/总计) and the 一、二、… rows above it."""
    labels = total_labels()
    total = next((i for i in range(len(stream.labels) - 1, -1, -1) if any(stream.labels[i].endswith(t) for t in labels)), None)
    if total is None:
        return
    top = [i for i in range(total) if (o := _ordinal(stream.labels[i])) is not None and o[0] == "cn"]
    if top:
        stream.total_row, stream.top_rows = total, top


def _groups_have_amounts(line: Line) -> bool:
    return any(amounts for _, amounts in _groups(line.text))
