"""A header of several levels printed as plain text lines (the 三公 table: '“三公”经费预算数' over
合计 / 因公出国(境)费 / 公务接待费 / '公务用车购置及运行费' over 小计 / 购置费 / 运行费, and beside them
'机关运行经费预算数' wrapped over two lines).

A text conversion prints each header cell on the line of its vertical middle, so the lines hold cells
of several levels and nothing says which cell stands above which. The shape of the table family is
data (``spanning_headers`` in ``specs/plain.json``: which printed cell spans which); the order of the
columns is not declared but read: cells printed on one line keep their order, and of the orders the
lines allow only those whose values satisfy the table's row identities (``specs/identities.json``)
are kept. The header is read only when exactly one order is left.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from cnbudget.recognize.plain_columns import Stream, constraints, place
from cnbudget.specs import TableSpec, normalise

_YEAR = re.compile(r"^20\d{2}年度?")
# Orders tried at most for one header.
MAX_ORDERS = 5_000


@dataclass
class Node:
    """A header cell of the declared shape, and the printed token that matched it (if printed)."""

    names: tuple[str, ...]
    children: list[Node] = field(default_factory=list)
    token: int | None = None  # index of the printed token


def _key(text: str) -> str:
    return _YEAR.sub("", normalise(text))


def _tree(raw: object) -> Node:
    if isinstance(raw, str):
        return Node(tuple(_key(n) for n in raw.split("|")))
    assert isinstance(raw, dict)
    return Node(tuple(_key(n) for n in raw["name"].split("|")), [_tree(c) for c in raw["columns"]])


@lru_cache(maxsize=1)
def _declared() -> dict[str, list[object]]:
    data = json.loads(resources.files("cnbudget.specs").joinpath("plain.json").read_text(encoding="utf-8"))
    headers: dict[str, list[object]] = data.get("spanning_headers", {})
    return headers


def _walk(nodes: list[Node]) -> list[Node]:
    return [n for node in nodes for n in (node, *_walk(node.children))]


def _tokens(header: list[list[str]], known: set[str]) -> list[tuple[str, list[int], list[int]]] | None:
    """(text, lines, positions) of each header cell; a cell wrapped over two lines ('2024年机关运行经' /
    '费预算数') is joined when the join is a declared name and neither part is one."""
    flat = [(t, [i], [k]) for i, line in enumerate(header) for k, t in enumerate(line)]
    loose = [j for j, (t, _, _) in enumerate(flat) if _key(t) not in known]
    joined: dict[int, int] = {}
    for a, b in itertools.permutations(loose, 2):
        if flat[a][1][0] < flat[b][1][0] and a not in joined and b not in joined.values() and _key(flat[a][0] + flat[b][0]) in known:
            joined[a] = b
    out: list[tuple[str, list[int], list[int]]] = []
    used = set(joined.values())
    for j, (text, lines, positions) in enumerate(flat):
        if j in used:
            continue
        if j in joined:
            rest, rest_lines, rest_positions = flat[joined[j]]
            out.append((text + rest, lines + rest_lines, positions + rest_positions))
        elif _key(text) in known:
            out.append((text, lines, positions))
        else:
            return None  # a header cell the shape does not know: its place cannot be told
    return out


def _printed(nodes: list[Node]) -> list[Node]:
    """The printed cells of ``nodes``: a node not printed gives its place to its printed descendants."""
    out: list[Node] = []
    for n in nodes:
        kids = _printed(n.children)
        if n.token is not None:
            out.append(Node(n.names, kids, n.token))
        else:
            out.extend(kids)
    return out


def _leaves(node: Node) -> list[Node]:
    return [node] if not node.children else [leaf for c in node.children for leaf in _leaves(c)]


def _orders(nodes: list[Node], before: set[tuple[int, int]]) -> list[list[Node]]:
    """Every arrangement of ``nodes`` (and, recursively, of their children) in which a token printed
    left of another on the same line stays left of it."""
    arrangements: list[list[Node]] = []
    for perm in itertools.permutations(nodes):
        tokens = [[leaf.token for leaf in _all(n)] for n in perm]
        if any((b, a) in before for i, j in itertools.combinations(range(len(perm)), 2) for a in tokens[i] for b in tokens[j]):
            continue
        inner: list[list[list[Node]]] = [_orders(n.children, before) if n.children else [[]] for n in perm]
        for kids in itertools.product(*inner):
            arrangements.append([Node(n.names, k, n.token) for n, k in zip(perm, kids, strict=True)])
            if len(arrangements) > MAX_ORDERS:
                return arrangements
    return arrangements


def _all(node: Node) -> list[Node]:
    return [node, *(n for c in node.children for n in _all(c))]


def _grid(order: list[Node], texts: list[str]) -> list[list[str]]:
    """Header rows: each cell printed at its first column and level, blank where a merged cell spans."""
    depth = max((len(path) for path in _paths(order)), default=0)
    width = sum(len(_leaves(n)) for n in order)
    rows = [[""] * width for _ in range(depth)]

    def put(nodes: list[Node], level: int, at: int) -> None:
        for n in nodes:
            assert n.token is not None
            rows[level][at] = texts[n.token]
            put(n.children, level + 1, at)
            at += len(_leaves(n))

    put(order, 0, 0)
    return rows


def _paths(order: list[Node]) -> list[list[Node]]:
    out: list[list[Node]] = []
    for n in order:
        if not n.children:
            out.append([n])
        else:
            out.extend([n, *p] for p in _paths(n.children))
    return out


Spanned = tuple[list[list[str]], list[tuple[int, ...]]]  # header rows, each row's value columns


def _matched(spec: TableSpec, header: list[list[str]]) -> tuple[list[Node], list[tuple[str, list[int], list[int]]]] | None:
    """The declared shape with each node's printed token, when every header cell is one of its cells."""
    raw = _declared().get(spec.id)
    if not raw:
        return None
    roots = [_tree(r) for r in raw]
    nodes = _walk(roots)
    known = {name for n in nodes for name in n.names}
    tokens = _tokens(header, known)
    if tokens is None:
        return None
    for t, (text, _, _) in enumerate(tokens):
        matches = [n for n in nodes if _key(text) in n.names and n.token is None]
        if len(matches) != 1:
            return None  # a cell the shape names twice (or not at all) cannot be placed
        matches[0].token = t
    if not any(n.children for n in _printed(roots)):
        return None  # one level printed: a plain header, read by its names
    return roots, tokens


def is_spanning(spec: TableSpec, header: list[list[str]]) -> bool:
    """The header lines are the cells of the spec's declared header of several levels: read by that shape
    only (reading them as one line of names would drop the cells printed on the other lines)."""
    return _matched(spec, header) is not None


def spanning_header(spec: TableSpec, header: list[list[str]], amounts: list[list[str]]) -> Spanned | None:
    """(header rows, each row's value columns) when the header lines fit the spec's declared shape in
    exactly one order whose values satisfy the row identities; None otherwise."""
    matched = _matched(spec, header)
    if matched is None:
        return None
    roots, tokens = matched
    printed = _printed(roots)
    width = sum(len(_leaves(n)) for n in printed)
    if not amounts or any(len(a) > width for a in amounts):
        return None
    before = {
        (a, b)
        for a, (_, lines_a, pos_a) in enumerate(tokens)
        for b, (_, lines_b, pos_b) in enumerate(tokens)
        if any(la == lb and pa < pb for la, pa in zip(lines_a, pos_a, strict=True) for lb, pb in zip(lines_b, pos_b, strict=True))
    }
    texts = [text for text, _, _ in tokens]
    found: list[Spanned] = []
    orders = _orders(printed, before)
    if len(orders) > MAX_ORDERS:
        return None
    for order in orders:
        grid = _grid(order, texts)
        paths = ["-".join(texts[n.token] for n in path if n.token is not None) for path in _paths(order)]
        stream = Stream(keys=[spec.column_key(normalise(p)) for p in paths], labels=[""] * len(amounts), amounts=amounts)
        placed = place(stream, constraints(spec, "", stream, []))
        if placed is not None and constraints(spec, "", stream, []).sums:
            found.append((grid, placed))
    return found[0] if len(found) == 1 else None
