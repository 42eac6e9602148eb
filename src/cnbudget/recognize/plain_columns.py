"""Which columns the amounts of a plain-text row stand in, when the row prints fewer amounts than
the table has columns (a text conversion drops blank cells, and with them the positions).

The amounts of a row keep their printed order, so a row of k amounts under n columns has
C(n, k) possible placements. A placement is kept only when every printed total of the table
reconciles with it exactly (to the rounding of the printed places):

* the table's row identities declared in ``specs/identities.json`` (``row_sum``: 合计 = Σ parts);
* each column's total row = the sum of the top rows above it (absent = nothing printed);
* ``specs/plain.json``: a fund's expenditure column holds no amount when no income line of that
  fund prints one (财政拨款 spending of a fund is financed by that fund's income).

The amounts are read only when exactly one placement of every row survives; otherwise the table
stays unread and says so. A guessed column would be a false value.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from cnbudget.numbers import parse_amount
from cnbudget.specs import TableSpec, normalise

# Placements tried at most for one table (products of the rows' possible placements).
MAX_PLACEMENTS = 20_000


@dataclass
class Stream:
    """One record stream (a table, or one side of a side-by-side table) as printed."""

    keys: list[str | None]  # canonical key of each value column, in printed order
    labels: list[str]  # each row's label
    amounts: list[list[str]]  # each row's printed amounts, in printed order
    total_row: int | None = None  # the row that totals the top rows, if any
    top_rows: list[int] = field(default_factory=list)  # the rows it totals


@dataclass(frozen=True)
class Constraints:
    sums: tuple[tuple[int, tuple[int, ...]], ...]  # (total column, part columns), every row
    empty: frozenset[int]  # columns that hold no amount other than 0


@lru_cache(maxsize=1)
def _identities() -> dict[str, object]:
    data: dict[str, object] = json.loads(resources.files("cnbudget.specs").joinpath("identities.json").read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def _plain() -> dict[str, object]:
    data: dict[str, object] = json.loads(resources.files("cnbudget.specs").joinpath("plain.json").read_text(encoding="utf-8"))
    return data


def total_labels() -> frozenset[str]:
    labels = _identities()["total_labels"]
    assert isinstance(labels, list)
    return frozenset(labels)


def _columns_of(expr: str, keys: list[str | None]) -> tuple[int, ...] | None:
    """'A|B + C' → the columns of the first alternative whose every key is printed, else None."""
    for alt in expr.split("|"):
        parts = [p.strip() for p in alt.split(" + ")]
        if any(p.startswith("-") or p.endswith(".*") for p in parts):
            continue
        if all(p in keys for p in parts):
            return tuple(keys.index(p) for p in parts)
    return None


def constraints(spec: TableSpec, side: str, stream: Stream, income: list[tuple[str, list[str]]]) -> Constraints:
    """The identities of ``spec`` that bind the columns of ``stream`` (one side's name or ''); ``income``:
    the lines (label, amounts) of the side that says which funds have money (``income_side``)."""
    sums: list[tuple[int, tuple[int, ...]]] = []
    checks = _identities()["checks"]
    assert isinstance(checks, list)
    for check in checks:
        if check.get("kind") != "row_sum" or spec.id not in check.get("tables", ()) or check.get("side", side) != side:
            continue
        if any(k not in stream.keys for k in check.get("requires_columns", ())):
            continue
        if any(k in stream.keys for k in check.get("unless_columns", ())):
            continue
        total = _columns_of(check["total"], stream.keys)
        parts = [_columns_of(p, stream.keys) for p in check["parts"]]
        if total is None or len(total) != 1 or any(p is None for p in parts):
            continue
        sums.append((total[0], tuple(i for p in parts if p is not None for i in p)))
    return Constraints(tuple(sums), frozenset(_unfunded(spec, side, stream, income)))


def _unfunded(spec: TableSpec, side: str, stream: Stream, income: list[tuple[str, list[str]]]) -> set[int]:
    """Fund columns of ``side`` whose fund no income line prints an amount for."""
    declared = _plain().get("funded_columns", {})
    assert isinstance(declared, dict)
    entry = declared.get(spec.id)
    if not entry or entry["side"] != side:
        return set()
    empty: set[int] = set()
    for key, fund_words in entry["columns"].items():
        if key not in stream.keys:
            continue
        lines = [amounts for label, amounts in income if any(w in normalise(label) for w in fund_words)]
        if not any(_value(a) != 0 for amounts in lines for a in amounts):
            empty.add(stream.keys.index(key))
    return empty


def funded_income_side(spec: TableSpec) -> str | None:
    """The side whose lines say which funds are financed, when the spec declares fund columns."""
    declared = _plain().get("funded_columns", {})
    assert isinstance(declared, dict)
    entry = declared.get(spec.id)
    return str(entry["income_side"]) if entry else None


def _value(text: str) -> Decimal:
    amount = parse_amount(text)
    return amount[0] if amount is not None else Decimal(0)


def _places(text: str) -> int:
    amount = parse_amount(text)
    return amount[1] if amount is not None else 0


def _reconciles(total: str | None, parts: list[str]) -> bool:
    """total = Σ parts, to one unit of the last printed place per part (absent = 0)."""
    if total is None and not parts:
        return True
    texts = [t for t in [total, *parts] if t is not None]
    unit = Decimal(1).scaleb(-max((_places(t) for t in texts), default=0))
    want = _value(total) if total is not None else Decimal(0)
    got = sum((_value(p) for p in parts), Decimal(0))
    slack = unit * len(parts) if any(_places(t) for t in texts) else Decimal(0)
    return abs(want - got) <= slack


def _row_fits(cells: list[str | None], c: Constraints) -> bool:
    if any(cells[i] is not None and _value(cells[i] or "0") != 0 for i in c.empty):
        return False
    for total, parts in c.sums:
        printed = [cells[i] for i in parts if cells[i] is not None]
        if cells[total] is None and not printed:
            continue
        if not _reconciles(cells[total], [p for p in printed if p is not None]):
            return False
    return True


def _options(amounts: list[str], width: int, c: Constraints) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = []
    for at in itertools.combinations(range(width), len(amounts)):
        cells: list[str | None] = [None] * width
        for i, a in zip(at, amounts, strict=True):
            cells[i] = a
        if _row_fits(cells, c):
            out.append(at)
    return out


def place(stream: Stream, c: Constraints) -> list[tuple[int, ...]] | None:
    """The column of each amount of each row, or None when not exactly one placement reconciles."""
    width = len(stream.keys)
    if any(len(a) > width for a in stream.amounts):
        return None
    options = [_options(a, width, c) for a in stream.amounts]
    if any(not o for o in options):
        return None
    linked = [] if stream.total_row is None else [*stream.top_rows, stream.total_row]
    if any(len(o) > 1 for i, o in enumerate(options) if i not in linked):
        return None  # a row no column total binds: its placement cannot be told
    if not linked:
        return [o[0] for o in options]
    count = 1
    for i in linked:
        count *= len(options[i])
    if count > MAX_PLACEMENTS:
        return None
    solutions: list[tuple[tuple[int, ...], ...]] = []
    for choice in itertools.product(*(options[i] for i in linked)):
        if _columns_total(stream, dict(zip(linked, choice, strict=True)), width):
            solutions.append(choice)
            if len(solutions) > 1:
                return None
    if len(solutions) != 1:
        return None
    chosen = dict(zip(linked, solutions[0], strict=True))
    return [chosen.get(i, o[0]) for i, o in enumerate(options)]


def _columns_total(stream: Stream, chosen: dict[int, tuple[int, ...]], width: int) -> bool:
    assert stream.total_row is not None
    grid: dict[int, list[str | None]] = {}
    for row, at in chosen.items():
        cells: list[str | None] = [None] * width
        for i, a in zip(at, stream.amounts[row], strict=True):
            cells[i] = a
        grid[row] = cells
    total = grid[stream.total_row]
    for col in range(width):
        parts = [grid[r][col] for r in stream.top_rows if grid[r][col] is not None]
        if not _reconciles(total[col], [p for p in parts if p is not None]):
            return False
    return True


def tree_groups(codes: list[list[str]], labels: list[str]) -> list[tuple[int, list[int]]]:
    """(parent row, its child rows) of a 类/款/项 table: a 类 = Σ its 款, a 款 = Σ its 项 (code parts
    printed '201', '201 03', '201 03 02'), the total row = Σ the 类 rows. Only complete groups: a parent
    whose children are all printed (a parent with no child printed is no group)."""
    groups: list[tuple[int, list[int]]] = []
    totals = total_labels()
    children: dict[tuple[str, ...], list[int]] = {}  # the rows under each code ((): the 类 rows), in order
    for j, p in enumerate(codes):
        if p:
            children.setdefault(tuple(p[:-1]), []).append(j)
    for i, parts in enumerate(codes):
        if parts:
            kids = children.get(tuple(parts), [])
        elif labels[i] in totals:
            kids = children.get((), [])
        else:
            kids = []
        if kids:
            groups.append((i, kids))
    return groups


def place_rows(stream: Stream, c: Constraints, groups: list[tuple[int, list[int]]]) -> list[tuple[int, ...]] | None:
    """The column of each amount of each row of a 类/款/项 table, by its row identities and its tree (each
    parent = Σ its children, column by column): None unless exactly one placement holds them all."""
    width = len(stream.keys)
    options = [_options(a, width, c) for a in stream.amounts]
    if any(not o for o in options):
        return None
    closing: dict[int, list[tuple[int, list[int]]]] = {}
    for parent, kids in groups:
        closing.setdefault(max(parent, *kids), []).append((parent, kids))
    unbound = {i for i, o in enumerate(options) if len(o) > 1} - {r for p, k in groups for r in (p, *k)}
    if unbound:  # a row no identity binds: its placement cannot be told, whatever the others give
        return None
    chosen: list[tuple[int, ...]] = []
    cells: list[list[str | None]] = []
    solutions: list[list[tuple[int, ...]]] = []
    budget = [MAX_PLACEMENTS * 10]

    def holds(parent: int, kids: list[int]) -> bool:
        return all(_reconciles(cells[parent][col], [p for k in kids if (p := cells[k][col]) is not None]) for col in range(width))

    def search() -> None:
        """Depth first, row by row, as a loop (a table may have thousands of rows; recursion has a depth
        limit): ``tried[i]`` is the next placement to try for row i; chosen/cells hold rows 0..i-1."""
        tried = [0]
        while tried:
            if len(solutions) > 1 or budget[0] <= 0:
                return
            i = len(tried) - 1
            if i == len(options) or tried[i] == len(options[i]):  # every row placed, or row i has no more
                if i == len(options):
                    solutions.append(list(chosen))
                tried.pop()
                if tried:  # back to row i-1: its next placement
                    chosen.pop()
                    cells.pop()
                continue
            at = options[i][tried[i]]
            tried[i] += 1
            budget[0] -= 1
            row: list[str | None] = [None] * width
            for col, amount in zip(at, stream.amounts[i], strict=True):
                row[col] = amount
            chosen.append(at)
            cells.append(row)
            if all(holds(p, k) for p, k in closing.get(i, [])):
                tried.append(0)
            else:
                chosen.pop()
                cells.pop()

    search()
    return solutions[0] if budget[0] > 0 and len(solutions) == 1 else None
