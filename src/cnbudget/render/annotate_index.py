"""The index page(s) of the annotated PDF, with every glyph drawn from an embedded font.

A reviewer's machine may have no Chinese font, so nothing is left to the viewer: the text is set in
the bundled Noto CJK faces (src/cnbudget/fonts, SIL OFL), cut at run time to the characters the page
uses and embedded by fpdf2. The bundled faces hold GB2312 and the characters the documents use; a
character neither face has (a rare character of a department name) is drawn as the placeholder 〓
rather than fetched from a system font, and stays exact in the PDF comment and every other report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from cnbudget.i18n import t
from cnbudget.publish.fonts import cut_vendored, missing, vendored

RGB = tuple[int, int, int]

PLACEHOLDER = "〓"  # the typesetter's mark for a character the font lacks (GB2312 A1FE)
_PAGE_W, _PAGE_H, _MARGIN = 595.0, 842.0, 48.0
_FAMILY = "cnbudget-index"


@dataclass
class Line:
    """One paragraph of the index: wrapped to the page width, ``gap`` points of space above it."""

    text: str
    size: float = 8.5
    rgb: RGB = (0, 0, 0)
    gap: float = 0.0
    bold: bool = False


def drawable(text: str, lacking: str) -> str:
    """``text`` with every character of ``lacking`` replaced by the placeholder."""
    return "".join(PLACEHOLDER if ch in lacking else ch for ch in text)


def wrap(text: str, measure: Callable[[str], float], width: float, indent: str = "") -> list[str]:
    """Lines of at most ``width`` points; breaks at a space where Latin text allows, anywhere in Chinese."""
    lines: list[str] = []
    current = ""
    for ch in text.replace("\t", " ").replace("\r", " ").replace("\n", " "):
        if measure(current + ch) <= width:
            current += ch
            continue
        cut = current.rfind(" ")
        if ch != " " and ch.isascii() and cut > len(current) // 2:
            lines.append(current[:cut])
            current = indent + current[cut + 1 :] + ch
        else:
            lines.append(current)
            current = indent + ("" if ch == " " else ch)
    if current.strip():
        lines.append(current)
    return lines


def index_pdf(lines: Sequence[Line], font_dir: Path | None = None) -> bytes:
    """A4 pages holding ``lines``, fonts embedded (subsets of the bundled faces)."""
    body, heading = vendored("body"), vendored("heading")
    text = "".join(ln.text for ln in lines)
    lacking = "".join(dict.fromkeys(missing(text, body) + missing(text, heading)))
    if PLACEHOLDER in missing(PLACEHOLDER, body) + missing(PLACEHOLDER, heading):
        raise RuntimeError("the bundled fonts lack the placeholder character")  # a broken install, not bad input
    shown = [Line(drawable(ln.text, lacking), ln.size, ln.rgb, ln.gap, ln.bold) for ln in lines]
    if lacking:
        codes = " ".join(f"U+{ord(ch):04X}" for ch in lacking)
        shown.append(Line(drawable(t("annotate.index.missing_glyphs", chars=codes), lacking), 8, gap=8))
    chars = "".join(sorted(set("".join(ln.text for ln in shown) + PLACEHOLDER)))
    pdf = FPDF(unit="pt", format=(_PAGE_W, _PAGE_H))
    pdf.set_auto_page_break(False)
    pdf.set_creator("cnbudget")
    pdf.add_font(_FAMILY, "", str(cut_vendored("body", chars, font_dir)))
    pdf.add_font(_FAMILY, "B", str(cut_vendored("heading", chars, font_dir)))
    pdf.add_page()
    y = _MARGIN
    for ln in shown:
        pdf.set_font(_FAMILY, "B" if ln.bold else "", ln.size)
        pdf.set_text_color(*ln.rgb)
        for i, piece in enumerate(wrap(ln.text, pdf.get_string_width, _PAGE_W - 2 * _MARGIN, indent="      ")):
            step = ln.size * 1.35 + (ln.gap if i == 0 else 0)
            if y + step > _PAGE_H - _MARGIN and y > _MARGIN:
                pdf.add_page()
                y = _MARGIN
            y += step
            pdf.text(_MARGIN, y, piece)
    return bytes(pdf.output())
