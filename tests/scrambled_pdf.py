"""Test helper: a copy of a real PDF whose page N's fonts map their glyphs to the wrong Unicode characters.

This is true mojibake as a broken producer makes it: the page looks right (the glyphs are drawn as
before) but its text layer says other characters. The page is first given fonts of its own (pdfium
imports it apart from the other pages, which copies the objects it uses), then each of those fonts'
ToUnicode CMaps is rewritten in an incremental update (the original bytes stay as they are):

* ``shift``: every Hanzi the map names is moved 0x2A00 code points on inside the CJK block (rare
  characters, as a map of another encoding gives);
* ``permute``: the Hanzi the map names are exchanged among themselves (common characters in the
  wrong places: right characters, wrong words).
"""

from __future__ import annotations

import random
import re
import zlib
from pathlib import Path

import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1

_HEX = re.compile(rb"<([0-9A-Fa-f]{4})>")
_CJK = range(0x4E00, 0xA000)


def _own_fonts(source: Path, page: int, target: Path) -> None:
    src = pdfium.PdfDocument(str(source))
    new = pdfium.PdfDocument.new()
    n = len(src)
    if page > 1:
        new.import_pages(src, list(range(page - 1)))
    new.import_pages(src, [page - 1])
    if page < n:
        new.import_pages(src, list(range(page, n)))
    new.save(str(target))
    new.close()
    src.close()


def _scramble(cmap: bytes, how: str) -> bytes:
    """The CMap with the destination of each entry (the last <hex> of a bfchar/bfrange line) changed."""
    lines = cmap.split(b"\n")
    dests: list[tuple[int, re.Match[bytes]]] = []
    for i, line in enumerate(lines):
        found = list(_HEX.finditer(line))
        if len(found) in (2, 3) and int(found[-1].group(1), 16) in _CJK:
            dests.append((i, found[-1]))
    values = [int(m.group(1), 16) for _, m in dests]
    if how == "shift":
        new = [(v - 0x4E00 + 0x2A00) % 0x5200 + 0x4E00 for v in values]
    else:
        new = values[:]
        random.Random(8).shuffle(new)
    for (i, m), v in zip(dests, new, strict=True):
        lines[i] = lines[i][: m.start(1)] + f"{v:04X}".encode() + lines[i][m.end(1) :]
    return b"\n".join(lines)


def scrambled_copy(source: Path, page: int, target: Path, how: str = "shift") -> Path:
    """``target``: ``source`` with page ``page`` (1-based) printing the same glyphs under a wrong text layer."""
    _own_fonts(source, page, target)
    with target.open("rb") as fh:
        doc = PDFDocument(PDFParser(fh))
        pdf_page = list(PDFPage.create_pages(doc))[page - 1]
        fonts = resolve1(pdf_page.resources.get("Font", {}))
        streams: dict[int, bytes] = {}
        for ref in fonts.values():
            tounicode = resolve1(ref).get("ToUnicode")
            if tounicode is None or not isinstance(resolve1(tounicode), PDFStream):
                continue
            streams[tounicode.objid] = _scramble(resolve1(tounicode).get_data(), how)
        trailer = doc.xrefs[-1].trailer
        root, size = trailer["Root"].objid, trailer["Size"]
    data = target.read_bytes()
    prev = int(data[data.rindex(b"startxref") + 9 :].split()[0])
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets: dict[int, int] = {}
    for objid, cmap in sorted(streams.items()):
        body = zlib.compress(cmap)
        offsets[objid] = len(out)
        out += b"%d 0 obj\n<</Length %d /Filter /FlateDecode>>\nstream\n" % (objid, len(body)) + body + b"\nendstream\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for objid, offset in sorted(offsets.items()):
        out += b"%d 1\n%010d 00000 n \n" % (objid, offset)
    out += b"trailer\n<</Size %d /Root %d 0 R /Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, prev, xref)
    target.write_bytes(bytes(out))
    return target
