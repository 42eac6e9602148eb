"""Reader for disclosures published as Word documents (.docx).

Word flows text into pages only when it prints, so a .docx has no page numbers: every Line and
Cell has page None and a line number that counts the body's paragraphs and table rows in order
(paragraph 12 is line 12; a table's rows take one number each, as the rows of a text conversion
do). A value is traced to that number and to its row and column in its table. Merged cells
(gridSpan across, vMerge down) come out as the PDF reader gives them: the text in the first
position with its spans, blanks where it reaches.

The document's XML is read directly (no python-docx needed): text runs (w:t), tabs and breaks;
deleted revisions and field codes are left out, as Word does not show them; the numbers of
automatically numbered paragraphs (一、 （二）) are printed as Word prints them (docx_numbering.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from cnbudget.errors import InputError
from cnbudget.i18n import t
from cnbudget.ingest.docx_numbering import Numbering
from cnbudget.ingest.office import Span, attr, join_wrapped, local, open_archive, parse_part, place
from cnbudget.limits import MAX_MARKUP_ELEMENTS
from cnbudget.model import Grid, Layout, Line
from cnbudget.safe_text import plain

_CONTAINERS = ("sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo")  # wrappers whose content is shown


def read_docx(path: str) -> Layout:
    """Read a .docx disclosure into a Layout of Lines and Grids, numbered by paragraph and table row."""
    p = Path(path)
    name = plain(p.name)
    with open_archive(p) as archive:
        root = parse_part(archive, "word/document.xml", name)
        numbering = Numbering.load(archive, name)
    body = next((e for e in root if local(e.tag) == "body"), None)
    walker = _Walker(name, numbering)
    if body is not None:
        walker.walk(body)
    layout = Layout(source=str(path), format="docx", blocks=walker.blocks)
    if not layout.blocks:
        raise InputError(t("formats.no_text", name=name))
    return layout


def paragraph_text(p: ET.Element) -> str:
    """The text Word shows for a paragraph: runs, tabs as tabs, line breaks as newlines."""
    out: list[str] = []
    for e in p.iter():
        tag = local(e.tag)
        if tag == "t":
            out.append(e.text or "")
        elif tag == "tab":
            out.append("\t")
        elif tag in ("br", "cr"):
            out.append("\n")
        elif tag == "noBreakHyphen":
            out.append("-")
    return "".join(out)


@dataclass
class _Walker:
    name: str
    numbering: Numbering
    blocks: list[Line | Grid] = field(default_factory=list)
    number: int = 0  # paragraphs and table rows so far
    cells: int = 0

    def walk(self, parent: ET.Element) -> None:
        for e in parent:
            tag = local(e.tag)
            if tag == "p":
                self.number += 1
                label = self.numbering.label(e)
                text = label + " ".join(part.strip() for part in paragraph_text(e).split("\n") if part.strip())
                if text:
                    self.blocks.append(Line(text, None, self.number))
            elif tag == "tbl":
                self.table(e)
            elif tag in _CONTAINERS:
                self.walk(e)

    def table(self, tbl: ET.Element) -> None:
        rows = [tr for tr in _children(tbl, "tr")]
        if not rows:
            return
        # Each row's cells with the grid column they start at, to find how far a vMerge reaches down.
        laid: list[list[tuple[int, ET.Element, int]]] = []  # (first grid column, tc, gridSpan)
        for tr in rows:
            column = _grid_skip(tr, "gridBefore")
            cells: list[tuple[int, ET.Element, int]] = []
            for tc in _children(tr, "tc"):
                span = max(1, _prop_int(tc, "gridSpan"))
                cells.append((column, tc, span))
                column += span
            laid.append(cells)
            self.cells += len(cells)
            if self.cells > MAX_MARKUP_ELEMENTS:
                raise InputError(t("formats.too_many", name=self.name, limit=f"{MAX_MARKUP_ELEMENTS:,}"))
        spans: list[list[Span]] = []
        lines: list[int] = []
        for r, cells in enumerate(laid):
            self.number += 1
            lines.append(self.number)
            row: list[Span] = [Span("") for _ in range(_grid_skip(rows[r], "gridBefore"))]
            for column, tc, span in cells:
                merge = _vmerge(tc)
                if merge == "continue" and r > 0 and any(c == column for c, _tc, _s in laid[r - 1]):
                    continue  # covered by the cell above: placement leaves this position blank
                rowspan = 1
                if merge == "restart":
                    for below in laid[r + 1 :]:
                        if not any(c == column and _vmerge(b) == "continue" for c, b, _s in below):
                            break
                        rowspan += 1
                row.append(Span(_cell_text(tc, self.numbering), colspan=span, rowspan=rowspan))
            spans.append(row)
        self.blocks.append(Grid(rows=place(spans, lines, None, self.name), page=None, line=lines[0]))


def _children(parent: ET.Element, name: str) -> list[ET.Element]:
    """Direct children called ``name``, looking through content-control and revision wrappers."""
    out: list[ET.Element] = []
    for e in parent:
        tag = local(e.tag)
        if tag == name:
            out.append(e)
        elif tag in _CONTAINERS:
            out.extend(_children(e, name))
    return out


def _prop(element: ET.Element, name: str) -> ET.Element | None:
    for props in element:
        if local(props.tag) in ("tcPr", "trPr"):
            for e in props:
                if local(e.tag) == name:
                    return e
    return None


def _prop_int(element: ET.Element, name: str) -> int:
    e = _prop(element, name)
    try:
        return int(attr(e, "val") or "1") if e is not None else 1
    except ValueError:
        return 1


def _grid_skip(tr: ET.Element, name: str) -> int:
    e = _prop(tr, name)
    try:
        return max(0, int(attr(e, "val") or "0")) if e is not None else 0
    except ValueError:
        return 0


def _vmerge(tc: ET.Element) -> str:
    """'restart' for the first cell of a vertical merge, 'continue' for one it covers, '' otherwise."""
    e = _prop(tc, "vMerge")
    if e is None:
        return ""
    return "restart" if attr(e, "val") == "restart" else "continue"


def _cell_text(tc: ET.Element, numbering: Numbering) -> str:
    """A cell's paragraphs (and any table nested in it) joined as the lines of one cell."""
    lines: list[str] = []
    for e in tc.iter():
        if local(e.tag) == "p":
            lines.extend((numbering.label(e) + paragraph_text(e)).split("\n"))
    return join_wrapped(lines)
