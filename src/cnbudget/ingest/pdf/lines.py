"""Visual lines from positioned characters (or OCR words): clustering, de-duplication, joining text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cnbudget.ingest.pdf.chars import Unit, is_wordish
from cnbudget.model import BBox

SPACE_GAP_EM = 0.15  # gap (in em) between Latin/digit tokens that reads as a space
COLUMN_GAP_EM = 1.5  # gap (in em) that reads as a space whatever the characters


def cluster_lines(units: Iterable[Unit]) -> list[list[Unit]]:
    """Group units into visual lines by vertical centre, each sorted left to right."""
    lines: list[list[Unit]] = []
    ref_mid = 0.0
    ref_size = 0.0
    for u in sorted(units, key=lambda u: u.mid):
        if lines and u.mid - ref_mid <= 0.45 * min(u.size, ref_size):
            lines[-1].append(u)
            n = len(lines[-1])
            ref_mid += (u.mid - ref_mid) / n
            ref_size = max(ref_size, u.size)
        else:
            lines.append([u])
            ref_mid, ref_size = u.mid, u.size
    out = []
    for line in lines:
        line.sort(key=lambda u: u.x0)
        out.append(_dedupe(line))
    return out


def _dedupe(line: list[Unit]) -> list[Unit]:
    """Drop characters drawn twice at almost the same place (a common way of faking bold)."""
    kept: list[Unit] = []
    for u in line:
        if kept:
            p = kept[-1]
            near = min(0.15 * u.size, 0.5 * (p.x1 - p.x0))
            if p.text == u.text and abs(p.x0 - u.x0) < near and abs(p.mid - u.mid) < 0.15 * u.size:
                continue
        kept.append(u)
    return kept


def line_text(line: Sequence[Unit]) -> str:
    """Join a line's units: no space in CJK text, one space for real gaps between Latin/digit tokens."""
    parts: list[str] = []
    prev: Unit | None = None
    for u in line:
        if prev is not None and parts:
            gap = u.x0 - prev.x1
            em = max(u.size, prev.size)
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
    us = list(units)
    return (min(u.x0 for u in us), min(u.top for u in us), max(u.x1 for u in us), max(u.bottom for u in us))


def lowest_confidence(units: Iterable[Unit]) -> float | None:
    """The lowest OCR confidence among the units (None for a text layer)."""
    values = [u.confidence for u in units if u.confidence is not None]
    return round(min(values), 4) if values else None
