"""OCR of the parts of a PDF page that hold text only as pixels (scanned pages, pasted table images).

The page is rendered with PDFium, ruling lines are found in the bitmap with morphology, and text is
read with RapidOCR (PP-OCRv4 ONNX models shipped inside the rapidocr_onnxruntime wheel: no network).
Detected text boxes that straddle a vertical ruling line are cut at the line before recognition, so
one word never spans two table cells. Everything is returned in page points (top-left origin), so
the PDF reader (ingest/pdf/) can build lines and grids from OCR words exactly as it does from PDF characters.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pypdfium2 as pdfium

from cnbudget.i18n import Message
from cnbudget.model import BBox

RENDER_SCALE = 200 / 72  # 200 dpi: 9 pt table text is ~25 px high, enough for PP-OCR
MIN_CONFIDENCE = 0.3  # recognitions below this are noise, not text
RULE_MIN_PT = 12.0  # ink runs shorter than this (points) are never ruling lines
RULE_SHORT_PT = 20.0  # runs this long are rules when they meet two rules of the other direction
RULE_LONG_PT = 60.0  # runs this long are rules whatever they meet
RULE_MAX_THICK_PX = 6  # thicker runs are filled areas, not lines
DET_MAX_SIDE = 1280  # pixels: text detection runs on the page scaled down to this


def ocr_threads() -> int:
    """ONNX Runtime threads per model: ONNX Runtime's own choice (-1: a thread per core) in a process reading
    alone — on an idle machine the OCR test's three pages take 3.2–4.4 s with two threads against 5.5 s with
    one — and one thread in a worker process (`check -j N`, ingest, the web application's jobs), whose
    siblings read other files on the other cores: there the threads, spinning while they wait, spent 60% more
    CPU and 60% more time on the same pages when the other core was busy."""
    import multiprocessing

    return 1 if multiprocessing.parent_process() is not None else -1


Rule = tuple[float, float, float]  # position, start, end (points)


@dataclass(slots=True)
class OcrWord:
    """One recognised text box, in page points (top-left origin)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float


@dataclass
class OcrResult:
    words: list[OcrWord] = field(default_factory=list)
    h_rules: list[Rule] = field(default_factory=list)  # (y, x0, x1)
    v_rules: list[Rule] = field(default_factory=list)  # (x, top, bottom)


class OcrUnavailable(RuntimeError):
    """RapidOCR (or its models) could not be loaded."""


_engine: Any = None
_engine_lock = threading.Lock()


def _get_engine() -> Any:
    """The RapidOCR engine, loaded once per process (loading the models takes about a second)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError:  # pragma: no cover - a declared dependency
                raise OcrUnavailable(Message("errors.ocr.not_installed")) from None
            threads = ocr_threads()
            engine = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=threads)
            # Pad recognition batches to 96 px instead of 320 px: table cells are short, and the
            # PP-OCRv4 recogniser takes any width, so this halves recognition time, same text.
            rec = getattr(engine, "text_rec", None)
            if rec is not None and hasattr(rec, "rec_image_shape"):
                rec.rec_image_shape = [3, 48, 96]
            _engine = engine
        return _engine


def render_gray(page: pdfium.PdfPage, scale: float = RENDER_SCALE) -> np.ndarray:
    """The displayed page as an 8-bit grayscale array (rotation applied by PDFium)."""
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        array = np.array(bitmap.to_numpy(), copy=True)
    finally:
        bitmap.close()
    if array.ndim == 3:
        array = array[:, :, 0]
    return array


def _runs(mask: np.ndarray, horizontal: bool, min_len: int) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (x, y, w, h) of long thin ink runs in one direction."""
    import cv2

    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (min_len, 1) if horizontal else (1, min_len))
    lines = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    count, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    out = []
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i][:4])
        thick = h if horizontal else w
        if thick <= RULE_MAX_THICK_PX:
            out.append((x, y, w, h))
    return out


def find_rules(gray: np.ndarray, scale: float) -> tuple[list[Rule], list[Rule], np.ndarray]:
    """Horizontal and vertical ruling lines (in points) and the mask of their pixels."""
    import cv2

    ink = (gray < 160).astype(np.uint8) * 255
    min_len = max(int(RULE_MIN_PT * scale), 10)
    h_runs = _runs(ink, True, min_len)
    v_runs = _runs(ink, False, min_len)
    # Strokes of large characters are long straight runs too. A ruling line is either long, or
    # meets at least two lines of the other direction (a cell wall between two rules); a stroke
    # of 上 or 十 meets one.
    long_px = RULE_LONG_PT * scale
    short_px = RULE_SHORT_PT * scale
    h_keep = [r for r in h_runs if r[2] >= long_px or (r[2] >= short_px and sum(_touch(r, v) for v in v_runs) >= 2)]
    v_keep = [r for r in v_runs if r[3] >= long_px or (r[3] >= short_px and sum(_touch(h, r) for h in h_runs) >= 2)]
    h_rules: list[Rule] = []
    v_rules: list[Rule] = []
    mask = np.zeros_like(ink)
    for x, y, w, h in h_keep:
        h_rules.append(((y + h / 2) / scale, x / scale, (x + w) / scale))
        mask[y : y + h, x : x + w] = 255
    for x, y, w, h in v_keep:
        v_rules.append(((x + w / 2) / scale, y / scale, (y + h) / scale))
        mask[y : y + h, x : x + w] = 255
    grown: np.ndarray = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    return h_rules, v_rules, grown


def _touch(h: tuple[int, int, int, int], v: tuple[int, int, int, int], slack: int = 3) -> bool:
    """Whether a horizontal run and a vertical run (x, y, w, h boxes) meet or cross."""
    hx, hy, hw, hh = h
    vx, vy, vw, vh = v
    return hx - slack <= vx + vw and vx - slack <= hx + hw and vy - slack <= hy + hh and hy - slack <= vy + vh


def _cut_at_rules(box: tuple[int, int, int, int], v_px: list[tuple[float, float, float]]) -> list[tuple[int, int]]:
    """Split a text box's x-range at vertical rules crossing its middle; returns (x0, x1) pieces."""
    x0, y0, x1, y1 = box
    cy = (y0 + y1) / 2
    cuts = sorted(x for x, top, bottom in v_px if top <= cy <= bottom and x0 + 3 < x < x1 - 3)
    pieces = []
    start = x0
    for x in cuts:
        pieces.append((start, int(x) - 1))
        start = int(x) + 2
    pieces.append((start, x1))
    return [(a, b) for a, b in pieces if b - a >= 4]


def ocr_region(page: pdfium.PdfPage, region: BBox, scale: float = RENDER_SCALE) -> OcrResult:
    """OCR one region of a page (in points, top-left origin): words with confidence, and rules."""
    import cv2

    engine = _get_engine()
    gray = render_gray(page, scale)
    height, width = gray.shape
    rx0, ry0 = max(int(region[0] * scale), 0), max(int(region[1] * scale), 0)
    rx1, ry1 = min(int(region[2] * scale) + 1, width), min(int(region[3] * scale) + 1, height)
    crop = gray[ry0:ry1, rx0:rx1]
    if crop.size == 0:
        return OcrResult()
    h_rules, v_rules, mask = find_rules(crop, scale)
    clean = crop.copy()
    clean[mask > 0] = 255  # rules erased: the recogniser reads no '|' and boxes stop at cell walls
    image = np.ascontiguousarray(np.stack([clean] * 3, axis=-1))

    ox, oy = rx0 / scale, ry0 / scale  # the crop's origin on the page, in points
    result = OcrResult(
        h_rules=[(y + oy, a + ox, b + ox) for y, a, b in h_rules],
        v_rules=[(x + ox, a + oy, b + oy) for x, a, b in v_rules],
    )
    if not (hasattr(engine, "text_det") and hasattr(engine, "text_rec")):
        result.words = _public_api_words(engine, image, rx0, ry0, scale)
        return result
    # Detection works as well at ~130 dpi as at 200 dpi and is 5-10x faster there; recognition
    # then reads the full-resolution crops.
    shrink = min(1.0, DET_MAX_SIDE / max(image.shape[:2]))
    small = cv2.resize(image, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA) if shrink < 1 else image
    boxes, _ = engine.text_det(small)
    if boxes is None or len(boxes) == 0:
        return result
    v_px = [(x * scale, a * scale, b * scale) for x, a, b in v_rules]
    pieces: list[tuple[int, int, int, int]] = []
    for quad in boxes:
        xs, ys = quad[:, 0] / shrink, quad[:, 1] / shrink
        bx0, bx1 = int(max(xs.min(), 0)), int(min(xs.max(), clean.shape[1]))
        by0, by1 = int(max(ys.min(), 0)), int(min(ys.max(), clean.shape[0]))
        if bx1 - bx0 < 4 or by1 - by0 < 4:
            continue
        for a, b in _cut_at_rules((bx0, by0, bx1, by1), v_px):
            pieces.append((a, by0, b, by1))
    crops = [image[y0:y1, x0:x1] for x0, y0, x1, y1 in pieces]
    if not crops:
        return result
    recognised, _ = engine.text_rec(crops)
    for (x0, y0, x1, y1), rec in zip(pieces, recognised, strict=True):
        text, score = str(rec[0]).strip(), float(rec[1])
        if not text or score < MIN_CONFIDENCE:
            continue
        result.words.append(
            OcrWord(
                text,
                (x0 + rx0) / scale,
                (y0 + ry0) / scale,
                (x1 + rx0) / scale,
                (y1 + ry0) / scale,
                round(score, 4),
            )
        )
    return result


def _public_api_words(engine: Any, image: np.ndarray, rx0: int, ry0: int, scale: float) -> list[OcrWord]:
    """Words through RapidOCR's documented call, for versions without text_det/text_rec.

    Slower, and boxes straddling a cell wall are not cut, but the text is the same model's.
    """
    found, _ = engine(image, use_cls=False)
    words = []
    for quad, text, score in found or []:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        if str(text).strip() and float(score) >= MIN_CONFIDENCE:
            words.append(
                OcrWord(
                    str(text).strip(),
                    (min(xs) + rx0) / scale,
                    (min(ys) + ry0) / scale,
                    (max(xs) + rx0) / scale,
                    (max(ys) + ry0) / scale,
                    round(float(score), 4),
                )
            )
    return words
