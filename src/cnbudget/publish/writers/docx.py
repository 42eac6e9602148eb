"""Document → docx (python-docx): headings, indented paragraphs, ruled tables, landscape sections."""

from __future__ import annotations

from pathlib import Path

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from cnbudget.publish.document import Block, Document, Heading, PageBreak, Paragraph, TableBlock, unnumbered
from cnbudget.publish.fonts import render_config
from cnbudget.publish.printed import PrintedTable, merged_runs

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}

CORE_PROPERTY_CHARS = 255  # the docx format holds no longer document property (a 200-character department name + title)


def _fonts() -> dict[str, str]:
    f = render_config()["office_fonts"]
    assert isinstance(f, dict)
    return f


def _style(run: Run, east_asia: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = _fonts()["latin"]
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)


class _Writer:
    def __init__(self) -> None:
        self.doc = DocxDocument()
        self.orientation = "P"
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.2))

    def section(self, orientation: str) -> None:
        s = self.doc.add_section(WD_SECTION.NEW_PAGE)
        landscape = orientation == "L"
        s.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        s.page_width, s.page_height = (Cm(29.7), Cm(21.0)) if landscape else (Cm(21.0), Cm(29.7))
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(s, side, Cm(1.6 if landscape else 2.2))
        self.orientation = orientation

    def para(self, text: str, *, font: str, size: float, bold: bool = False, align: str = "left", indent: bool = False) -> DocxParagraph:
        p = self.doc.add_paragraph()
        p.alignment = _ALIGN[align]
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        p.paragraph_format.line_spacing = 1.5
        _style(p.add_run(text), font, size, bold)
        return p

    def table(self, t: PrintedTable, department: str, bookmark: str = "") -> None:
        f = _fonts()
        title = self.para(t.title, font=f["heading"], size=15, bold=True, align="center")
        if bookmark:
            _bookmark(title, bookmark)
        if t.number:
            self.para(t.number, font=f["table"], size=9, align="right")
        line = f"编制单位：{department}" if department else ""
        self.para(f"{line}　　　　金额单位：{t.unit}".strip(), font=f["table"], size=9, align="right")
        rows = t.header + t.body
        width = len(t.widths)
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        usable = 25.5 if t.orientation == "L" else 16.6
        total = sum(t.widths)
        widths = [Cm(usable * w / total) for w in t.widths]
        grid = [list(row.cells) for row in table.rows]  # fetched once: table.cell() rebuilds the grid per call
        runs = {(r + len(t.header), c): n for (r, c), n in merged_runs(t.body).items()}
        for r, cells in enumerate(rows):
            for c, pc in enumerate(cells):
                grid[r][c].width = widths[c]
                if pc is None or pc.merge_up:
                    continue
                target = grid[r][c]
                rowspan = runs.get((r, c), pc.rowspan)
                if pc.colspan > 1 or rowspan > 1:
                    target = target.merge(grid[r + rowspan - 1][c + pc.colspan - 1])
                para = target.paragraphs[0]
                para.alignment = _ALIGN[pc.align]
                _style(para.add_run(pc.text), f["table"], 8 if width > 10 else 9, bold=r < len(t.header))
        for note in t.notes:
            self.para(note, font=f["table"], size=9)


def _bookmark(p: DocxParagraph, name: str) -> None:
    """A bookmark around the paragraph's text: the target of a 目录 entry's page number."""
    n = str(int(name.removeprefix("_Toc")))
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), n)
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), n)
    p._p.insert(1 if p._p.pPr is not None else 0, start)
    p._p.append(end)


def _page_ref(p: DocxParagraph, name: str, font: str, size: float) -> None:
    """A PAGEREF field to ``name``: Word fills it on opening (updateFields), LibreOffice on layout."""
    for kind, text in (("begin", ""), ("instr", f" PAGEREF {name} \\h "), ("separate", ""), ("text", "1"), ("end", "")):
        run = p.add_run()
        _style(run, font, size)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            run._r.append(el)
        elif kind == "text":
            run.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)


def _targets(doc: Document) -> dict[int, int]:
    """目录 entry index → block index: the heading or table the entry names (first not yet taken)."""
    out: dict[int, int] = {}
    taken: set[int] = set()
    for i, entry in enumerate(doc.contents):
        text = entry.strip("　 ")
        for k, b in enumerate(doc.blocks):
            if k in taken:
                continue
            if (isinstance(b, Heading) and b.text.strip("　 ") in (text, unnumbered(text))) or (
                isinstance(b, TableBlock) and b.table.title and unnumbered(text) == b.table.title
            ):
                out[i] = k
                taken.add(k)
                break
    return out


def _entry(w: _Writer, text: str, bookmark: str | None, font: str) -> None:
    p = w.para(text, font=font, size=12)
    if bookmark is None:
        return
    usable = Cm(16.6)
    p.paragraph_format.tab_stops.add_tab_stop(usable, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    _style(p.add_run("\t"), font, 12)
    _page_ref(p, bookmark, font, 12)


def render_docx(doc: Document, path: Path) -> None:
    w = _Writer()
    f = _fonts()
    if doc.cover:  # a re-printed source's own cover lines
        for line in doc.cover:
            w.para(line.text, font=f["heading"], size=16 if line.sub else 24, bold=not line.sub, align="center")
    else:
        w.para(doc.title, font=f["heading"], size=24, bold=True, align="center")
        w.para(doc.subtitle, font=f["heading"], size=16, align="center")
    targets = _targets(doc)
    marks = {k: f"_Toc{k:05d}" for k in targets.values()}
    if doc.contents:
        w.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        w.para("目录", font=f["heading"], size=16, bold=True, align="center")
        for i, entry in enumerate(doc.contents):
            _entry(w, entry, marks[targets[i]] if i in targets else None, f["body"])
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        w.doc.settings.element.append(update)
    for k, b in enumerate(doc.blocks):
        _block(w, b, marks.get(k, ""))
    w.doc.core_properties.title = doc.title[:CORE_PROPERTY_CHARS]  # the title page prints it whole
    w.doc.save(str(path))


def _block(w: _Writer, b: Block, bookmark: str) -> None:
    f = _fonts()
    if isinstance(b, TableBlock):
        w.section(b.table.orientation)
        w.table(b.table, b.department, bookmark)
    elif isinstance(b, Heading):
        if b.level == 1:
            w.section("P")
            p = w.para(b.text, font=f["heading"], size=16, bold=True, align="center")
        else:
            if w.orientation != "P":
                w.section("P")
            p = w.para(b.text, font=f["heading"], size=14 if b.level == 2 else 12, bold=True)
        if bookmark:
            _bookmark(p, bookmark)
    elif isinstance(b, Paragraph):
        w.para(b.text, font=f["body"], size=12, indent=True)
    elif isinstance(b, PageBreak):
        w.section("P")
