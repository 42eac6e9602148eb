"""Visual lines from positioned characters (or OCR words): clustering, de-duplication, joining text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter

from cnbudget.ingest.pdf.chars import Unit, is_wordish
from cnbudget.model import BBox

SPACE_GAP_EM = 0.15  # gap (in em) between Latin/digit tokens that reads as a space
COLUMN_GAP_EM = 1.5  # gap (in em) that reads as a space whatever the characters
_BY_MID = attrgetter("mid")
_BY_X0 = attrgetter("x0")


def cluster_lines(units: Iterable[Unit]) -> list[list[Unit]]:
    """Group units into visual lines by vertical centre, each sorted left to right."""
    lines: list[list[Unit]] = []
    line: list[Unit] = []
    ref_mid = 0.0
    ref_size = 0.0
    for u in sorted(units, key=_BY_MID):
        mid, size = u.mid, u.size
        if line and mid - ref_mid <= 0.45 * (ref_size if ref_size < size else size):  # min(size, ref_size)
            line.append(u)
            ref_mid += (mid - ref_mid) / len(line)
            if size > ref_size:
                ref_size = size
        else:
            line = [u]
            lines.append(line)
            ref_mid, ref_size = mid, size
    out = []
    for each in lines:
        if len(each) > 1:
            each.sort(key=_BY_X0)
            each = _dedupe(each)
        out.append(each)
    return out


def _dedupe(line: list[Unit]) -> list[Unit]:
    """Drop characters drawn twice at almost the same place (a common way of faking bold)."""
    kept: list[Unit] = [line[0]]
    p = line[0]
    for u in line[1:]:
        if p.text == u.text:
            a, b = 0.15 * u.size, 0.5 * (p.x1 - p.x0)
            near = b if b < a else a  # min(a, b)
            if abs(p.x0 - u.x0) < near and abs(p.mid - u.mid) < 0.15 * u.size:
                continue
        kept.append(u)
        p = u
    return kept


def line_text(line: Sequence[Unit]) -> str:
    """Join a line's units: no space in CJK text, one space for real gaps between Latin/digit tokens."""
    parts: list[str] = []
    prev: Unit | None = None
    for u in line:
        if prev is not None and parts:
            gap = u.x0 - prev.x1
            em = prev.size if prev.size > u.size else u.size  # max(u.size, prev.size)
            if gap > COLUMN_GAP_EM * em or (gap > SPACE_GAP_EM * em and is_wordish(parts[-1][-1]) and is_wordish(u.text[0])):
                parts.append(" ")
        parts.append(u.text)
        prev = u
    return "".join(parts)


def join_cell_lines(texts: Sequence[str]) -> str:
    """Join the wrapped lines of one cell: no separator, except a space between two Latin words."""
    out = ""
    for t in texts:
        if out and t and out[-1].isalpha() and out[-1].isascii() and t[0].isalpha() and t[0].isascii():
            out += " "
        out += t
    return out


def bbox_of(units: Iterable[Unit]) -> BBox:
    """The box around the units (the first of equal extremes, as min and max would take)."""
    it = iter(units)
    first = next(it)
    x0, top, x1, bottom = first.x0, first.top, first.x1, first.bottom
    for u in it:
        if u.x0 < x0:
            x0 = u.x0
        if u.top < top:
            top = u.top
        if u.x1 > x1:
            x1 = u.x1
        if u.bottom > bottom:
            bottom = u.bottom
    return (x0, top, x1, bottom)


def median(values: Sequence[float]) -> float:
    """statistics.median, without importing statistics (and with it random and hashlib) at start-up."""
    data = sorted(values)
    n = len(data)
    if n == 0:
        raise ValueError("median of no values")
    if n % 2 == 1:
        return data[n // 2]
    return (data[n // 2 - 1] + data[n // 2]) / 2


def lowest_confidence(units: Iterable[Unit]) -> float | None:
    """The lowest OCR confidence among the units (None for a text layer)."""
    values = [u.confidence for u in units if u.confidence is not None]
    return round(min(values), 4) if values else None
