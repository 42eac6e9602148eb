"""Template families whose own form a re-print keeps (specs/publish_families.json).

``build --from`` re-prints a document in the standard form (parts in the standard order, numbered
第一部分 …). A document of a known template family — the Shanghai 决算 with its 第一部分 … 第四部分,
the Shanghai 预算 with its unnumbered parts that the 目录 numbers 一、… 七、 — is re-printed in its
own form instead: its cover lines as read, its parts in its own order with its own headings, the
tables part where its tables stood, and the numbering the family uses. Which documents form a
family, and how it numbers, is data; this module matches a Disclosure to a family and lays out
the order of its parts (``plan``), which ``build.build_document`` prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cnbudget.model import Disclosure, Location, Section
from cnbudget.publish.compose import chinese_ordinal
from cnbudget.publish.source_text import SourceText
from cnbudget.publish.spec import families_spec

Position = tuple[int, int]


@dataclass(frozen=True)
class Family:
    id: str
    kind: str
    cover: re.Pattern[str]
    parts: tuple[re.Pattern[str], ...]
    cover_sub: re.Pattern[str] | None  # cover lines printed in the smaller face
    part_numbers: str  # the body's part numbers ('第{cn}部分'); '' = headings printed as read
    contents_numbers: str  # the 目录's part numbers ('{cn}、'); '' = as the body
    tables_part: str  # the tables part's heading when the source prints none
    table_numbers: str  # the tables' numbers in the 目录 ('{cn}、', '{n}. ')

    def number(self, fmt: str, n: int) -> str:
        return fmt.format(cn=chinese_ordinal(n), n=n) if fmt else ""


@lru_cache(maxsize=1)
def families() -> tuple[Family, ...]:
    return tuple(
        Family(
            id=f["id"],
            kind=f["kind"],
            cover=re.compile(f["cover"]),
            parts=tuple(re.compile(p) for p in f["parts"]),
            cover_sub=re.compile(f["cover_sub"]) if f["cover_sub"] else None,
            part_numbers=f["part_numbers"],
            contents_numbers=f["contents_numbers"],
            tables_part=f["tables_part"],
            table_numbers=f["table_numbers"],
        )
        for f in families_spec()
    )


def _squash(text: str) -> str:
    return "".join(text.split())


def family_of(d: Disclosure) -> Family | None:
    """The family whose cover and part headings the document prints; None for any other."""
    cover = [_squash(p.text) for p in d.cover]
    tops = [_squash(f"{s.number}{s.title}") for s in d.sections if s.level <= 1]
    for f in families():
        if f.kind == d.meta.kind and any(f.cover.search(c) for c in cover) and all(any(p.search(t) for t in tops) for p in f.parts):
            return f
    return None


@dataclass
class Slot:
    """One part of the re-print: the source's own section (``section``), or a part the standard
    writer prints (``section`` None: the tables and forms printed from the model, a part the source
    lacks). ``writer``: the standard part it is ('' for a section no standard part matches)."""

    writer: str
    section: Section | None = None


def _position(loc: Location) -> Position | None:
    return None if loc.line is None or loc.source is None else (loc.page or 0, loc.line)


def plan(d: Disclosure, source: SourceText, writers: list[str]) -> list[Slot]:
    """The parts in the source's order. The tables part stands where the source printed it (its
    heading) or where its first table stood; the forms likewise; a standard part the source lacks
    follows the parts that precede it in the standard order (``writers``)."""
    slots = [Slot(w, s) for w, s in source.order]
    at = [_position(s.location) if s.location.source == d.source else None for _w, s in source.order]
    anchors = {
        "tables": [p for t in d.tables if t.spec_id != "LOCAL" and t.location.source == d.source and (p := _position(t.location))],
        "forms": [p for f in d.performance if f.location.source == d.source and (p := _position(f.location))],
    }
    rank = {w: i for i, w in enumerate(writers)}
    for writer in writers:
        if any(s.writer == writer for s in slots):
            continue
        first = min(anchors.get(writer, []), default=None)
        if first is not None:
            k = next((i for i, p in enumerate(at) if p is not None and p > first), len(slots))
        else:
            k = next((i for i, s in enumerate(slots) if s.writer and rank.get(s.writer, -1) > rank[writer]), len(slots))
        slots.insert(k, Slot(writer))
        at.insert(k, first)
    return slots
