"""Table frames from ruling lines: the elementary rows and columns of a table and its merged regions."""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from cnbudget.ingest.pdf.chars import Unit
from cnbudget.ingest.pdf.lines import cluster_lines
from cnbudget.ingest.pdf.ruling import EDGE_TOL, Ruling
from cnbudget.model import BBox

WALL_COVER = 0.5  # a rule must cover this share of a cell side to separate two cells


@dataclass(slots=True)
class Region:
    """A cell of the table as printed: elementary rows r0..r1, columns c0..c1 (inclusive)."""

    r0: int
    c0: int
    r1: int
    c1: int
    units: list[Unit] = field(default_factory=list)


@dataclass
class Frame:
    xs: list[float]
    ys: list[float]
    regions: list[Region]

    @property
    def bbox(self) -> BBox:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def contains(self, u: Unit) -> bool:
        return self.xs[0] - 1 <= u.cx <= self.xs[-1] + 1 and self.ys[0] - 1 <= u.mid <= self.ys[-1] + 1


def _cluster_positions(values: Iterable[float]) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= EDGE_TOL:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _covered(intervals: list[tuple[float, float]], lo: float, hi: float) -> float:
    """Length of [lo, hi] covered by the (possibly overlapping) intervals, given sorted."""
    total = 0.0
    cursor = lo
    for a, b in intervals:
        if cursor > a:  # a, b = max(a, cursor), min(b, hi)
            a = cursor
        if hi < b:
            b = hi
        if b > a:
            total += b - a
            cursor = b
    return total


def table_components(h: list[Ruling], v: list[Ruling]) -> list[tuple[list[Ruling], list[Ruling]]]:
    """Groups of horizontal and vertical rules that touch each other (one table each)."""
    parent = list(range(len(h) + len(v)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, hr in enumerate(h):
        for j, vr in enumerate(v):
            if hr.a - EDGE_TOL <= vr.pos <= hr.b + EDGE_TOL and vr.a - EDGE_TOL <= hr.pos <= vr.b + EDGE_TOL:
                a, b = find(i), find(len(h) + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list[Ruling], list[Ruling]]] = {}
    for i, hr in enumerate(h):
        groups.setdefault(find(i), ([], []))[0].append(hr)
    for j, vr in enumerate(v):
        groups.setdefault(find(len(h) + j), ([], []))[1].append(vr)
    return [g for g in groups.values() if len(g[0]) >= 1 and len(g[1]) >= 1 and len(g[0]) + len(g[1]) >= 4]


def frame_from_rules(h: list[Ruling], v: list[Ruling]) -> Frame | None:
    """Elementary grid from a table's rules, cells merged where no rule separates them."""
    xs = _cluster_positions(r.pos for r in v)
    ys = _cluster_positions(r.pos for r in h)
    left, right = min(r.a for r in h), max(r.b for r in h)
    if left < xs[0] - EDGE_TOL:
        xs.insert(0, left)
    if right > xs[-1] + EDGE_TOL:
        xs.append(right)
    top, bottom = min(r.a for r in v), max(r.b for r in v)
    if top < ys[0] - EDGE_TOL:
        ys.insert(0, top)
    if bottom > ys[-1] + EDGE_TOL:
        ys.append(bottom)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < 1 or n_cols < 1:
        return None
    v_at = [sorted([(r.a, r.b) for r in v if abs(r.pos - x) <= EDGE_TOL]) for x in xs]
    h_at = [sorted([(r.a, r.b) for r in h if abs(r.pos - y) <= EDGE_TOL]) for y in ys]

    def wall_right(r: int, c: int) -> bool:  # between columns c and c+1 in row r
        lo, hi = ys[r], ys[r + 1]
        return _covered(v_at[c + 1], lo, hi) >= WALL_COVER * (hi - lo)

    def wall_below(r: int, c: int) -> bool:  # between rows r and r+1 in column c
        lo, hi = xs[c], xs[c + 1]
        return _covered(h_at[r + 1], lo, hi) >= WALL_COVER * (hi - lo)

    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            here = r * n_cols + c
            if c + 1 < n_cols and not wall_right(r, c):
                parent[find(here)] = find(here + 1)
            if r + 1 < n_rows and not wall_below(r, c):
                parent[find(here)] = find(here + n_cols)
    members: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            members.setdefault(find(r * n_cols + c), []).append((r, c))
    regions: list[Region] = []
    for cells in members.values():
        r0, r1 = min(p[0] for p in cells), max(p[0] for p in cells)
        c0, c1 = min(p[1] for p in cells), max(p[1] for p in cells)
        if (r1 - r0 + 1) * (c1 - c0 + 1) == len(cells):
            regions.append(Region(r0, c0, r1, c1))
            continue
        # Not a rectangle (a broken rule): keep each row's contiguous runs as cells.
        by_row: dict[int, list[int]] = {}
        for r, c in cells:
            by_row.setdefault(r, []).append(c)
        for r, cols in by_row.items():
            cols.sort()
            runs = [[cols[0], cols[0]]]
            for c in cols[1:]:
                if c == runs[-1][1] + 1:
                    runs[-1][1] = c
                else:
                    runs.append([c, c])
            regions.extend(Region(r, a, r, b) for a, b in runs)
    return _drop_unused_edges(Frame(xs, ys, regions))


def _drop_unused_edges(frame: Frame) -> Frame:
    """Remove column/row edges at which no cell starts (slivers from slightly misaligned rules)."""
    col_starts = sorted({0, *(g.c0 for g in frame.regions)})
    row_starts = sorted({0, *(g.r0 for g in frame.regions)})
    col_index = {c: i for i, c in enumerate(col_starts)}
    row_index = {r: i for i, r in enumerate(row_starts)}
    xs = [frame.xs[c] for c in col_starts] + [frame.xs[-1]]
    ys = [frame.ys[r] for r in row_starts] + [frame.ys[-1]]
    n_cols, n_rows = len(col_starts), len(row_starts)
    regions = []
    for g in frame.regions:
        c1 = bisect_right(col_starts, g.c1) - 1
        r1 = bisect_right(row_starts, g.r1) - 1
        regions.append(Region(row_index[g.r0], col_index[g.c0], min(r1, n_rows - 1), min(c1, n_cols - 1)))
    return Frame(xs, ys, regions)


def frame_from_open_rules(h: list[Ruling], units: list[Unit]) -> Frame | None:
    """A table ruled only horizontally (e.g. a three-line table): columns come from text gaps."""
    h = sorted(h, key=lambda r: r.pos)
    x0, x1 = min(r.a for r in h), max(r.b for r in h)
    top, bottom = h[0].pos, h[-1].pos
    inside = [u for u in units if x0 - 1 <= u.cx <= x1 + 1 and top < u.mid < bottom]
    if not inside:
        return None
    # Columns: gaps in the x-projection of the body (below the second rule, where headers no longer span).
    body = [u for u in inside if u.mid > h[1].pos] if len(h) >= 3 else inside
    spans: list[list[float]] = []
    for line in cluster_lines(body or inside):
        words = _words(line)
        spans.extend([w[0].x0, w[-1].x1] for w in words)
    spans.sort()
    merged: list[list[float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1] + 2:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    if len(merged) < 2:
        return None
    xs = [x0] + [(merged[i][1] + merged[i + 1][0]) / 2 for i in range(len(merged) - 1)] + [x1]
    # Rows: the rules, and between rules one row per text line.
    ys = [r.pos for r in h]
    for upper_rule, lower_rule in itertools.pairwise(h):
        lines = cluster_lines(u for u in inside if upper_rule.pos < u.mid < lower_rule.pos)
        for upper, lower in itertools.pairwise(lines):
            ys.append((max(u.bottom for u in upper) + min(u.top for u in lower)) / 2)
    ys = sorted(ys)
    regions = [Region(r, c, r, c) for r in range(len(ys) - 1) for c in range(len(xs) - 1)]
    return Frame(xs, ys, regions)


def _words(line: list[Unit]) -> list[list[Unit]]:
    """Split a line at gaps wider than one em."""
    words: list[list[Unit]] = []
    for u in line:
        if words and u.x0 - words[-1][-1].x1 <= max(u.size, words[-1][-1].size):
            words[-1].append(u)
        else:
            words.append([u])
    return words


def open_rule_groups(h: list[Ruling], used: set[int]) -> list[list[Ruling]]:
    """Stacks of at least three long horizontal rules with the same extent, not part of a ruled table."""
    free = sorted((r for i, r in enumerate(h) if i not in used and r.b - r.a >= 100), key=lambda r: r.pos)
    groups: list[list[Ruling]] = []
    for r in free:
        for g in groups:
            last = g[-1]
            if abs(last.a - r.a) <= 3 * EDGE_TOL and abs(last.b - r.b) <= 3 * EDGE_TOL and r.pos - last.pos < 400:
                g.append(r)
                break
        else:
            groups.append([r])
    return [g for g in groups if len(g) >= 3]
