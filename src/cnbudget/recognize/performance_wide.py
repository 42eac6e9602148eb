"""The wide table: one row per project (seed 002's 部门预算项目绩效目标表), its page pieces put
back into the header's columns."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from cnbudget.i18n import Message
from cnbudget.model import Cell, Grid, Line, PerformanceForm
from cnbudget.recognize.performance_form import Block, Draft, Form, FormKind, unread
from cnbudget.recognize.performance_values import amount_label, clean, is_level1, is_numeric_value, key, money, unit_of_label
from cnbudget.recognize.performance_vocab import vocab


@dataclass(frozen=True)
class _Wide:
    header_rows: tuple[int, ...]  # indices of header rows in the first grid
    code: int
    name: int
    money: tuple[tuple[int, str], ...]  # (column, printed label)
    pairs: tuple[tuple[int, int, str], ...]  # (name column, value column, 一级指标)
    width: int


def _wide_layout(grid: Grid) -> _Wide | None:
    """The layout of a wide project table, read from its header rows (None if it is not one)."""
    cols = vocab().wide_columns
    rows = [[key(clean(c.text)) for c in r] for r in grid.rows[:6]]
    for ri, r in enumerate(rows):
        names = [i for i, k in enumerate(r) if cols.get(k) == "pair_name"]
        values = [i for i, k in enumerate(r) if cols.get(k) == "pair_value"]
        if len(names) < 2 or len(values) < 2:
            continue
        top = next((i for i, rr in enumerate(rows[:ri]) if any(cols.get(k) == "code" for k in rr)), None)
        if top is None:
            return None
        code = next(i for i, k in enumerate(rows[top]) if cols.get(k) == "code")
        name = next((i for i, k in enumerate(rows[top]) if cols.get(k) == "name"), code + 1)
        pairs: list[tuple[int, int, str]] = []
        for n in names:
            v = n + 1 if n + 1 in values else None
            if v is None:
                return None
            level1 = ""
            for rr in rows[top:ri]:
                if n < len(rr) and is_level1(rr[n]):
                    level1 = rr[n]
            pairs.append((n, v, level1))
        first_pair = min(n for n, _, _ in pairs)
        money_cols = tuple((i, clean(grid.rows[ri][i].text)) for i in range(name + 1, first_pair) if rows[ri][i])
        width = max(len(r) for r in grid.rows[: ri + 1])
        return _Wide(tuple(range(top, ri + 1)), code, name, money_cols, tuple(pairs), width)
    return None


def find_wide(blocks: Sequence[Block]) -> tuple[int, _Wide] | None:
    for bi, b in enumerate(blocks):
        if isinstance(b, Grid):
            layout = _wide_layout(b)
            if layout is not None:
                return bi, layout
    return None


_FIXED = 4  # code, name and the first two money columns keep their place in a shifted piece


def _realign(rows: list[list[Cell]], layout: _Wide) -> tuple[list[list[Cell]], int]:
    """Put the rows of one page piece back into the header's columns.

    Page pieces of the wide table lose a column (13 cells for 14 printed) or gain a trailing
    empty one; the shift is found from content: numeric 指标值 must land in value columns."""
    value_cols = {v for _, v, _ in layout.pairs}
    name_cols = {n for n, _, _ in layout.pairs}
    best: tuple[int, int] | None = None
    for d in (0, 1, 2):
        bad = 0
        for r in rows:
            for i, c in enumerate(r):
                t = clean(c.text)
                if not t or i < _FIXED:
                    continue
                j = i + d
                if j >= layout.width:
                    bad += 10
                elif j in name_cols and is_numeric_value(t):
                    bad += 3
                elif j not in value_cols and j not in name_cols and money(t, "万元") is None:
                    bad += 2
        if best is None or bad < best[0]:
            best = (bad, d)
    assert best is not None
    d = best[1]
    out: list[list[Cell]] = []
    for r in rows:
        anchor = r[0] if r else Cell("", None, 0)
        new = [Cell("", anchor.page, anchor.line) for _ in range(layout.width)]
        for i, c in enumerate(r):
            j = i if i < _FIXED else i + d
            if j < layout.width:
                new[j] = c
        out.append(new)
    return out, d


_PROJECT_CODE_RE = re.compile(r"^\d{12,}$")
_UNIT_CODE_RE = re.compile(r"^\d{3,9}$")


def wide_rows(
    blocks: Sequence[Block], at: int, layout: _Wide
) -> tuple[list[list[Cell]], list[list[Cell]], list[tuple[int | None, Message]]]:
    """(header rows, data rows realigned to the header, notes with the line each is about) of a wide table and its pieces."""
    first = cast(Grid, blocks[at])
    header = [first.rows[i] for i in layout.header_rows]
    pieces = [first.rows[layout.header_rows[-1] + 1 :]] + [b.rows for b in blocks[at + 1 :] if isinstance(b, Grid)]
    data: list[list[Cell]] = []
    notes: list[tuple[int | None, Message]] = []
    for piece in pieces:
        rows, d = _realign(piece, layout)
        if d:
            for r in rows:
                for c, _ in layout.money[2:]:
                    if c < len(r) and clean(r[c].text):
                        notes.append((r[c].line, unread("wide_ambiguous", line=r[c].line, text=r[c].text)))
                        r[c] = Cell("", r[c].page, r[c].line)
        data.extend(rows)
    return header, data, notes


def split_wide(data: list[list[Cell]], layout: _Wide) -> list[list[list[Cell]]]:
    """Data rows grouped per project: [unit row?, project row, continuation rows …]."""
    groups: list[list[list[Cell]]] = []
    unit_row: list[Cell] | None = None
    for r in data:
        code = key(clean(r[layout.code].text))
        if _UNIT_CODE_RE.match(code):
            unit_row = r
            continue
        if _PROJECT_CODE_RE.match(code):
            groups.append(([unit_row] if unit_row is not None else []) + [r])
            continue
        if groups:
            groups[-1].append(r)
    return groups


def _read_wide_project(form: Form, rows: list[list[Cell]], layout: _Wide, unit: str) -> None:
    """One project of the wide table: its row, then continuation rows (more indicators, or the
    wrapped remainder of cells cut by a line or page break)."""
    prev: dict[int, Draft] = {}
    started = False
    for r in rows:
        code = key(clean(r[layout.code].text))
        name = clean(r[layout.name].text)
        if _UNIT_CODE_RE.match(code):
            if name:
                form.set_text("unit", name, r[layout.name])
            continue
        wrapped_row = False
        if _PROJECT_CODE_RE.match(code):
            started = True
            form.where = r[layout.code]
            form.set_text("project", name, r[layout.name])
            for col, label in layout.money:
                t = clean(r[col].text)
                if t:
                    canonical = amount_label(label)
                    form.set_amount(canonical[0] if canonical else key(label), t, unit, r[col])
        elif not started:
            continue
        elif name:
            # the project name wrapped onto this row: every cell of the row continues the one above
            wrapped_row = True
            texts = form.texts.get("project", [])
            if texts:
                texts[-1] = (texts[-1][0] + name, texts[-1][1])
        current: dict[int, Draft] = {}
        for n, v, level1 in layout.pairs:
            nt, vt = clean(r[n].text), clean(r[v].text)
            if not nt and not vt:
                continue
            above = prev.get(n)
            if above is not None and (wrapped_row or (nt and not vt)):
                above.name += nt
                above.target_text += vt
                current[n] = above
                continue
            draft = Draft(level1, "", nt, target_text=vt, where=r[n] if nt else r[v])
            form.indicators.append(draft)
            current[n] = draft
        prev = current


def read_wide(kind: FormKind, title: str, blocks: Sequence[Block], source: str, unit: str) -> list[PerformanceForm]:
    found = find_wide(blocks)
    if found is None:
        return []
    at, layout = found
    header, data, notes = wide_rows(blocks, at, layout)
    # '项目金额（万元）' in the header gives the unit of every amount below it
    unit = next((u for r in header for c in r if (u := unit_of_label(clean(c.text)))), unit)
    forms: list[PerformanceForm] = []
    for group in split_wide(data, layout):
        form = Form(kind, title, source, unit)
        for b in blocks[:at]:
            if isinstance(b, Line):
                form.inline_label(clean(b.text), b)
        _read_wide_project(form, group, layout, unit)
        lines = {c.line for r in group for c in r}
        form.unreadable.extend(note for line, note in notes if line in lines)
        forms.append(form.build())
    return forms
