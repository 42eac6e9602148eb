"""One page's lines and grids in reading order, from its positioned text and ruling lines."""

from __future__ import annotations

from dataclasses import dataclass

from cnbudget.ingest.pdf.chars import Unit, is_wordish
from cnbudget.ingest.pdf.frames import Frame, frame_from_open_rules, frame_from_rules, open_rule_groups, table_components
from cnbudget.ingest.pdf.grids import PageGrid, assign_units, grid_from_frame
from cnbudget.ingest.pdf.lines import bbox_of, cluster_lines, line_text, median
from cnbudget.ingest.pdf.ruling import Ruling, merge_rules
from cnbudget.model import BBox


@dataclass
class TextLine:
    units: list[Unit]
    text: str
    bbox: BBox
    size: float


def page_content(units: list[Unit], h: list[Ruling], v: list[Ruling], width: float) -> list[tuple[float, TextLine | PageGrid]]:
    """Lines and grids of one page from its positioned text and ruling lines."""
    h, v = merge_rules(h), merge_rules(v)
    frames: list[Frame] = []
    used_h: set[int] = set()
    for hs, vs in table_components(h, v):
        frame = frame_from_rules(hs, vs)
        if frame is None or len(frame.regions) < 2:
            continue  # a box around text, not a table
        frames.append(frame)
        ids = {id(r) for r in hs}
        used_h.update(i for i, r in enumerate(h) if id(r) in ids)
    for group in open_rule_groups(h, used_h):
        frame = frame_from_open_rules(group, units)
        if frame is not None and not any(_overlaps(frame.bbox, f.bbox) for f in frames):
            frames.append(frame)

    free: list[Unit] = []
    in_frame: dict[int, list[Unit]] = {id(f): [] for f in frames}
    if frames:  # Frame.contains, unrolled: a page has thousands of units
        bounds = [(f.xs[0] - 1, f.xs[-1] + 1, f.ys[0] - 1, f.ys[-1] + 1, in_frame[id(f)]) for f in frames]
        for u in units:
            cx, mid = (u.x0 + u.x1) / 2, u.mid
            for left, right, top, bottom, inside in bounds:
                if left <= cx <= right and top <= mid <= bottom:
                    inside.append(u)
                    break
            else:
                free.append(u)
    else:
        free = list(units)

    blocks: list[tuple[float, TextLine | PageGrid]] = []
    for f in frames:
        assign_units(f, in_frame[id(f)])
        grid = grid_from_frame(f)
        if grid is None:
            continue  # an empty table: ruling lines with no text (spill of the previous page)
        if len(grid.rows) == 1 and sum(1 for c in grid.rows[0] if c.anchor) == 1:
            free.extend(in_frame[id(f)])  # a single boxed cell: its text is running text
            continue
        blocks.append((grid.bbox[1], grid))
    for line in cluster_lines(free):
        tl = TextLine(line, line_text(line), bbox_of(line), median([u.size for u in line]))
        blocks.append((tl.bbox[1], tl))
    blocks.sort(key=lambda b: (b[0], b[1].bbox[0]))
    return _join_titles(blocks, units, width)


def _overlaps(a: BBox, b: BBox) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _join_titles(
    blocks: list[tuple[float, TextLine | PageGrid]], units: list[Unit], width: float
) -> list[tuple[float, TextLine | PageGrid]]:
    """Join a wrapped title: consecutive centred lines in the same large font, close together."""
    if not units:
        return blocks
    body = median([u.size for u in units])
    out: list[tuple[float, TextLine | PageGrid]] = []
    for top, block in blocks:
        prev = out[-1][1] if out else None
        if (
            isinstance(block, TextLine)
            and isinstance(prev, TextLine)
            and abs(block.size - prev.size) <= 0.5
            and block.size >= 1.15 * body
            and block.bbox[1] - prev.bbox[3] <= 0.8 * block.size
            and _centred(prev.bbox, width, block.size)
            and _centred(block.bbox, width, block.size)
        ):
            units_ = prev.units + block.units
            text = prev.text + (" " if is_wordish(prev.text[-1]) and is_wordish(block.text[0]) else "") + block.text
            out[-1] = (out[-1][0], TextLine(units_, text, bbox_of(units_), prev.size))
            continue
        out.append((top, block))
    return out


def _centred(bbox: BBox, width: float, size: float) -> bool:
    centre = (bbox[0] + bbox[2]) / 2
    return abs(centre - width / 2) <= max(0.05 * width, 1.5 * size)
