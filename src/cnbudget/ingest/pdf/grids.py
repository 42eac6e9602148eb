"""Grids from table frames: characters placed in cells, merged cells, split header rows, the model's Grid."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from cnbudget.ingest.pdf.chars import Unit
from cnbudget.ingest.pdf.frames import Frame, Region
from cnbudget.ingest.pdf.lines import cluster_lines, join_cell_lines, line_text, lowest_confidence
from cnbudget.model import BBox, Cell, Grid
from cnbudget.specs.pdf_reading import pdf_reading


@dataclass(slots=True)
class GridCell:
    text: str
    bbox: BBox
    rowspan: int = 1
    colspan: int = 1
    anchor: bool = True
    bands: list[tuple[float, float]] = field(default_factory=list)  # top/bottom of each text line
    confidence: float | None = None


@dataclass
class PageGrid:
    """A grid under construction, with what continuation and title logic need."""

    rows: list[list[GridCell]]
    bbox: BBox
    xs: list[float]


def assign_units(frame: Frame, units: list[Unit]) -> None:
    """Put each unit into the frame region under its centre (clamped to the frame's rows and columns)."""
    xs, ys = frame.xs, frame.ys
    last_row, last_col = len(ys) - 2, len(xs) - 2
    index: list[list[Region | None]] = [[None] * (last_col + 1) for _ in range(last_row + 1)]
    for g in frame.regions:
        for r in range(g.r0, g.r1 + 1):
            row = index[r]
            for c in range(g.c0, g.c1 + 1):
                row[c] = g
    for u in units:
        r = bisect_right(ys, u.mid) - 1
        r = 0 if r < 0 else last_row if r > last_row else r
        c = bisect_right(xs, (u.x0 + u.x1) / 2) - 1
        c = 0 if c < 0 else last_col if c > last_col else c
        region = index[r][c]
        if region is not None:
            region.units.append(u)


def grid_from_frame(frame: Frame) -> PageGrid | None:
    """Rows of cells over the frame's rows where a cell with text starts; None when the table is empty."""
    xs, ys = frame.xs, frame.ys
    # Keep the rows where some cell with text starts; the others are blank rows, or rows whose
    # only text belongs to a merged cell starting above (printed empty cells under a header).
    kept = sorted({g.r0 for g in frame.regions if g.units})
    if not kept:
        return None
    new_row = {r: i for i, r in enumerate(kept)}
    n_cols = len(xs) - 1
    rows: list[list[GridCell | None]] = [[None] * n_cols for _ in kept]
    for g in frame.regions:
        rows_in = [r for r in range(g.r0, g.r1 + 1) if r in new_row]
        if not rows_in:
            continue
        r0, r1 = new_row[rows_in[0]], new_row[rows_in[-1]]
        bbox = (xs[g.c0], ys[g.r0], xs[g.c1 + 1], ys[g.r1 + 1])
        rowspan, colspan = r1 - r0 + 1, g.c1 - g.c0 + 1
        if g.units:
            lines = cluster_lines(g.units)
            text = join_cell_lines([line_text(line) for line in lines])
            bands = [(min(u.top for u in line), max(u.bottom for u in line)) for line in lines]
            rows[r0][g.c0] = GridCell(text, bbox, rowspan, colspan, True, bands, lowest_confidence(g.units))
        else:
            rows[r0][g.c0] = GridCell("", bbox, rowspan, colspan, True, [], None)
        for r in range(r0, r1 + 1):
            for c in range(g.c0, g.c1 + 1):
                if (r, c) != (r0, g.c0):
                    cell_box = (xs[c], ys[kept[r]], xs[c + 1], ys[kept[r] + 1])
                    rows[r][c] = GridCell("", cell_box, anchor=False)
    full: list[list[GridCell]] = []
    for i, row in enumerate(rows):
        full.append(
            [cell if cell is not None else GridCell("", (xs[c], ys[kept[i]], xs[c + 1], ys[kept[i] + 1])) for c, cell in enumerate(row)]
        )
    grid = PageGrid(full, frame.bbox, list(xs))
    _split_header_total_rows(grid)
    return grid


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _split_header_total_rows(grid: PageGrid, max_row: int = 6) -> None:
    """Split a ruled row holding both header labels and the 合计 data row into two rows.

    Some 收入决算表/支出决算表 print the 类/款/项 labels at the top of the same ruled row as the
    合计 line. When every label of that row sits on a text line above the 合计 label (nothing wraps
    from one to the other), the labels become their own header row and the 合计 row keeps the
    label and all amounts. Only done near the top of a grid, where the header ends.
    """
    totals = pdf_reading().total_labels
    i = 0
    while i < min(len(grid.rows), max_row):
        row = grid.rows[i]
        anchors = [c for c in row if c.anchor and c.text]
        labels = [c for c in anchors if not _has_digit(c.text)]
        total = [c for c in labels if any(word in c.text for word in totals)]
        if not total or len(labels) < 2 or any(c.rowspan > 1 for c in row if c.anchor):
            i += 1
            continue
        first_band = _line_bands([m for c in anchors for m in c.bands])[0]
        header = [c for c in labels if all(m in first_band for m in c.bands)]
        lower = [c for c in labels if not any(m in first_band for m in c.bands)]
        header_ids = {id(c) for c in header}
        if not header or len(header) + len(lower) != len(labels) or any(id(c) in header_ids for c in total):
            i += 1
            continue
        split_y = (max(b for _, b in first_band) + min(a for c in lower for a, _ in c.bands)) / 2
        top_row: list[GridCell] = []
        bottom_row: list[GridCell] = []
        for cell in row:
            x0, y0, x1, y1 = cell.bbox
            up = GridCell("", (x0, y0, x1, split_y), 1, cell.colspan, cell.anchor)
            down = GridCell("", (x0, split_y, x1, y1), 1, cell.colspan, cell.anchor)
            target = up if id(cell) in header_ids else down
            target.text, target.bands, target.confidence = cell.text, cell.bands, cell.confidence
            top_row.append(up)
            bottom_row.append(down)
        for r in range(i):  # cells spanning into the split row now span one more row
            for cell in grid.rows[r]:
                if cell.anchor and r + cell.rowspan > i:
                    cell.rowspan += 1
        grid.rows[i : i + 1] = [top_row, bottom_row]
        i += 2


def _line_bands(lines: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Group text lines (top, bottom) of one table row by vertical centre, like cluster_lines."""
    bands: list[list[tuple[float, float]]] = []
    for line in sorted(lines, key=lambda t: t[0] + t[1]):
        mid, size = (line[0] + line[1]) / 2, line[1] - line[0]
        if bands:
            ref = bands[-1][0]
            if mid - (ref[0] + ref[1]) / 2 <= 0.45 * min(size, ref[1] - ref[0]):
                bands[-1].append(line)
                continue
        bands.append([line])
    return bands


def to_grid(pg: PageGrid, page: int, line: int) -> Grid:
    rows = [
        [
            Cell(c.text, page, line + r, round_box(c.bbox), c.confidence, c.colspan if c.anchor else 1, c.rowspan if c.anchor else 1)
            for c in row
        ]
        for r, row in enumerate(pg.rows)
    ]
    return Grid(rows, page, line, round_box(pg.bbox))


def round_box(b: BBox) -> BBox:
    return (round(b[0], 2), round(b[1], 2), round(b[2], 2), round(b[3], 2))
