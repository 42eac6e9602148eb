"""A stored PDF's pages as PNG images (pypdfium2) and their sizes, cached in the data folder by file hash.

The size of a page is the displayed page in PDF points (crop box, rotation applied), the same frame the
reader gives its boxes in (origin top-left), so a finding's box is placed on the image by percentages.
pdfium is not thread-safe: every call into it holds one lock (requests run in a thread pool).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from cnbudget.limits import MAX_OCR_PIXELS, MAX_PAGE_OBJECTS, MAX_PAGES

from .storage import Storage

TARGET_WIDTH_PX = 1240  # an A4 page at ~150 dpi: table figures stay legible on a laptop screen
MAX_SCALE = 3.0
_PDFIUM = threading.Lock()


class PageError(Exception):
    """The page cannot be shown: ``key`` names the catalog sentence, ``status`` the HTTP status."""

    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status, self.key = status, key


@dataclass(frozen=True)
class PageSize:
    width: float  # PDF points, as displayed
    height: float


def source_file(storage: Storage, sha256: str, path: str) -> Path | None:
    """The stored file: the web store by hash, else the ingested path if it still holds the same bytes."""
    if storage.has(sha256):
        return storage.path(sha256)
    candidate = Path(path)
    if not candidate.is_file():
        return None
    digest = hashlib.sha256()
    with candidate.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return candidate if digest.hexdigest() == sha256 else None


def _write(target: Path, data: bytes) -> None:
    """Beside its place first, then moved in: a reader never sees half an image."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def page_sizes(storage: Storage, sha256: str, file: Path) -> list[PageSize]:
    """Every page's displayed size (cached); more pages than MAX_PAGES are not shown."""
    cached = storage.cache_path("pages", sha256, "sizes.json")
    if cached.is_file():
        return [PageSize(w, h) for w, h in json.loads(cached.read_text(encoding="utf-8"))]
    import pypdfium2 as pdfium

    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(str(file))
        except pdfium.PdfiumError:
            raise PageError(422, "web.docpage.page.unreadable") from None
        try:
            if len(pdf) > MAX_PAGES:
                raise PageError(422, "web.docpage.page.too_many")
            sizes = []
            for i in range(len(pdf)):
                page = pdf[i]
                x0, y0, x1, y1 = page.get_cropbox()
                rotated = page.get_rotation() % 180 == 90
                sizes.append(PageSize(abs(y1 - y0), abs(x1 - x0)) if rotated else PageSize(abs(x1 - x0), abs(y1 - y0)))
                page.close()
        finally:
            pdf.close()
    _write(cached, json.dumps([[s.width, s.height] for s in sizes]).encode("utf-8"))
    return sizes


def scale_for(size: PageSize) -> float:
    """Pixels per point: about TARGET_WIDTH_PX wide, never beyond the rendering limit of limits.py."""
    scale = min(MAX_SCALE, TARGET_WIDTH_PX / max(size.width, 1.0))
    pixels = size.width * size.height * scale * scale
    if pixels > MAX_OCR_PIXELS:
        scale *= (MAX_OCR_PIXELS / pixels) ** 0.5
    return scale


def page_png(storage: Storage, sha256: str, file: Path, number: int, size: PageSize) -> Path:
    """The cached PNG of page ``number`` (1-based), rendered on first use."""
    cached = storage.cache_path("pages", sha256, f"{number}.png")
    if cached.is_file():
        return cached
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(str(file))
        except pdfium.PdfiumError:
            raise PageError(422, "web.docpage.page.unreadable") from None
        try:
            page = pdf[number - 1]
            if pdfium_c.FPDFPage_CountObjects(page.raw) > MAX_PAGE_OBJECTS:
                raise PageError(422, "web.docpage.page.too_complex")
            image = page.render(scale=scale_for(size)).to_pil()
            page.close()
        except pdfium.PdfiumError:
            raise PageError(422, "web.docpage.page.unreadable") from None
        finally:
            pdf.close()
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    _write(cached, buffer.getvalue())
    return cached
