"""The cover (封面): the lines a disclosure prints before its 目录 or its first part.

Read so that a reviewer's cover checks (rules/cover.py) look at what the cover itself prints, not at
meta, which falls back to headings and tables when the cover says nothing. A file that starts with
its first part or a table prints no cover: the list is empty. A PDF's cover is on its first page.
Patterns are data (``specs/cover.json``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from cnbudget.model import Line
from cnbudget.numbers import squash


@dataclass(frozen=True)
class CoverSpec:
    max_lines: int
    ends_at: tuple[re.Pattern[str], ...]
    skip: tuple[re.Pattern[str], ...]
    year: re.Pattern[str]
    kind_words: dict[str, tuple[str, ...]]
    date: re.Pattern[str]
    date_years: dict[str, tuple[int, ...]]


@lru_cache(maxsize=1)
def cover_spec() -> CoverSpec:
    d = json.loads(resources.files("cnbudget.specs").joinpath("cover.json").read_text(encoding="utf-8"))
    return CoverSpec(
        max_lines=int(d["max_lines"]),
        ends_at=tuple(re.compile(p) for p in d["ends_at"]),
        skip=tuple(re.compile(p) for p in d["skip"]),
        year=re.compile(d["year"]),
        kind_words={k: tuple(v) for k, v in d["kind_words"].items()},
        date=re.compile(d["date"]),
        date_years={k: tuple(int(x) for x in v) for k, v in d["date_years"].items()},
    )


def cover_key(text: str) -> str:
    """A line as the patterns see it: no whitespace, no leading markdown '#'."""
    return squash(text).lstrip("#")


def find_cover(lines: list[Line], contents: set[int]) -> list[Line]:
    """The cover's lines: from the first line up to the 目录, a part heading or a table title
    (page numbers left out); on a PDF's first page only. Empty when the file starts with content."""
    spec = cover_spec()
    out: list[Line] = []
    for ln in lines:
        text = cover_key(ln.text)
        if not text:
            continue
        if id(ln) in contents or (ln.page is not None and ln.page > 1) or len(out) >= spec.max_lines:
            break
        if any(p.search(text) for p in spec.ends_at):
            break
        if any(p.match(text) for p in spec.skip):
            continue
        out.append(ln)
    return out
