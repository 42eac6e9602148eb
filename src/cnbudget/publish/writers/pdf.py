"""Document → PDF (fpdf2) with embedded, subset CJK faces: serif body, sans (黑体 style) headings.

Tables are drawn as the official 公开01–09表 are: title, table number, 编制单位 and 金额单位 line,
a fully ruled grid with merged header cells, the header repeated on every page a table runs over,
never fewer than three rows carried alone onto a page, notes below. Wide tables go on landscape
pages. Running text is set in paragraphs with a two-character indent and the Chinese line-breaking
rules (no closing punctuation at a line start, no opening one at a line end), page numbers at the
foot. The 目录 gives each entry its page, and the PDF outline (bookmarks) lists parts, sections and
tables: both come from where the blocks actually landed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from fpdf import FPDF

from cnbudget.publish.document import Document, Heading, PageBreak, Paragraph, TableBlock, unnumbered
from cnbudget.publish.fonts import document_faces, render_config
from cnbudget.publish.printed import PCell, PrintedTable

FAMILY = "cjk"
_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z,.]*%?|.", re.S)
_CLOSING = set("，。；：、）)％%”’！？」》】〕〉』…—")
_OPENING = set("（(“‘《「【〔〈『")
FALLBACK = "cjkfb"
_PT = 0.3528  # mm per point


def _cfg() -> dict[str, Any]:
    return render_config()


def document_text(doc: Document) -> str:
    """Every character the PDF will print (what the font subset must hold)."""
    parts: list[str] = [doc.title, doc.subtitle, "目录", *doc.contents, *(c.text for c in doc.cover)]
    for b in doc.blocks:
        if isinstance(b, Heading | Paragraph):
            parts.append(b.text)
        elif isinstance(b, TableBlock):
            t = b.table
            parts += [t.title, t.number, t.unit, b.department, "编制单位：", "金额单位：", *t.notes]
            for row in t.header + t.body:
                parts.extend(c.text for c in row if c is not None)
    parts.append("0123456789-—第页")
    return "".join(parts)


@dataclass
class Landing:
    """Where a heading or table landed: outline level (0 part, 1 section or table), text, printed page number."""

    level: int
    text: str
    page: int


_ORDINAL = re.compile(r"^[一二三四五六七八九十百]+、")


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def contents_pages(contents: list[str], landings: list[Landing]) -> list[int | None]:
    """The printed page of each 目录 entry: a part is the next level-0 landing with its text; an
    indented entry ("　一、收入支出决算总表") the next level-1 landing of that part with its text, with
    or without the ordinal (tables are titled without one). None where nothing matched."""
    pages: list[int | None] = []
    start = 0
    for entry in contents:
        indented = entry.startswith((" ", "　"))
        want = _key(entry)
        found: int | None = None
        for i in range(start, len(landings)):
            landing = landings[i]
            if not indented and landing.level == 0 and _key(landing.text) in (want, _key(unnumbered(entry))):
                found = i
                break
            if indented and landing.level == 0 and i > start:
                break  # the next part: the section is not in this one
            if indented and landing.level == 1 and _key(landing.text) in (want, _ORDINAL.sub("", want), _key(unnumbered(entry))):
                found = i
                break
        if found is None:
            pages.append(None)
        else:
            pages.append(landings[found].page)
            start = found + (0 if not indented else 1)
    return pages


def _movable(line: str) -> bool:
    """Whether the last character of ``line`` may go down to the next line: the line keeps at least
    three, and the character is neither closing punctuation nor part of a number."""
    last = line[-1:]
    return len(line) > 3 and last not in _CLOSING and not re.match(r"[0-9A-Za-z,.%]", last)


class _PDF(FPDF):
    def footer(self) -> None:
        if self.page_no() <= 1:
            return
        self.set_y(-_cfg()["page"]["footer"])
        self.set_font(FAMILY, size=9)
        self.cell(0, 5, f"- {self.page_no() - 1} -", align="C")


class PdfRenderer:
    def __init__(self, doc: Document, font_dir: Path | None = None) -> None:
        cfg = _cfg()
        self.size: dict[str, float] = cfg["size"]
        self.lh: dict[str, float] = cfg["line_height"]
        text = document_text(doc)
        self.pdf = _PDF(format="A4", unit="mm")
        self.pdf.set_auto_page_break(auto=True, margin=cfg["page"]["margin_portrait"])
        faces = document_faces(text, font_dir)
        self.pdf.add_font(FAMILY, "", str(faces.body))
        self.pdf.add_font(FAMILY, "B", str(faces.heading))
        if faces.fallback is not None:
            self.pdf.add_font(FALLBACK, "", str(faces.fallback))
            self.pdf.set_fallback_fonts([FALLBACK], exact_match=False)
        self.landings: list[Landing] = []
        self.table_rows: list[tuple[str, list[int]]] = []  # per table: body rows on each page it covers
        self.pdf.set_title(doc.title)
        self.pdf.set_creator("cnbudget")
        self.doc = doc

    # --- pages -------------------------------------------------------------------------------

    def page(self, orientation: str = "P") -> None:
        margin = _cfg()["page"]["margin_portrait" if orientation == "P" else "margin_landscape"]
        self.pdf.set_margins(margin, margin, margin)
        self.pdf.set_auto_page_break(auto=True, margin=margin)
        self.pdf.add_page(orientation=orientation)

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(FAMILY, "B" if bold else "", size=size)

    def mark(self, level: int, text: str) -> None:
        """A bookmark at the current page, and a landing the 目录 takes its page number from."""
        self.landings.append(Landing(level, text, self.pdf.page_no() - 1))
        self.pdf.start_section(text, level=level, strict=False)

    def render(self, path: Path) -> None:
        self.cover()
        fresh = self.contents()
        for b in self.doc.blocks:
            if isinstance(b, PageBreak):
                self.page("P")
                fresh = True
            elif isinstance(b, Heading):
                if b.level == 1 and not fresh:
                    self.page("P")
                elif b.level > 1 and not fresh:
                    self.keep_with_next()
                fresh = False
                if b.level <= 2:
                    self.mark(b.level - 1, b.text)
                self.heading(b)
            elif isinstance(b, Paragraph):
                fresh = False
                self.paragraph(b.text)
            elif isinstance(b, TableBlock):
                room = self.pdf.h - self.pdf.b_margin - self.pdf.get_y()
                if b.new_page or b.table.orientation != self.pdf.cur_orientation.value or room < self.pdf.h / 3:
                    self.page(b.table.orientation)
                else:
                    self.pdf.ln(8)
                if b.table.title:
                    self.mark(1, b.table.title)
                self.table(b.table, b.department)
                fresh = False
        self.pdf.output(str(path))

    def cover(self) -> None:
        self.page("P")
        pdf = self.pdf
        pdf.set_y(90)
        usable = pdf.w - pdf.l_margin - pdf.r_margin
        lines = [(self.doc.title, self.size["cover"], True, 12), (self.doc.subtitle, self.size["cover_sub"], False, 0)]
        if self.doc.cover:  # a re-printed source's own cover lines
            after = [c.sub for c in self.doc.cover[1:]] + [False]  # a wide gap before the first smaller line, as the originals set it
            lines = [
                (c.text, self.size["cover_sub" if c.sub else "cover"], not c.sub, 30 if nxt and not c.sub else 2)
                for c, nxt in zip(self.doc.cover, after, strict=True)
            ]
        for text, size, bold, gap in lines:
            self.font(size, bold=bold)
            for line in self._wrap(text, usable):
                pdf.cell(0, size * _PT * 1.6, line, align="C")
                pdf.ln(size * _PT * 1.6)
            pdf.ln(gap)

    _TOC_LINE = 7.5

    def contents(self) -> bool:
        """Room for the 目录, filled in at the end when every page number is known; True when it
        leaves a fresh page open (the placeholder breaks to a new page after its own)."""
        if not self.doc.contents:
            return False
        self.page("P")
        usable = self.pdf.h - 2 * _cfg()["page"]["margin_portrait"] - 16
        pages = math.ceil(len(self.doc.contents) / int(usable // self._TOC_LINE))
        self.pdf.insert_toc_placeholder(self._write_contents, pages=pages, reset_page_indices=False)
        return True

    def _write_contents(self, pdf: FPDF, _outline: object) -> None:
        """目录 entries with dotted leaders and the page (as the footer numbers it) each one starts on."""
        pdf.set_x(pdf.l_margin)
        self.font(self.size["part"], bold=True)
        pdf.cell(0, 12, "目录", align="C")
        pdf.ln(16)
        numbers = contents_pages(self.doc.contents, self.landings)
        for entry, number in zip(self.doc.contents, numbers, strict=True):
            indent = entry.startswith((" ", "　"))
            self.font(self.size["body"], bold=not indent)
            left = pdf.l_margin + (10 if indent else 0)
            pdf.set_x(left)
            text = entry.strip()
            page = "" if number is None else str(number)
            width = pdf.w - pdf.r_margin - left
            room = width - pdf.get_string_width(f"{text} ") - pdf.get_string_width(f" {page}") - 1
            dots = "." * max(0, int(room / max(pdf.get_string_width("."), 0.1))) if page else ""
            y = pdf.get_y()
            pdf.cell(width, self._TOC_LINE, f"{text} {dots}".rstrip())
            if page:
                pdf.set_xy(left, y)
                pdf.cell(width, self._TOC_LINE, page, align="R")
            pdf.set_xy(pdf.l_margin, y + self._TOC_LINE)

    def keep_with_next(self) -> None:
        """A heading never ends a page: it needs room for itself and two lines of what follows."""
        body = self.size["body"] * _PT * self.lh["body"]
        if self.pdf.get_y() + 4 * body > self.pdf.h - self.pdf.b_margin:
            self.page("P")

    def heading(self, h: Heading) -> None:
        pdf = self.pdf
        if h.level == 1:
            self.font(self.size["part"], bold=True)
            pdf.ln(4)
            pdf.multi_cell(0, 10, h.text, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
            return
        size = self.size["heading"] if h.level == 2 else self.size["subheading"]
        self.font(size, bold=True)
        pdf.ln(2)
        pdf.multi_cell(0, size * _PT * self.lh["body"], h.text, align="L", new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, text: str) -> None:
        """Justified-left running text, first line indented two characters, numbers never split."""
        size = self.size["body"]
        self.font(size)
        pdf = self.pdf
        height = size * _PT * self.lh["body"]
        indent = pdf.get_string_width("　　")
        usable = pdf.w - pdf.l_margin - pdf.r_margin
        lines = self._wrap(text, usable, first_indent=indent)
        fit = int((pdf.h - pdf.b_margin - pdf.get_y()) // height)  # lines left on this page
        if 0 < fit < len(lines) and (fit == 1 or len(lines) - fit == 1):
            # neither a paragraph's first line alone at a page foot nor its last alone at a page head
            fit = 0 if fit == 1 or len(lines) == 2 else fit - 1
        for k, line in enumerate(lines):
            if pdf.get_y() + height > pdf.h - pdf.b_margin or (k == fit and 0 < fit < len(lines)) or (k == 0 and fit == 0):
                self.page("P")
                self.font(size)
            pdf.set_x(pdf.l_margin + (indent if k == 0 else 0))
            pdf.cell(0, height, line)
            pdf.ln(height)

    # --- tables ------------------------------------------------------------------------------

    def _wrap(self, text: str, width: float, first_indent: float = 0.0, hang: bool = True) -> list[str]:
        """Lines of at most ``width``: a number (digits, separators, %) is never split, and closing
        punctuation may hang past the edge rather than start a line (``hang``; in a table cell,
        where it would cross the rule, the character before it moves down with it instead).
        A newline in the text starts a new line."""
        if not text:
            return [""]
        lines: list[str] = []
        room = width - first_indent
        for paragraph in text.split("\n"):
            start = len(lines)
            current: list[str] = []
            for token in _TOKEN.findall(paragraph):
                if current and self.pdf.get_string_width("".join(current) + token) > room:
                    if token in _CLOSING and hang:
                        current.append(token)
                        continue
                    carried = [current.pop()] if token in _CLOSING and len(current) > 1 else []
                    while len(current) > 1 and current[-1] in _OPENING:  # an opening mark goes down with what it opens
                        carried.insert(0, current.pop())
                    lines.append("".join(current))
                    current = [*carried, token]
                    room = width
                else:
                    current.append(token)
            if len(current) == 1 and len(current[0]) == 1 and len(lines) > start and _movable(lines[-1]):
                # a lone character never ends a paragraph on a line of its own: the one before comes down with it
                current.insert(0, lines[-1][-1])
                lines[-1] = lines[-1][:-1]
            lines.append("".join(current))
            room = width
        return lines

    def _cell_width(self, w: float) -> float:
        """The width text may take in a cell ``w`` wide: less the gap kept each side and fpdf's cell margin."""
        return w - 1.2 - 2 * self.pdf.c_margin

    def table(self, t: PrintedTable, department: str) -> None:
        pdf = self.pdf
        if t.title:
            self.font(self.size["table_title"], bold=True)
            pdf.cell(0, 9, t.title, align="C")
            pdf.ln(9)
        self.font(self.size["table"])
        if t.number:
            pdf.cell(0, 5, t.number, align="R")
            pdf.ln(5)
        if department or t.unit:
            y = pdf.get_y()
            pdf.cell(0, 5, f"编制单位：{department}" if department else "", align="L")
            pdf.set_xy(pdf.l_margin, y)
            pdf.cell(0, 5, f"金额单位：{t.unit}" if t.unit else "", align="R")
            pdf.ln(6)
        size = self.size["table"] if len(t.widths) <= 10 else self.size["table_small"]
        self.font(size)
        line = size * _PT * self.lh["table"]
        usable = pdf.w - pdf.l_margin - pdf.r_margin
        scale = usable / sum(t.widths)
        widths = [w * scale for w in t.widths]
        header_heights = self._row_heights(t.header, widths, line)
        self._rows(t.header, widths, header_heights, line, header=True)
        lefts = [pdf.l_margin + sum(widths[:c]) for c in range(len(widths))]
        above: dict[int, PCell] = {}  # column -> the cell a merge_up cell below continues
        open_cells: set[int] = set()  # columns whose cell was left open at the bottom
        heights = [self._row_heights([row], widths, line)[0] for row in t.body]
        limit = pdf.h - pdf.b_margin
        breaks = page_breaks(heights, pdf.get_y(), pdf.t_margin + sum(header_heights), limit)
        cuts = [0, *sorted(breaks), len(heights)]
        self.table_rows.append((t.title, [b - a for a, b in pairwise(cuts)]))
        for k, row in enumerate(t.body):
            h = heights[k]
            if k in breaks:
                y = pdf.get_y()
                for c in open_cells:  # close what the row above left open before the break
                    cell = above[c]
                    pdf.line(lefts[c], y, lefts[c] + sum(widths[c : c + cell.colspan]), y)
                self.page(t.orientation)
                self.font(size)
                self._rows(t.header, widths, header_heights, line, header=True)
                # a merged cell continued on a new page repeats its text there
                row = [
                    PCell(above[c].text, c_.colspan, 1, above[c].align) if c_ is not None and c_.merge_up else c_
                    for c, c_ in enumerate(row)
                ]
                h = self._row_heights([row], widths, line)[0]
            following = t.body[k + 1] if k + 1 < len(t.body) else []
            open_cells = {c for c, cell in enumerate(following) if cell is not None and cell.merge_up}
            self._rows([row], widths, [h], line, header=False, open_below=open_cells)
            above.update({c: cell for c, cell in enumerate(row) if cell is not None and not cell.merge_up})
        self.font(self.size["note"])
        pdf.ln(2)
        for note in t.notes:
            pdf.multi_cell(0, self.size["note"] * _PT * 1.6, note, new_x="LMARGIN", new_y="NEXT")

    def _row_heights(self, rows: list[list[PCell | None]], widths: list[float], line: float) -> list[float]:
        pad = 1.6
        heights = [line + pad for _ in rows]
        spans: list[tuple[int, int, float]] = []
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                w = sum(widths[c : c + cell.colspan])
                lines = 1 if self._shrunk(cell, w) else len(self._wrap(cell.text, self._cell_width(w), hang=False))
                need = lines * line + pad
                if cell.rowspan == 1:
                    heights[r] = max(heights[r], need)
                else:
                    spans.append((r, cell.rowspan, need))
        for r, span, need in spans:
            have = sum(heights[r : r + span])
            if need > have:
                heights[r + span - 1] += need - have
        return heights

    def _rows(
        self,
        rows: list[list[PCell | None]],
        widths: list[float],
        heights: list[float],
        line: float,
        header: bool,
        open_below: set[int] | None = None,
    ) -> None:
        """Rows of ruled cells. A ``merge_up`` cell has no rule above it, and the columns in
        ``open_below`` (cells the next row continues) none below: merged cells, row by row."""
        pdf = self.pdf
        top = pdf.get_y()
        lefts = [pdf.l_margin + sum(widths[:c]) for c in range(len(widths))]
        for r, row in enumerate(rows):
            y = top + sum(heights[:r])
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                w = sum(widths[c : c + cell.colspan])
                h = sum(heights[r : r + cell.rowspan])
                x = lefts[c]
                pdf.line(x, y, x, y + h)
                pdf.line(x + w, y, x + w, y + h)
                if not cell.merge_up:
                    pdf.line(x, y, x + w, y)
                if not (open_below and c in open_below and r == len(rows) - 1):
                    pdf.line(x, y + h, x + w, y + h)
                shrunk = self._shrunk(cell, w)
                lines = [cell.text] if shrunk else self._wrap(cell.text, self._cell_width(w), hang=False)
                ty = y + (h - len(lines) * line) / 2
                align = {"left": "L", "right": "R", "center": "C"}[cell.align]
                size = pdf.font_size_pt
                if shrunk:
                    pdf.set_font_size(shrunk)
                for k, text in enumerate(lines):
                    pdf.set_xy(lefts[c] + 0.6, ty + k * line)
                    pdf.cell(w - 1.2, line, text, align=align)
                if shrunk:
                    pdf.set_font_size(size)
        pdf.set_xy(pdf.l_margin, top + sum(heights))

    def _shrunk(self, cell: PCell, w: float) -> float | None:
        """A smaller font size for a figure too wide for its cell (a figure is never broken over two
        lines, where a reader would take its pieces for two numbers); None when it fits as it is."""
        if cell.align != "right" or not cell.text or " " in cell.text:
            return None
        room = self._cell_width(w)
        wide = self.pdf.get_string_width(cell.text)
        if wide <= room:
            return None
        return max(MIN_FIGURE_SIZE, math.floor(self.pdf.font_size_pt * room / wide * 10) / 10)


WIDOW = 3  # rows a table never carries alone onto a new page
MIN_FIGURE_SIZE = 5.0  # pt: a figure is shrunk to fit its cell, never below this


def page_breaks(heights: list[float], first_top: float, page_top: float, limit: float) -> set[int]:
    """The body rows that start a new page: as many rows as fit on each page, then, if the last page
    would hold fewer than WIDOW rows, the break moved back so it holds WIDOW (or all rows, when the
    table is that short and the page before keeps at least one)."""
    breaks: list[int] = []
    y = first_top
    for k, h in enumerate(heights):
        if y + h > limit and k > (breaks[-1] if breaks else 0):
            breaks.append(k)
            y = page_top
        y += h
    if breaks:
        last = breaks[-1]
        previous = breaks[-2] if len(breaks) > 1 else 0
        if len(heights) - last < WIDOW:
            breaks[-1] = max(previous + 1, len(heights) - WIDOW)
    return set(breaks)


def render_pdf(doc: Document, path: Path, font_dir: Path | None = None) -> None:
    PdfRenderer(doc, font_dir).render(path)
