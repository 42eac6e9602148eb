"""Layout → Disclosure: the one place where a document's parts are put together.

Order of work: the contents (目录) are set aside; the kind (预算/决算) is read from the cover;
blocks are cut into segments at table titles; each segment becomes a standard table, a local
table or a performance form; the remaining lines are the narrative. What a disclosure of this
kind must contain but does not is listed as absent, with the reason.
"""

from __future__ import annotations

import re
from collections import Counter

from cnbudget.i18n import Message
from cnbudget.limits import MAX_AMOUNT_DIGITS, MAX_AMOUNT_PLACES
from cnbudget.model import (
    Absence,
    AbsenceCode,
    BlankPage,
    Disclosure,
    Grid,
    Layout,
    Line,
    Location,
    Paragraph,
    PerformanceForm,
    Table,
    Unit,
)
from cnbudget.numbers import oversized, squash
from cnbudget.recognize import families, narrative, parts, performance, plain
from cnbudget.recognize.contents import toc_text
from cnbudget.recognize.cover import find_cover
from cnbudget.recognize.meta import detect_kind, detect_meta
from cnbudget.recognize.tables import (
    NOTE_RE,
    Segment,
    build_table,
    find_unit,
    is_continuation,
    is_title_candidate,
    title_of,
)
from cnbudget.recognize.verify import verify
from cnbudget.specs import normalise, specs
from cnbudget.specs.reading import reading_hints

_CONTENTS_RE = re.compile(r"^目录$")
_PART_RE = re.compile(r"^第[一二三四五六七八九十]+部分")  # a part heading ends any table or form
_ATTACHMENT_RE = re.compile(r"^附件[:：].*表$")  # '附件：…2023年部门预算表' announces the tables, it is no text
_TABLES_PART_RE = re.compile(r"(部门|单位)?(预|决)算表$")
_TOC_PREFIX_RE = re.compile(r"^[-•·]?\s*(?:[一二三四五六七八九十]+[、.．]|\d+[、.．])?\s*")


def find_contents(lines: list[Line]) -> tuple[list[Line], set[int]]:
    """The 目录 block: its entries, and their ids (so that they are never read as titles)."""
    start = next((i for i, ln in enumerate(lines[:80]) if _CONTENTS_RE.match(squash(ln.text))), None)
    if start is None:
        return [], set()
    entries: list[Line] = []
    first = ""
    for ln in lines[start + 1 :]:
        t = squash(toc_text(ln.text))
        if not t:
            continue
        if first and len(entries) > 2 and (first.startswith(t) or t.startswith(first)):
            break
        if entries and ln.page is not None and ln.page != entries[-1].page and reading_hints().part_heading.match(t):
            break  # a new page opening with an unnumbered part heading (X主要职能): the body begins
        if len(t) > 60 or "。" in t:
            break
        entries.append(ln)
        first = first or t
    return entries, {id(ln) for ln in entries}


def _title_spec(text: str, kind: str | None) -> tuple[str, str] | None:
    """('spec', id) or ('local', alias) for a table title line; None for any other line."""
    if not is_title_candidate(text):
        return None
    table_specs = specs()
    spec = table_specs.match_title(text, kind)
    if spec is not None:
        return "spec", spec.id
    local = table_specs.match_local_title(text)
    if local is not None:
        return "local", local
    return None


def segment_blocks(layout: Layout, toc: set[int], kind: str | None) -> list[Segment]:
    """Cut the blocks into table segments at title lines; join continued grids."""
    table_specs = specs()
    markers = table_specs.column_number_rows
    segments: list[Segment] = []
    current: Segment | None = None
    for index, block in enumerate(layout.blocks):
        if isinstance(block, Line):
            found = None if id(block) in toc else _title_spec(block.text, kind)
            if found is not None:
                what, ident = found
                spec = table_specs.by_id(ident) if what == "spec" else None
                current = Segment(spec=spec, title=block, local_title=ident if what == "local" else "")
                segments.append(current)
                continue
            if current is not None and id(block) not in toc and _PART_RE.match(squash(block.text)):
                current = None
                continue
            if current is not None:
                current.blocks.append(block)
                if current.grids:
                    current.notes.append(block)
                else:
                    current.lines.append(block)
            continue
        grid: Grid = block
        if current is not None and (current.spec is not None and current.spec.layout == "form"):
            current.blocks.append(grid)
            current.grids.append(grid)
            continue
        if current is not None and not current.grids:
            current.grids.append(grid)
            current.blocks.append(grid)
            continue
        if current is not None and current.grids and is_continuation(current.grids[-1], grid, markers):
            current.grids.append(grid)
            current.blocks.append(grid)
            current.notes.clear()
            continue
        form = families.form_in_grid(grid, kind)
        if form is not None:  # a performance form known by the title in its first row or by its fields
            current = Segment(spec=form[0], title=form[1], grids=[grid], blocks=[grid])
        else:
            current = Segment(spec=None, title=None, local_title=_heading_before(layout.blocks, index), grids=[grid], blocks=[grid])
        segments.append(current)
    return _join_repeated_titles(segments)


def _heading_before(blocks: list[Line | Grid], index: int) -> str:
    """A grid with no table title is named by the short heading line just above it, if any
    ('二、部门决算单位构成' → 部门决算单位构成)."""
    if index == 0 or not isinstance(blocks[index - 1], Line):
        return ""
    text = squash(blocks[index - 1].text)  # type: ignore[union-attr]
    if not text or len(text) > 30 or "。" in text or text.endswith("：") or text.endswith(":"):
        return ""
    return _TOC_PREFIX_RE.sub("", text)


def _join_repeated_titles(segments: list[Segment]) -> list[Segment]:
    """A standard table printed twice under the same title (a page break in the conversion)."""
    joined: list[Segment] = []
    for seg in segments:
        prev = joined[-1] if joined else None
        if (
            prev is not None
            and seg.spec is not None
            and prev.spec is not None
            and seg.spec.id == prev.spec.id
            and seg.spec.layout != "form"
            and prev.title is not None
            and seg.title is not None
            and normalise(prev.title.text) == normalise(seg.title.text)
            and seg.grids
            and prev.grids
        ):
            prev.grids.extend(seg.grids)
            prev.blocks.extend(seg.blocks)
            prev.notes = seg.notes
            continue
        joined.append(seg)
    return joined


def _segment_unit(seg: Segment) -> Unit | None:
    return find_unit(([seg.title] if seg.title else []) + seg.lines[:8])


def _oversized_note(tables: list[Table]) -> list[str]:
    """Name the printed figures beyond any real budget: kept as text, never computed with."""
    found = [(t, r, v) for t in tables for r in t.rows for v in r.values if v.amount is None and v.number is None and oversized(v.text)]
    if not found:
        return []
    t, r, v = found[0]
    return [
        Message("recognize.note.oversized", count=len(found), digits=MAX_AMOUNT_DIGITS, places=MAX_AMOUNT_PLACES, table=t.name,
                row=r.label or r.code, text=v.text[:40])
    ]


def recognize(layout: Layout) -> Disclosure:
    """Make a Disclosure of a Layout (from any reader)."""
    source = layout.source
    table_specs = specs()
    lines = layout.lines()
    toc_entries, toc = find_contents(lines)
    kind = detect_kind(lines, [])
    if kind is None:
        guessed = [table_specs.match_title(ln.text) for ln in lines if id(ln) not in toc and is_title_candidate(ln.text)]
        kind = detect_kind(lines, [s.kind for s in guessed if s is not None])
    segments = segment_blocks(layout, toc, kind)
    unread = _read_plain_tables(segments)

    units = Counter(u for u in (_segment_unit(s) for s in segments if s.spec is None or s.spec.layout != "form") if u)
    default_unit: Unit | None = units.most_common(1)[0][0] if units else None

    tables: list[Table] = []
    forms: list[PerformanceForm] = []
    form_lines: set[int] = set()
    for seg in segments:
        if seg.spec is not None and seg.spec.layout == "form":
            for b in seg.blocks:
                if isinstance(b, Line):
                    form_lines.add(id(b))
            title = title_of(seg.title.text) if seg.title else ""
            unit = _segment_unit(seg) or "万元"
            forms.extend(performance.read_forms(seg.spec.form, title, seg.blocks, source, unit))
            continue
        if seg.spec is None and not seg.local_title and seg.title is None:
            # a grid with no title that continues nothing: keep it, named by its first cells
            seg.local_title = _untitled_name(seg)
        table = build_table(seg, source, _segment_unit(seg) or default_unit)
        if id(seg) in unread:
            table.empty = False  # printed with data that could not be read: not an empty table
        tables.append(table)

    meta = detect_meta(lines, [(t.spec_id[:1] == "F" and "决算") or "预算" for t in tables if t.spec_id[:1] in "BF"])
    if meta.kind is None:
        meta.kind = kind
    meta.units = {t.name: t.unit for t in tables if t.unit}

    # a table's title and the lines between it and its grid (公开01表, 单位：万元) belong to the table
    table_lines = {id(ln) for seg in segments if seg.grids for ln in ([seg.title] if seg.title else []) + seg.lines}
    table_lines |= {id(ln) for seg in segments if id(seg) in unread for ln in ([seg.title] if seg.title else []) + unread[id(seg)]}
    table_lines |= {id(ln) for ln in lines if _ATTACHMENT_RE.match(squash(ln.text))}
    narrative_lines = [
        ln for ln in lines if id(ln) not in form_lines and id(ln) not in table_lines and not NOTE_RE.match(squash(ln.text))
    ]
    sections, facts = narrative.read_narrative(narrative_lines, source)

    disclosure = Disclosure(
        source=source,
        format=layout.format,
        meta=meta,
        sections=sections,
        tables=tables,
        facts=facts,
        performance=forms,
        contents=[
            _TOC_PREFIX_RE.sub("", toc_text(ln.text))
            for ln in toc_entries
            if table_specs.match_title(ln.text) is not None or table_specs.match_local_title(ln.text) is not None
        ],
        cover=[Paragraph(text=ln.text.strip(), location=Location.of(source, ln)) for ln in find_cover(lines, toc)],
        blank_pages=_blank_pages(layout),
        notes=list(layout.notes),
        unread_pages=list(layout.unread_pages),
    )
    disclosure.notes.extend(_oversized_note(tables))
    disclosure.absent = find_absent(disclosure, lines, layout)
    for seg in segments:
        if id(seg) in unread and seg.spec is not None:
            disclosure.notes.append(Message("recognize.note.plain_unread", table=f"{seg.spec.id} {seg.spec.name}"))
    verify(disclosure)  # structure is verified before any rule trusts it
    for page in layout.unread_pages:
        disclosure.notes.append(Message("recognize.note.image_page", page=page))
    return disclosure


def _blank_pages(layout: Layout) -> list[BlankPage]:
    """Blank pages inside the document: those after the last page that prints something are its end."""
    printed = [b.page for b in layout.blocks if b.page is not None]
    last = max(printed, default=0)
    return [
        BlankPage(location=Location(source=layout.source, page=page, bbox=box), ruled=ruled)
        for page, ruled, box in layout.blank_pages
        if page < last
    ]


def _read_plain_tables(segments: list[Segment]) -> dict[int, list[Line]]:
    """Standard tables printed as plain space-separated lines (no grid from the reader) become
    grids where recognize/plain.py can read them without guessing. Returns the segments that print
    rows but could not be read, with their table lines (up to the first sentence or note)."""
    unread: dict[int, list[Line]] = {}
    for seg in segments:
        if seg.spec is None or seg.grids or not seg.lines or seg.spec.layout == "form":
            continue
        found = plain.read_plain(seg.spec, seg.lines)
        if found is None:
            if plain.has_rows(seg.lines):
                end = next((i for i, ln in enumerate(seg.lines) if "。" in ln.text or NOTE_RE.match(squash(ln.text))), len(seg.lines))
                unread[id(seg)] = seg.lines[:end]
            continue
        grid, start, end = found
        before, rows, after = seg.lines[:start], seg.lines[start:end], seg.lines[end:]
        seg.grids = [grid]
        seg.lines = before + rows
        seg.notes = after
        seg.blocks = [*before, grid, *after]
    return unread


def _untitled_name(seg: Segment) -> str:
    first = next((c.text for row in seg.grids[0].rows for c in row if c.text.strip()), "")
    return f"未命名表格（{squash(first)[:20]}…）"


def find_absent(disclosure: Disclosure, lines: list[Line], layout: Layout) -> list[Absence]:
    """Required tables (and tables listed in the contents) that the document does not print."""
    table_specs = specs()
    kind = disclosure.meta.kind
    present = {t.spec_id for t in disclosure.tables} | {
        s.id for s in table_specs.tables if s.layout == "form" and any(f.kind == s.form for f in disclosure.performance)
    }
    listed: dict[str, str] = {}
    for title in disclosure.contents:
        spec = table_specs.match_title(title, kind)
        if spec is not None:
            listed.setdefault(spec.id, title)
    tables_part = next((ln for ln in lines if _TABLES_PART_RE.search(squash(ln.text)) and squash(ln.text).startswith("第")), None)
    no_grids = not layout.grids() and not disclosure.tables
    attached = parts.attached_line(lines) if no_grids else None
    absent: list[Absence] = []
    required = list(table_specs.required.get(kind or "", ()))
    for spec_id in required + [s for s in listed if s not in required]:
        if spec_id in present:
            continue
        spec = table_specs.by_id(spec_id)
        code: AbsenceCode
        if attached is not None:
            code, detail = "attached", squash(attached.text)
            loc = Location(source=disclosure.source, page=attached.page, line=attached.line)
        elif no_grids and tables_part is not None:
            code, detail = "images", squash(tables_part.text)
            loc = Location(source=disclosure.source, page=tables_part.page, line=tables_part.line)
        elif layout.unread_pages:
            code, detail = "unread", ", ".join(str(p) for p in layout.unread_pages)
            loc = Location(source=disclosure.source, page=layout.unread_pages[0])
        elif spec_id in listed:
            code, detail, loc = "listed", listed[spec_id], None
        else:
            code, detail, loc = "not_printed", "", None
        reason = Message(f"absence.{code}", detail=detail)
        absent.append(Absence(what=spec.name, reason=reason, location=loc, code=code, detail=detail))
    return absent
