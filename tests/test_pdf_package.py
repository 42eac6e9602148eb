"""The PDF reader package: its modules import only those before them, and its bare PDFium calls
return exactly what pypdfium2's checked bindings return."""

from __future__ import annotations

import ast
import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from cnbudget.ingest.pdf import calls
from conftest import PDFS

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "cnbudget" / "ingest" / "pdf"
ORDER = ["calls", "chars", "lines", "ruling", "frames", "grids", "blocks", "image_text", "page", "document", "__init__"]


def test_modules_import_only_those_before_them() -> None:
    assert sorted(p.stem for p in PACKAGE.glob("*.py")) == sorted(ORDER), "a new module needs its place in ORDER and the docs"
    for name in ORDER:
        tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "cnbudget.ingest.pdf":
                    imported.update(a.name for a in node.names)
                elif node.module.startswith("cnbudget.ingest.pdf."):
                    imported.add(node.module.rsplit(".", 1)[1])
        later = {m for m in imported if ORDER.index(m) >= ORDER.index(name)}
        assert not later, f"{name} imports {sorted(later)}, which come after it"


def test_bare_calls_return_what_the_checked_bindings_return() -> None:
    doc = pdfium.PdfDocument(str(PDFS / "putuo-finance-bureau-2024-final.pdf"))
    try:
        page = doc[5]  # a table page
        textpage = page.get_textpage()
        tp = textpage.raw
        count = pdfium_c.FPDFText_CountChars(tp)
        assert count > 500
        matrix, box = pdfium_c.FS_MATRIX(), pdfium_c.FS_RECTF()
        m6, b4 = (ctypes.c_float * 6)(), (ctypes.c_float * 4)()
        ox, oy, xy = ctypes.c_double(), ctypes.c_double(), (ctypes.c_double * 2)()
        for i in range(count):
            assert calls.font_size(tp, i) == pdfium_c.FPDFText_GetFontSize(tp, i)
            assert calls.text_matrix(tp, i, ctypes.byref(m6)) == pdfium_c.FPDFText_GetMatrix(tp, i, matrix)
            assert tuple(m6) == (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
            assert calls.loose_box(tp, i, ctypes.byref(b4)) == pdfium_c.FPDFText_GetLooseCharBox(tp, i, box)
            assert tuple(b4) == (box.left, box.top, box.right, box.bottom)
            pdfium_c.FPDFText_GetCharOrigin(tp, i, ox, oy)
            calls.char_origin(tp, i, ctypes.byref(xy), ctypes.byref(xy, 8))
            assert tuple(xy) == (ox.value, oy.value)
        kinds = [calls.object_type(calls.page_object(page.raw, i)) for i in range(pdfium_c.FPDFPage_CountObjects(page.raw))]
        assert kinds == [pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, i)) for i in range(len(kinds))]
        assert pdfium_c.FPDF_PAGEOBJ_PATH in kinds
        textpage.close()
        page.close()
    finally:
        doc.close()
