"""A PDF whose text layer is broken: the glyphs are drawn (the page looks right) but the file maps them to
private-use code points, so the text it gives is not the text printed.

The PDFs are made here: Helvetica text whose /ToUnicode CMap sends the characters to U+E000+code (all of
them: a page no text can be taken from; or only the digit 3: a page with a few unmapped glyphs). Such a page
is read from its image when OCR is on and named as not read when it is off; a few unmapped glyphs become
U+FFFD where they stand, and no figure touching one is read.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from cnbudget.ingest import read_layout
from cnbudget.model import Line
from cnbudget.pipeline import read_disclosure
from conftest import SHARED

LINES = ["Total expenditure 1,234.56", "Basic spending 1,000.00", "Project spending 234.56"]
REAL = SHARED / "samples" / "pdf" / "putuo-finance-bureau-2024-final.pdf"


def _pdf(lines: list[str], unmapped: set[int]) -> bytes:
    """One A4 page of Helvetica text; the character codes in ``unmapped`` map to private-use code points."""
    entries = "\n".join(f"<{b:02X}> <{(0xE000 + b) if b in unmapped else b:04X}>" for b in range(0x20, 0x7F))
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        f"{0x7F - 0x20} beginbfchar\n{entries}\nendbfchar\nendcmap\n"
        "CMapName currentdict /CMap defineresource pop\nend\nend"
    )
    content = "BT /F1 12 Tf 72 760 Td 16 TL\n" + "\n".join(f"({line}) Tj T*" for line in lines) + "\nET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


ALL = set(range(0x20, 0x7F))


def test_the_made_page_really_has_a_broken_text_layer(tmp_path: Path) -> None:
    path = _write(tmp_path, "broken.pdf", _pdf(LINES, ALL))
    doc = pdfium.PdfDocument(str(path))
    text = doc[0].get_textpage().get_text_range()
    doc.close()
    assert text and all(0xE000 <= ord(c) <= 0xF8FF for c in text if not c.isspace())


def test_a_page_whose_text_layer_cannot_be_read_is_not_read_with_ocr_off(tmp_path: Path) -> None:
    layout = read_layout(str(_write(tmp_path, "broken.pdf", _pdf(LINES, ALL))), ocr=False)
    assert layout.blocks == [] and layout.unread_pages == [1]
    assert any("page 1: the text layer cannot be decoded" in n for n in layout.notes)
    assert any("page 1" in n and "not read because OCR is off" in n for n in layout.notes)


def test_a_page_whose_text_layer_cannot_be_read_is_read_from_its_image(tmp_path: Path) -> None:
    layout = read_layout(str(_write(tmp_path, "broken.pdf", _pdf(LINES, ALL))), ocr=True)
    assert layout.ocr_pages == [1] and layout.unread_pages == []
    texts = [b.text for b in layout.blocks if isinstance(b, Line)]
    assert texts == LINES


def test_a_broken_page_inside_a_real_document_is_named_unread(tmp_path: Path) -> None:
    broken = _write(tmp_path, "broken.pdf", _pdf(LINES, ALL))
    doc = pdfium.PdfDocument(str(REAL))
    pages = len(doc)
    extra = pdfium.PdfDocument(str(broken))
    doc.import_pages(extra)
    combined = tmp_path / "combined.pdf"
    doc.save(str(combined))
    doc.close()
    extra.close()
    d = read_disclosure(str(combined), ocr=False)
    assert any(f"page {pages + 1}" in str(n) and "not read" in str(n) for n in d.notes), d.notes
    plain = read_disclosure(str(REAL), ocr=False)
    assert [t.name for t in d.tables] == [t.name for t in plain.tables]  # the rest reads as before


def test_a_few_unmapped_glyphs_stay_in_place_as_replacement_characters(tmp_path: Path) -> None:
    layout = read_layout(str(_write(tmp_path, "three.pdf", _pdf(LINES, {ord("3")}))), ocr=False)
    texts = [b.text for b in layout.blocks if isinstance(b, Line)]
    assert texts == ["Total expenditure 1,2\ufffd4.56", "Basic spending 1,000.00", "Project spending 2\ufffd4.56"]
    assert layout.unread_pages == [] and layout.ocr_pages == []


def test_no_figure_is_read_next_to_an_unreadable_character() -> None:
    from cnbudget.recognize.narrative import _FIGURE_RE

    assert [m.group("num") for m in _FIGURE_RE.finditer("收、支总计1,6\ufffd54.71万元，其中2\ufffd万元，另有30.00万元")] == ["30.00"]
    assert [m.group("num") for m in _FIGURE_RE.finditer("基本支出54.71万\ufffd")] == []


def _with_page_replaced(tmp_path: Path, page_no: int) -> Path:
    """The real 决算 PDF with page ``page_no`` replaced by a page whose text layer is broken."""
    broken = _write(tmp_path, "broken.pdf", _pdf(LINES, ALL))
    doc = pdfium.PdfDocument(str(REAL))
    extra = pdfium.PdfDocument(str(broken))
    doc.del_page(page_no - 1)
    doc.import_pages(extra, index=page_no - 1)
    out = tmp_path / f"replaced-{page_no}.pdf"
    doc.save(str(out))
    doc.close()
    extra.close()
    return out


def test_a_table_on_a_page_not_read_is_not_reported_missing(tmp_path: Path) -> None:
    """Page 6 prints F1 收入支出决算总表. With that page unreadable (OCR off), F1 is not 'not printed' (C001, an
    error that would be false): it may be printed on the page not read, which C005 says."""
    from cnbudget.api import check_one

    report = check_one(read_disclosure(str(_with_page_replaced(tmp_path, 6)), ocr=False))
    assert report.findings and [f for f in report.findings if f.rule == "C001"] == []
    [c005] = [f for f in report.findings if f.rule == "C005"]
    assert "收支总表" in c005.message and "page(s) 6" in c005.message
    baseline = check_one(read_disclosure(str(REAL), ocr=False))
    assert [f for f in baseline.findings if f.rule in ("C001", "C005", "C006")] == []


def test_an_explanation_that_may_be_on_a_page_not_read_is_not_checked(tmp_path: Path) -> None:
    """With an unreadable page, C006 cannot say an explanation is missing: its coverage names the page."""
    from cnbudget.api import check_one

    path = _with_page_replaced(tmp_path, 6)
    d = read_disclosure(str(path), ocr=False)
    assert [f for f in check_one(d).findings if f.rule == "C006"] == []  # this 决算 explains everything
    d.sections = []  # as if its whole 情况说明 were on the page not read
    report = check_one(d)
    assert [f for f in report.findings if f.rule == "C006"] == []
    [cov] = [c for c in report.coverage if c.rule == "C006"]
    assert cov.status == "not checked" and "page(s) 6" in cov.reason and "情况说明" in cov.reason
    d.unread_pages = []
    assert [f.expected for f in check_one(d).findings if f.rule == "C006"] == ["情况说明"]  # it fires when all was read
