"""OCR of image-only pages: three table pages of a real PDF, rendered to pixels and read back.

The image-only PDF is made here (PDFium renders at 200 dpi, Pillow writes the PDF), so the text
layer of the same pages is the ground truth for the amounts that OCR reads.
"""

from __future__ import annotations

import ctypes
import io
import re
import time
from difflib import SequenceMatcher
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from cnbudget.ingest.pdf import read_pdf
from cnbudget.model import Grid, Layout, Line

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "pdf"
FINANCE = SAMPLES / "putuo-finance-bureau-2024-final.pdf"
TABLE_PAGES = [6, 8, 16]  # 收入支出决算总表, 收入决算表, 一般公共预算财政拨款基本支出决算表
AMOUNT = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d+$|^-?\d+\.\d+$")  # 2,106.53 / 0.00 / 9746.50



def _image_only_pdf(out: Path) -> Path:
    doc = pdfium.PdfDocument(str(FINANCE))
    images = []
    for page_no in TABLE_PAGES:
        page = doc[page_no - 1]
        images.append(page.render(scale=200 / 72, grayscale=True).to_pil().convert("L"))
        page.close()
    doc.close()
    images[0].save(out, "PDF", resolution=200, save_all=True, append_images=images[1:])
    return out


def _amounts(grids: list[Grid]) -> list[str]:
    return [c.text for g in grids for row in g.rows for c in row if AMOUNT.match(c.text)]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Layout, float]:
    path = _image_only_pdf(tmp_path_factory.mktemp("ocr") / "scanned.pdf")
    start = time.perf_counter()
    lay = read_pdf(str(path), ocr=True)
    return lay, time.perf_counter() - start


def test_image_only_pages_are_ocred(scanned: tuple[Layout, float]) -> None:
    lay, _seconds = scanned
    assert lay.page_count == 3 and lay.ocr_pages == [1, 2, 3] and lay.unread_pages == []
    # its speed is a benchmark's, measured against a baseline in the same run: benchmarks/read_pdf.py --ocr
    for block in lay.blocks:
        assert block.page is not None and block.bbox is not None
        if isinstance(block, Grid):
            for row in block.rows:
                for cell in row:
                    assert (cell.ocr_confidence is not None) == bool(cell.text)
        else:
            assert block.ocr_confidence is not None and 0 < block.ocr_confidence <= 1


def test_ocr_grids_match_the_text_layer(scanned: tuple[Layout, float]) -> None:
    lay, _ = scanned
    truth = read_pdf(str(FINANCE))
    total = in_sequence = in_place = 0
    for index, page_no in enumerate(TABLE_PAGES, start=1):
        (expected,) = [g for g in truth.grids() if g.page == page_no]
        (got,) = [g for g in lay.grids() if g.page == index]
        assert (len(got.rows), len(got.rows[0])) == (len(expected.rows), len(expected.rows[0]))
        want, have = _amounts([expected]), _amounts([got])
        total += len(want)
        matcher = SequenceMatcher(a=want, b=have, autojunk=False)
        in_sequence += sum(block.size for block in matcher.get_matching_blocks())
        in_place += sum(
            1
            for r, row in enumerate(expected.rows)
            for c, cell in enumerate(row)
            if AMOUNT.match(cell.text) and got.rows[r][c].text == cell.text
        )
    assert total >= 60
    # The same amounts, in the same order and in the same cells: at least 99% (in practice all).
    assert in_sequence >= 0.99 * total, (in_sequence, total)
    assert in_place >= 0.99 * total, (in_place, total)


def test_ocr_cell_text_matches_the_text_layer(scanned: tuple[Layout, float]) -> None:
    """Labels and codes too: at least 97% of the non-empty cells read exactly as the text layer."""
    lay, _ = scanned
    truth = read_pdf(str(FINANCE))
    pairs = []
    for index, page_no in enumerate(TABLE_PAGES, start=1):
        (expected,) = [g for g in truth.grids() if g.page == page_no]
        (got,) = [g for g in lay.grids() if g.page == index]
        pairs += [
            (a.text, b.text)
            for ra, rb in zip(expected.rows, got.rows, strict=True)
            for a, b in zip(ra, rb, strict=True)
            if a.text or b.text
        ]
    same = sum(a == b for a, b in pairs)
    assert len(pairs) > 200 and same >= 0.97 * len(pairs), [p for p in pairs if p[0] != p[1]]


def test_ocr_titles_and_headers(scanned: tuple[Layout, float]) -> None:
    lay, _ = scanned
    assert "收入支出决算总表" in [ln.text for ln in lay.lines() if ln.page == 1]
    (grid,) = [g for g in lay.grids() if g.page == 1]
    assert [c.text for c in grid.rows[1]] == ["项目", "决算数", "项目", "决算数"]
    assert [c.text for c in grid.rows[-1]] == ["本年收入合计", "2,946.25", "本年支出合计", "2,940.05"]


def test_ocr_off_leaves_pages_unread(tmp_path: Path) -> None:
    path = _image_only_pdf(tmp_path / "scanned.pdf")
    lay = read_pdf(str(path), ocr=False)
    assert lay.blocks == [] and lay.ocr_pages == [] and lay.unread_pages == [1, 2, 3]
    assert len(lay.notes) == 3


def _text_and_table_image_pdf(out: Path) -> Path:
    """A landscape page with a real text line and the 收入决算表 pasted in as a JPEG image."""
    src = pdfium.PdfDocument(str(FINANCE))
    page = src[7]
    scale = 200 / 72
    full = page.render(scale=scale, grayscale=True).to_pil().convert("L")
    page.close()
    src.close()
    left, top, right, bottom = 60, 150, 782, 518  # points: the table on page 8
    jpeg = io.BytesIO()
    full.crop((int(left * scale), int(top * scale), int(right * scale), int(bottom * scale))).save(jpeg, "JPEG")
    jpeg.seek(0)
    doc = pdfium.PdfDocument.new()
    new = doc.new_page(842, 595)
    image = pdfium.PdfImage.new(doc)
    image.load_jpeg(jpeg, inline=False)
    image.set_matrix(pdfium.PdfMatrix().scale(right - left, bottom - top).translate(left, 595 - bottom))
    new.insert_obj(image)
    text = pdfium_c.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", ctypes.c_float(14))
    buf = ctypes.create_string_buffer("Income table\0".encode("utf-16-le"))
    pdfium_c.FPDFText_SetText(text, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    pdfium_c.FPDFPageObj_Transform(text, 1, 0, 0, 1, 380, 480)
    pdfium_c.FPDFPage_InsertObject(new.raw, text)
    new.gen_content()
    doc.save(str(out))
    doc.close()
    return out


def test_table_image_on_a_text_page_is_ocred(tmp_path: Path) -> None:
    path = str(_text_and_table_image_pdf(tmp_path / "mixed.pdf"))
    lay = read_pdf(path, ocr=True)
    assert lay.ocr_pages == [1] and lay.unread_pages == []
    line, grid = lay.blocks
    assert isinstance(line, Line) and line.text == "Income table" and line.ocr_confidence is None
    assert isinstance(grid, Grid)
    (expected,) = [g for g in read_pdf(str(FINANCE)).grids() if g.page == 8]
    assert [[c.text for c in row] for row in grid.rows] == [[c.text for c in row] for row in expected.rows]

    lay = read_pdf(path, ocr=False)
    assert lay.unread_pages == [1] and lay.ocr_pages == []
    assert [b.text for b in lay.lines()] == ["Income table"] and not lay.grids()


def test_a_worker_process_runs_ocr_on_one_thread() -> None:
    """A process reading alone lets ONNX Runtime use every core; a worker of `check -j N` (whose siblings read
    other files at once) uses one thread, so that the workers do not spin against each other."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from cnbudget.ingest.ocr import ocr_threads

    assert ocr_threads() == -1
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert pool.submit(ocr_threads).result(timeout=120) == 1
