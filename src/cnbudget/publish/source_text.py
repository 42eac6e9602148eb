"""A document's own text, re-printed: its section tree and paragraphs (``Section.paragraphs``).

A Disclosure read from another document carries what that document printed: the 概况, the
情况说明 with its reasons for changes, the 名词解释. ``build --from`` prints that text rather than
a 情况说明 regenerated from the tables (which would lose everything the tables do not hold).

* The source's top-level parts are matched to the standard parts by their titles (…概况 →
  overview, …说明 → explanation, 名词解释 → glossary, …表 → tables, 附件 → forms). The tables and
  forms are printed from the model as always (the text the reader left under those headings is
  table residue); the other parts print the source's own headings and paragraphs.
* Inside the 情况说明, headings that are the standard ones (``specs/publish_narrative.json``,
  compared without whitespace, quotes, 的 and a trailing 说明) are put in the standard order, in
  the places standard headings held; the others stay where they were. When that changes the
  order, the second-level headings are renumbered 一、二、… in their new order.
* A document without part headings (its 一、二、 headings at the top) has its 情况说明 recognised
  by its headings: a run of top-level sections any of which is a standard one.
* A part the source does not print (no 名词解释, say) falls back to the standard writer; a part
  no standard part matches is printed as it was, after the part it followed.
* Not printed: figure captions ('图2：本年收入决算结构图'; the figures are not re-drawn), unit
  lines and table codes ('单位：万元', '公开04表', '预算10表'), and other table residue the
  reader left in a section: paragraphs printed inside a table's or form's span (its title line
  to its last row), and sentence-less paragraphs that are, or start with, what the reader takes
  for a table title (the titles of a part run together; printed, they would come back as a
  second, empty table or form).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cnbudget.model import Disclosure, Location, Section, Table
from cnbudget.model import Paragraph as SourceParagraph
from cnbudget.publish.compose import chinese_ordinal
from cnbudget.publish.document import Block, Heading, Paragraph, TableBlock
from cnbudget.publish.local_tables import local_printed
from cnbudget.recognize.tables import is_title_candidate
from cnbudget.specs import normalise, specs

# lines that stand alone next to a figure or table: captions, unit lines, table codes
_STANDALONE_RE = re.compile(r"^(?:图\s*\d+\s*[：:]|(?:金额)?单位\s*[：:]|(?:公开|预算)\s*\d+\s*表$)")
_PRINTED_WRITERS = ("overview", "explanation", "glossary")  # parts whose text comes from the source


Position = tuple[int, int]


def _position(loc: Location) -> Position | None:
    return None if loc.line is None else (loc.page or 0, loc.line)


@dataclass
class SourceText:
    """The source's top-level sections by the standard part they print (writer name), and the
    sections no standard part matches, each with the writer of the part it followed ('' = none).
    ``spans``: (first, last) position of every table and form; ``kind``: 预算 / 决算."""

    parts: dict[str, Section] = field(default_factory=dict)
    extras: list[tuple[str, Section]] = field(default_factory=list)
    spans: list[tuple[Position, Position]] = field(default_factory=list)
    kind: str | None = None
    starts: list[Position] = field(default_factory=list)  # where each section starts, in order
    locals: list[tuple[Position, Table]] = field(default_factory=list)  # tables outside the standard set
    placed: set[int] = field(default_factory=set)  # ids of the local tables already printed
    not_printed: list[str] = field(default_factory=list)  # titles of local tables local_printed refused
    tops: list[Section] = field(default_factory=list)  # the document's top-level sections, in order
    order: list[tuple[str, Section]] = field(default_factory=list)  # every part and extra with its writer, in the source's order

    def tables_in(self, s: Section) -> list[TableBlock]:
        """The local tables printed between the start of ``s`` and the next section's start, once."""
        at = _position(s.location)
        if at is None:
            return []
        following = [p for p in self.starts if p > at]
        end = min(following) if following else None
        out = []
        for p, t in self.locals:
            if id(t) not in self.placed and at <= p and (end is None or p < end):
                self.placed.add(id(t))
                out.extend(self._block(t, new_page=False))
        return out

    def _block(self, t: Table, new_page: bool) -> list[TableBlock]:
        printed = local_printed(t)
        if printed is None:
            self.not_printed.append(t.title)
            return []
        return [TableBlock(printed, new_page=new_page)]

    def unplaced(self) -> list[TableBlock]:
        """Local tables no printed section holds (they stood among the tables): printed with them."""
        out = []
        for _p, t in self.locals:
            if id(t) not in self.placed and not self._held(_p):
                self.placed.add(id(t))
                out.extend(self._block(t, new_page=True))
        return out

    def _held(self, at: Position) -> bool:
        """Whether the top-level section the position falls in has its text re-printed (and so
        prints the table where it stood)."""
        container = None
        for top in self.tops:
            p = _position(top.location)
            if p is not None and p <= at:
                container = top
        if container is None:
            return False
        printed = [self.parts[w] for w in _PRINTED_WRITERS if w in self.parts] + [x for _w, x in self.extras]
        return id(container) in {id(x) for x in _flat(printed)}

    def printable(self, p: SourceParagraph) -> bool:
        """Not a figure caption, not table residue (see the module's notes)."""
        text = p.text.strip()
        if not text or _STANDALONE_RE.match(text):
            return False
        at = _position(p.location)
        if at is not None and any(first <= at <= last for first, last in self.spans):
            return False
        if "。" in text:
            return True
        first = text[: text.find("表") + 1] if "表" in text else text  # titles run together: '…整体绩效目标表…项目绩效目标表…'
        return not any(is_title_candidate(t) and (specs().match_title(t, self.kind) or specs().match_local_title(t)) for t in (text, first))

    def printed(self, writer: str) -> Section | None:
        """The source's section for a part whose text is re-printed (overview, explanation, glossary)."""
        return self.parts.get(writer) if writer in _PRINTED_WRITERS else None

    def after(self, writer: str) -> list[Section]:
        return [s for w, s in self.extras if w == writer]


def has_text(sections: list[Section]) -> bool:
    """Whether any section carries paragraphs (a Disclosure read from a document does)."""
    return any(s.paragraphs or has_text(s.children) for s in sections)


def _title_key(title: str) -> str:
    return normalise(title).replace("的", "").removesuffix("说明")


def _standard_index(title: str, standard: list[str]) -> int | None:
    k = _title_key(title)
    return next((i for i, t in enumerate(standard) if _title_key(t) == k), None)


def _part_writer(s: Section) -> str:
    t = normalise(s.title)
    if "名词解释" in t:
        return "glossary"
    if t.startswith(("附件", "附表")):
        return "forms"
    if t.endswith("说明"):
        return "explanation"
    if t.endswith("表"):
        return "tables"
    if t.endswith("概况"):
        return "overview"
    return ""


def source_text(d: Disclosure, standard: list[str]) -> SourceText | None:
    """The source's text by standard part; None when the Disclosure has no paragraphs (it was not
    read from a document, or was written before sections carried paragraphs).

    ``standard``: the standard 情况说明 headings of the document's kind, in order."""
    if not has_text(d.sections):
        return None
    out = SourceText(spans=_spans(d), kind=d.meta.kind)
    out.starts = sorted(p for s in _flat(d.sections) if (p := _position(s.location)) is not None)
    out.tops = list(d.sections)
    out.locals = [(p, t) for t in d.tables if t.spec_id == "LOCAL" and t.location.source == d.source and (p := _position(t.location))]
    last = ""
    run: list[Section] = []  # top-level sections below level 1 (a document without part headings)

    def place(s: Section, writer: str) -> None:
        nonlocal last
        if writer and writer not in out.parts:
            out.parts[writer] = s
            last = writer
            out.order.append((writer, s))
        else:
            out.extras.append((last, s))
            out.order.append(("", s))

    def flush_run() -> None:
        if not run:
            return
        if "explanation" not in out.parts and any(_standard_index(s.title, standard) is not None for s in run):
            first = run[0]
            place(Section(number="", title="", level=1, location=first.location, children=list(run)), "explanation")
        else:
            for s in run:
                place(s, "")
        run.clear()

    for s in d.sections:
        if s.level > 1:
            run.append(s)
            continue
        flush_run()
        place(s, _part_writer(s))
    flush_run()
    return out


def _flat(sections: list[Section]) -> list[Section]:
    out = []
    for s in sections:
        out.append(s)
        out.extend(_flat(s.children))
    return out


def _spans(d: Disclosure) -> list[tuple[Position, Position]]:
    """(title line, last row) of every table and form the Disclosure locates (same source only)."""
    spans = []
    groups = [[t.location, *(r.location for r in t.rows)] for t in d.tables]
    groups += [[f.location, *(i.location for i in f.indicators)] for f in d.performance]
    for locations in groups:
        positions = [p for loc in locations if loc.source == d.source and (p := _position(loc)) is not None]
        if positions and _position(locations[0]) is not None:
            spans.append((positions[0], max(positions)))
    return spans


def _in_standard_order(children: list[Section], standard: list[str]) -> list[Section]:
    """Standard headings in the standard order, in the places standard headings held; the others
    where they were. Renumbered 一、二、… when the order changed."""
    index = [_standard_index(c.title, standard) for c in children]
    slots = [i for i, k in enumerate(index) if k is not None]
    ranked = sorted(slots, key=lambda i: index[i] or 0)
    order = list(range(len(children)))
    for slot, i in zip(slots, ranked, strict=True):
        order[slot] = i
    if order == list(range(len(children))):
        return children
    return [
        children[i].model_copy(update={"number": chinese_ordinal(n)}) if children[i].level == 2 else children[i]
        for n, i in enumerate(order, start=1)
    ]


def heading(s: Section) -> Heading:
    if s.level <= 1:
        return Heading(1, s.number, s.title)
    if s.level == 2:
        return Heading(2, s.number, s.title)
    if s.level == 3:
        return Heading(3, s.number, s.title)
    return Heading(3, f"{s.number}、", s.title)  # 1、 headings: printed in the third-level style


def _paragraphs(s: Section, text: SourceText) -> list[Block]:
    return [Paragraph(p.text.strip()) for p in s.paragraphs if text.printable(p)]


def section_blocks(s: Section, text: SourceText) -> list[Block]:
    """A section as printed: its heading, its paragraphs, its children."""
    blocks: list[Block] = [heading(s), *_paragraphs(s, text), *text.tables_in(s)]
    for c in s.children:
        blocks.extend(section_blocks(c, text))
    return blocks


def part_body(part: Section, text: SourceText, standard: list[str] | None = None) -> tuple[list[Block], list[str]]:
    """The body of a part (its heading is the caller's) and its 目录 entries (the second level).
    ``standard``: the standard headings to order the children by (the 情况说明)."""
    blocks = [*_paragraphs(part, text), *text.tables_in(part)]
    children = _in_standard_order(part.children, standard) if standard else part.children
    contents = []
    for c in children:
        blocks.extend(section_blocks(c, text))
        if c.level == 2:  # the 目录 lists the second level (the headings it can give a page)
            contents.append(f"　{heading(c).text}")
    return blocks, contents
