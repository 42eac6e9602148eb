"""Multi-row table headers → one printed header path per column.

Converters and PDFs print a merged header cell once, at its top-left position, and leave the
positions it covers blank. A blank header position therefore inherits the text to its left in
the same header row, but only while the rows above still belong to the same parent (a new
cell above closes the span). Paths keep the printed words, whitespace removed, with
consecutive repeats dropped (``基本支出`` over ``基本支出`` is one level).
"""

from __future__ import annotations

import re

from cnbudget.model import Cell
from cnbudget.numbers import parse_amount, single_code, squash, strip_ordinal

_COLUMN_NUMBER = re.compile(r"^(\d{1,2}|\*\*)$")
_DATA_LABEL = re.compile(r"^(合计|总计|共计|收入合计|支出合计|收入总计|支出总计)$")


def is_amount_cell(text: str) -> bool:
    """A cell that prints a money amount (decimals or thousands separators)."""
    t = text.strip()
    parsed = parse_amount(t)
    return parsed is not None and ("." in t or "," in t)


def is_column_number_row(cells: list[str], markers: tuple[str, ...]) -> bool:
    """The 栏次 row ('栏次 | | 1 | 2 …' or '** | ** | 1 | 2'): numbers the columns, holds no data."""
    texts = [squash(c) for c in cells if squash(c)]
    if not texts:
        return False
    if any(t in markers for t in texts):
        rest = [t for t in texts if t not in markers]
        return all(_COLUMN_NUMBER.match(t) or len(t) > 30 for t in rest)
    numbers = [t for t in texts if _COLUMN_NUMBER.match(t)]
    return len(numbers) >= 3 and len(numbers) == len(texts) and numbers[0] in ("1", "**")


def is_data_row(cells: list[str]) -> bool:
    """Where the header ends: the first row that prints an amount, a code or a total label."""
    texts = [c.strip() for c in cells if c.strip()]
    if not texts:
        return False
    if any(is_amount_cell(t) for t in texts):
        return True
    first = squash(texts[0])
    if single_code(texts[0]) and len(first) >= 3 and first.isdigit():
        return True
    if _DATA_LABEL.match(first) and all(parse_amount(t) is not None for t in texts[1:]):
        return True  # the 合计 row of an empty table ('合计 | 0'); a header row has other words beside 合计
    number, _ = strip_ordinal(texts[0])
    return number is not None


def is_total_label(text: str) -> bool:
    """合计 / 总计 / 收入合计 …: the label of a table's total row."""
    return _DATA_LABEL.match(squash(text)) is not None


def header_paths(rows: list[list[Cell]], width: int) -> list[list[str]]:
    """Header path (list of printed parts, whitespace removed) for each of ``width`` columns.

    A blank cell at (r, c) inherits the nearest non-blank cell (r, c') to its left when every
    column in (c', c] is blank in all rows above r: the merged cell above has not ended. A
    reader that knows the merge (``colspan`` > 1) limits the inheritance to that span.
    """
    texts = [[squash(row[c].text) if c < len(row) else "" for c in range(width)] for row in rows]
    paths: list[list[str]] = [[] for _ in range(width)]
    blank_above = [True] * width  # column c blank in every row above the current one
    for r, row in enumerate(rows):
        anchor = ""
        anchor_left = -1  # remaining columns of a known span; -1 = unknown
        for c in range(width):
            text = texts[r][c]
            if text:
                anchor = text
                span = row[c].colspan if c < len(row) else 1
                anchor_left = span - 1 if span > 1 else -1
                part = text
            elif anchor and blank_above[c] and anchor_left != 0:
                part = anchor
                if anchor_left > 0:
                    anchor_left -= 1
            else:
                anchor = ""
                part = ""
            if part and (not paths[c] or paths[c][-1] != part):
                paths[c].append(part)
        for c in range(width):
            if texts[r][c]:
                blank_above[c] = False
    return paths
