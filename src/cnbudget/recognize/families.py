"""Which table or form a grid with no title line above it is: by a title printed inside the grid,
or, for performance forms, by the field names it prints (``form_fields`` in specs/performance.json).

A form is known by its fields, not only by its title: 上海's 财政项目支出绩效目标填报表 prints its
title in the grid's first row, and other templates print the fields under a heading that names no form.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from cnbudget.model import Grid, Line
from cnbudget.recognize.performance import key
from cnbudget.recognize.tables import is_title_candidate
from cnbudget.specs import TableSpec, specs


@lru_cache(maxsize=1)
def _families() -> dict[str, tuple[frozenset[str], ...]]:
    data = json.loads(resources.files("cnbudget.specs").joinpath("performance.json").read_text(encoding="utf-8"))
    return {
        spec_id: tuple(frozenset(key(label) for label in group) for group in groups)
        for spec_id, groups in data["form_fields"].items()
        if not spec_id.startswith("_")
    }


def form_in_grid(grid: Grid, kind: str | None) -> tuple[TableSpec, Line | None] | None:
    """A performance form with no title line above it: its spec, by the title printed in the grid's
    first row or else by its fields, and that printed title (None when the grid prints none)."""
    title: Line | None = None
    for row in grid.rows[:1]:
        cells = [c for c in row if c.text.strip()]
        if len(cells) == 1 and is_title_candidate(cells[0].text):
            cell = cells[0]
            title = Line(text=cell.text, page=cell.page, line=cell.line, bbox=cell.bbox)
    spec = specs().match_title(title.text, kind) if title is not None else None
    if spec is None or spec.layout != "form":
        spec = form_by_fields(grid)
    return (spec, title) if spec is not None else None


def form_by_fields(grid: Grid, rows: int = 40) -> TableSpec | None:
    """The performance-form family whose every field group the grid prints (most groups wins)."""
    printed = {key(c.text) for row in grid.rows[:rows] for c in row if c.text.strip()}
    best: tuple[int, str] | None = None
    for spec_id, groups in _families().items():
        if all(group & printed for group in groups) and (best is None or len(groups) > best[0]):
            best = (len(groups), spec_id)
    return specs().by_id(best[1]) if best else None
