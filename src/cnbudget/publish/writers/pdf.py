"""Document → PDF (fpdf2) with an embedded, subset CJK font.

Tables are drawn as the official 公开01–09表 are: title, table number, 编制单位 and 金额单位 line,
a fully ruled grid with merged header cells, the header repeated on every page a table runs over,
notes below. Wide tables go on landscape pages. Running text is set in paragraphs with a two-
character indent, page numbers at the foot.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fpdf import FPDF

from cnbudget.publish.document import Document, Heading, PageBreak, Paragraph, TableBlock
from cnbudget.publish.fonts import render_config, subset_fonts
from cnbudget.publish.printed import PCell, PrintedTable

FAMILY = "cjk"
_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z,.]*%?|.", re.S)
_CLOSING = set("，。；：、）)％%”’！？」》")
_PT = 0.3528  # mm per point


def _cfg() -> dict[str, Any]:
    return render_config()


def document_text(doc: Document) -> str:
    """Every character the PDF will print (what the font subset must hold)."""
    parts: list[str] = [doc.title, doc.subtitle, "目录", *doc.contents]
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
        weights = cfg["weights"]
        regular, bold = subset_fonts(text, (weights["regular"], weights["bold"]), font_dir)
        self.pdf.add_font(FAMILY, "", str(regular))
        self.pdf.add_font(FAMILY, "B", str(bold))
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

    def render(self, path: Path) -> None:
        self.cover()
        self.contents()
        fresh = False
        for b in self.doc.blocks:
            if isinstance(b, PageBreak):
                self.page("P")
                fresh = True
            elif isinstance(b, Heading):
                if b.level == 1 and not fresh:
                    self.page("P")
                fresh = False
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
                self.table(b.table, b.department)
                fresh = False
        self.pdf.output(str(path))

    def cover(self) -> None:
        self.page("P")
        pdf = self.pdf
        pdf.set_y(90)
        self.font(self.size["cover"], bold=True)
        pdf.multi_cell(0, self.size["cover"] * _PT * 1.6, self.doc.title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(12)
        self.font(self.size["cover_sub"])
        pdf.multi_cell(0, self.size["cover_sub"] * _PT * 1.6, self.doc.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")

    def contents(self) -> None:
        if not self.doc.contents:
            return
        self.page("P")
        self.font(self.size["part"], bold=True)
        self.pdf.cell(0, 12, "目录", align="C")
        self.pdf.ln(16)
        for entry in self.doc.contents:
            indent = entry.startswith((" ", "　"))
            self.font(self.size["body"], bold=not indent)
            self.pdf.set_x(self.pdf.l_margin + (10 if indent else 0))
            self.pdf.cell(0, 7.5, entry.strip())
            self.pdf.ln(7.5)

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
        for k, line in enumerate(self._wrap(text, usable, first_indent=indent)):
            if pdf.get_y() + height > pdf.h - pdf.b_margin:
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
            current: list[str] = []
            for token in _TOKEN.findall(paragraph):
                if current and self.pdf.get_string_width("".join(current) + token) > room:
                    if token in _CLOSING and hang:
                        current.append(token)
                        continue
                    carried = [current.pop()] if token in _CLOSING and len(current) > 1 else []
                    lines.append("".join(current))
                    current = [*carried, token]
                    room = width
                else:
                    current.append(token)
            lines.append("".join(current))
            room = width
        return lines

    def _cell_width(self, w: float) -> float:
        """The width text may take in a cell ``w`` wide: less the gap kept each side and fpdf's cell margin."""
        return w - 1.2 - 2 * self.pdf.c_margin

    def table(self, t: PrintedTable, department: str) -> None:
        pdf = self.pdf
        self.font(self.size["table_title"], bold=True)
        pdf.cell(0, 9, t.title, align="C")
        pdf.ln(9)
        self.font(self.size["table"])
        if t.number:
            pdf.cell(0, 5, t.number, align="R")
            pdf.ln(5)
        y = pdf.get_y()
        pdf.cell(0, 5, f"编制单位：{department}" if department else "", align="L")
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(0, 5, f"金额单位：{t.unit}", align="R")
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
        for k, row in enumerate(t.body):
            h = self._row_heights([row], widths, line)[0]
            if pdf.get_y() + h > pdf.h - pdf.b_margin:
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
                need = len(self._wrap(cell.text, self._cell_width(w), hang=False)) * line + pad
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
                lines = self._wrap(cell.text, self._cell_width(w), hang=False)
                ty = y + (h - len(lines) * line) / 2
                align = {"left": "L", "right": "R", "center": "C"}[cell.align]
                for k, text in enumerate(lines):
                    pdf.set_xy(lefts[c] + 0.6, ty + k * line)
                    pdf.cell(w - 1.2, line, text, align=align)
        pdf.set_xy(pdf.l_margin, top + sum(heights))


def render_pdf(doc: Document, path: Path, font_dir: Path | None = None) -> None:
    PdfRenderer(doc, font_dir).render(path)
