"""A disclosure published as several files is one disclosure.

Jiangsu publishes the 情况说明 as one file whose tables are 附后 (attached) and the tables as
another file with no cover. Read apart, the narrative file misses every table and the tables file
misses the 情况说明 and its meta. Files that agree on department, year, kind and scope (where each
prints them) and each hold only a part are merged into one Disclosure, so that nothing is reported
missing and the cross-part rules run.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from cnbudget.i18n import Joined, Message
from cnbudget.model import PARTS_SEPARATOR, Absence, Disclosure, Line, Meta, source_name
from cnbudget.numbers import squash


@lru_cache(maxsize=1)
def _markers() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = json.loads(resources.files("cnbudget.specs").joinpath("parts.json").read_text(encoding="utf-8"))
    return tuple(data["attached_markers"]), tuple(data["table_words"])


def attached_line(lines: list[Line]) -> Line | None:
    """The line saying the tables are published beside this file ('…部门预算公开表附后'), if any."""
    markers, table_words = _markers()
    for ln in lines:
        text = squash(ln.text)
        if len(text) <= 60 and any(m in text for m in markers) and any(w in text for w in table_words):
            return ln
    return None


def _holds_tables(d: Disclosure) -> bool:
    return any(t.spec_id != "LOCAL" for t in d.tables)


def _holds_narrative(d: Disclosure) -> bool:
    return bool(d.sections or d.facts)


def _agree(a: Meta, b: Meta) -> bool:
    """Same department, year, kind and scope wherever both print one (a tables file may print none)."""
    pairs = ((a.department, b.department), (a.year, b.year), (a.kind, b.kind), (a.scope, b.scope))
    return all(x == y for x, y in pairs if x and y) and bool(a.year and b.year and a.kind and b.kind)


def is_part(d: Disclosure) -> bool:
    """Holds only one part: a narrative without tables, or standard tables without any narrative."""
    return _holds_narrative(d) != _holds_tables(d)


def is_part_pair(narrative: Disclosure, tables: Disclosure) -> bool:
    """A narrative file without tables and a tables file without narrative, of one disclosure."""
    return (
        _holds_narrative(narrative)
        and not _holds_tables(narrative)
        and _holds_tables(tables)
        and not _holds_narrative(tables)
        and _agree(narrative.meta, tables.meta)
    )


def group_parts(disclosures: list[Disclosure | None]) -> list[list[int]]:
    """Indices of the inputs, grouped: each group is one disclosure (a pair of parts or a single
    file), in the order of the first file of each group. None (an unreadable file) stays alone."""
    used: set[int] = set()
    partner: dict[int, int] = {}
    for i, d in enumerate(disclosures):
        if d is None or i in used:
            continue
        candidates = [
            j
            for j, e in enumerate(disclosures)
            if j != i and j not in used and e is not None and (is_part_pair(d, e) or is_part_pair(e, d))
        ]
        if len(candidates) == 1:  # two tables files for one narrative would be a guess
            partner[i] = candidates[0]
            used |= {i, candidates[0]}
    groups: list[list[int]] = []
    seen: set[int] = set()
    for i in range(len(disclosures)):
        if i in seen:
            continue
        group = sorted([i, partner[i]]) if i in partner else [i]
        seen.update(group)
        groups.append(group)
    return groups


def _merged_meta(narrative: Meta, tables: Meta) -> Meta:
    meta = narrative.model_copy(deep=True)
    meta.department = narrative.department or tables.department
    meta.region = narrative.region or tables.region
    meta.year = narrative.year or tables.year
    meta.kind = narrative.kind or tables.kind
    meta.scope = narrative.scope or tables.scope
    meta.standard = narrative.standard or tables.standard
    meta.units = {**narrative.units, **tables.units}
    return meta


def merge_parts(parts: list[Disclosure]) -> Disclosure:
    """One Disclosure of a narrative file and its tables file (any order); a single part is returned as is.

    Every value keeps its own file in its location; the merged source names both files."""
    if len(parts) == 1:
        return parts[0]
    narrative = next(d for d in parts if _holds_narrative(d))
    tables = next(d for d in parts if d is not narrative)
    present = {t.name for t in tables.tables}
    absent = [_in_file(a) for a in tables.absent if a.what not in present]  # the narrative file's absences are its tables
    return Disclosure(
        source=PARTS_SEPARATOR.join(d.source for d in parts),
        format=narrative.format,
        meta=_merged_meta(narrative.meta, tables.meta),
        sections=narrative.sections,
        tables=tables.tables,
        facts=narrative.facts,
        performance=narrative.performance + tables.performance,
        contents=narrative.contents or tables.contents,
        cover=narrative.cover or tables.cover,
        blank_pages=[*narrative.blank_pages, *tables.blank_pages],
        absent=absent,
        notes=[
            *_notes_in_file(narrative),
            *_notes_in_file(tables),
            Message("recognize.note.one_disclosure", files=PARTS_SEPARATOR.join(d.source for d in parts)),
        ],
        unread_pages=sorted({*narrative.unread_pages, *tables.unread_pages}),
        unread_files={d.source: list(d.unread_pages) for d in parts if d.unread_pages},
    )


# A page number alone names no page of a disclosure read from several files: every note, absence and
# reason that names pages names their file too.


def _notes_in_file(d: Disclosure) -> list[str]:
    name = source_name(d.source)
    return [Message("recognize.note.in_file", file=name, note=n if isinstance(n, Message) else str(n)) for n in d.notes]


def _in_file(a: Absence) -> Absence:
    """An absence because pages were not read, as one naming the file of those pages."""
    if a.code != "unread" or a.location is None:
        return a
    reason = Message("absence.unread_in", detail=a.detail, file=source_name(a.location.source))
    return a.model_copy(update={"code": "unread_in", "reason": reason})


def unread_pages_named(d: Disclosure) -> Joined:
    """The unread pages of a disclosure read from several files, each with its file ('b.pdf第3页；a.pdf第2, 5页')."""
    return Joined(
        "；",
        tuple(
            Message("recognize.note.pages_in_file", file=source_name(source), pages=", ".join(str(p) for p in pages))
            for source, pages in d.unread_files.items()
        ),
    )

