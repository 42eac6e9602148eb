"""Seeded structural damage to a real PDF, the classes of issue 9 that flipped bytes rarely reach.

Objects shuffled (with a fresh cross-reference table or none), fonts and ToUnicode maps removed,
a page flooded with text objects, a page nested in form XObjects many levels deep, a page replaced
by its own picture (image-only, sometimes a thin strip). Each takes ``(rng, data)`` and returns the
damaged bytes; anything pdfium itself cannot open or write falls back to flipped bits.
"""

from __future__ import annotations

import ctypes
import random
import re
from collections.abc import Callable

_OBJECT = re.compile(rb"(\d+)\s+(\d+)\s+obj\b(.*?)\bendobj", re.DOTALL)
_TRAILER = re.compile(rb"trailer\s*(<<.*?>>)\s*startxref", re.DOTALL)
_FONT_REFS = [
    rb"/ToUnicode\s+\d+\s+\d+\s+R",
    rb"/FontFile[23]?\s+\d+\s+\d+\s+R",
    rb"/Encoding\s*/?\w*(\s+\d+\s+\d+\s+R)?",
    rb"/DescendantFonts\s*\[[^\]]*\]",
    rb"/Widths\s*\[[^\]]*\]",
]


def _objects(data: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    objects = [(int(m.group(1)), m.group(3)) for m in _OBJECT.finditer(data)]
    trailer = _TRAILER.search(data)
    body = trailer.group(1) if trailer else b"<< /Size %d /Root 1 0 R >>" % (len(objects) + 1)
    return objects, re.sub(rb"/Prev\s+\d+|/XRefStm\s+\d+", b"", body)


def _write(objects: list[tuple[int, bytes]], trailer: bytes, xref: bool = True) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, body in objects:
        offsets[number] = len(out)
        out += b"%d 0 obj%sendobj\n" % (number, body)
    if not xref:  # the reader must rebuild the table by scanning
        return bytes(out) + b"trailer\n" + trailer + b"\n%%EOF\n"
    size = max(offsets, default=0) + 1
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    trailer = re.sub(rb"/Size\s+\d+", b"/Size %d" % size, trailer)
    return bytes(out) + b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % start


def shuffle_objects(rng: random.Random, data: bytes) -> bytes:
    """The same objects in another order, with a correct cross-reference table or none at all."""
    objects, trailer = _objects(data)
    if not objects:
        return data
    rng.shuffle(objects)
    return _write(objects, trailer, xref=rng.random() < 0.7)


def remove_fonts(rng: random.Random, data: bytes) -> bytes:
    """ToUnicode maps, embedded font programs, encodings or whole font objects removed."""
    objects, trailer = _objects(data)
    if not objects:
        return data
    pattern = re.compile(rng.choice(_FONT_REFS))
    whole = rng.random() < 0.3
    out: list[tuple[int, bytes]] = []
    for number, body in objects:
        if whole and re.search(rb"/Type\s*/Font\b", body[:2000]):
            body = b" null "
        elif not whole and body.lstrip().startswith(b"<<"):
            head, sep, rest = body.partition(b"stream")
            body = pattern.sub(b"", head) + sep + rest
        out.append((number, body))
    return _write(out, trailer)


def _open(data: bytes):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(data)


def _saved(pdf) -> bytes:  # type: ignore[no-untyped-def]
    import io

    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def many_text_objects(rng: random.Random, data: bytes) -> bytes:
    """Thousands of small text objects added to the first page (the 60,000-object page took 17 s)."""
    import pypdfium2.raw as raw

    pdf = _open(data)
    page = pdf[0]
    width, height = page.get_size()
    # mostly a few thousand; now and then just under limits.MAX_PAGE_OBJECTS (seconds to read) or beyond it
    count = 39_000 if rng.random() < 0.03 else rng.choice([300, 1_000, 3_000, 10_000, 45_000])
    for i in range(count):
        obj = raw.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", ctypes.c_float(rng.choice([1.0, 6.0, 12.0])))
        text = rng.choice(["1", "12.34", "合计", "9" * 30, "(", "%"]) if i % 7 else str(i)
        buffer = ctypes.create_string_buffer(text.encode("utf-16-le") + b"\0\0")
        raw.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)))
        raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, rng.uniform(0, width), rng.uniform(0, height))
        raw.FPDFPage_InsertObject(page.raw, obj)
    page.gen_content()
    return _saved(pdf)


def nested_xobjects(rng: random.Random, data: bytes) -> bytes:
    """The first page drawn inside a form XObject, inside another, many levels deep."""
    import pypdfium2 as pdfium

    pdf = _open(data)
    for _ in range(rng.choice([2, 10, 40])):
        outer = pdfium.PdfDocument.new()
        width, height = pdf.get_page_size(0)
        page = outer.new_page(width, height)
        page.insert_obj(pdf.page_as_xobject(0, outer).as_pageobject())
        page.gen_content()
        pdf = outer
    return _saved(pdf)


def image_only(rng: random.Random, data: bytes) -> bytes:
    """The first page replaced by its own picture, as a scan; sometimes squeezed into a thin strip."""
    import pypdfium2 as pdfium

    source = _open(data)
    bitmap = source[0].render(scale=rng.choice([0.5, 1.0, 2.0])).to_pil()
    pdf = pdfium.PdfDocument.new()
    width, height = source.get_page_size(0)
    if rng.random() < 0.3:
        width, height = (width, height * rng.choice([12, 40])) if rng.random() < 0.5 else (width * 12, height / 12)
    page = pdf.new_page(width, height)
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(pdfium.PdfBitmap.from_pil(bitmap))
    image.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(image)
    page.gen_content()
    return _saved(pdf)


PDF_MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "shuffle_objects": shuffle_objects,
    "remove_fonts": remove_fonts,
    "many_text_objects": many_text_objects,
    "nested_xobjects": nested_xobjects,
    "image_only": image_only,
}
