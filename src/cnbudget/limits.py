"""Every limit on what cnbudget reads, and the one Decimal context it computes in.

A real disclosure is a few hundred pages, a few thousand cells per table, amounts below 10^15 元.
Input beyond these limits is not a disclosure we could read faithfully: it is refused with one
sentence (InputError, exit 2) or, for a single printed figure, kept as unreadable text that no
rule computes with. The limits are far above any real document, so good input never meets them.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

# --- numbers ------------------------------------------------------------------------------------

MAX_AMOUNT_DIGITS = 24
"""Integer digits of a printed figure we compute with (a national budget has 14; codes up to 21)."""
MAX_AMOUNT_PLACES = 10
"""Decimal places of a printed figure we compute with (disclosures print 0–4)."""
DECIMAL_PRECISION = 60
"""Significant digits of every computation: the largest figure (24 + 10 digits) scaled by 10^4 and
divided still fits, so no rule ever rounds or overflows inside the arithmetic."""

# --- any input file ------------------------------------------------------------------------------

MAX_FILE_BYTES = 512 * 1024 * 1024
"""Bytes of one input file (a disclosure is a few MB)."""

# --- text files ---------------------------------------------------------------------------------

MAX_LINE_CHARS = 20_000
"""Characters of one line of a converted text (a long paragraph is ~2,000)."""
MAX_SENTENCE_CHARS = 5_000
"""Characters of one narrative sentence whose figures are read (the longest in the samples has 259; every
fact keeps its sentence, so a run-on 'sentence' of 300,000 characters made gigabytes of facts)."""
MAX_TEXT_CHARS = 8_000_000
"""Characters of one converted text (a 300-page disclosure is ~600,000)."""

# --- tables (any reader) ------------------------------------------------------------------------

MAX_GRID_COLUMNS = 200
"""Columns of one table grid (the widest standard table has ~40)."""
MAX_GRID_CELLS = 200_000
"""Cells of one table grid."""
MAX_HEADER_ROWS = 20
"""Rows of a table header searched for a 合计 on its last line (a printed header has at most ~6)."""

# --- PDF ----------------------------------------------------------------------------------------

MAX_PAGES = 3_000
"""Pages of one PDF."""
MAX_PAGE_OBJECTS = 40_000
"""Page objects (text, paths, images) on one PDF page (a dense table page has ~6,000)."""
MAX_OCR_PIXELS = 40_000_000
"""Pixels of one page image rendered for OCR, both sides counted (an A3 page at 300 dpi is ~17 M)."""
MAX_OCR_ASPECT = 10
"""Long side over short side of a page OCR reads (a page is ~1.4; the text detector scales the short
side up, so a thin strip becomes an image of gigabytes)."""

# --- Word, Excel and web pages (ingest/docx.py, xlsx.py, html.py) ----------------------------------

MAX_MARKUP_DEPTH = 400
"""Nesting depth of the elements of a web page (a real page nests ~30 deep); deeper is refused."""
MAX_MARKUP_ELEMENTS = 1_000_000
"""Elements of one web page, or table cells of one Word document (a 300-page disclosure has ~100,000);
a worksheet holds at most MAX_GRID_CELLS filled or bordered cells."""

# --- workbooks ----------------------------------------------------------------------------------

MAX_WORKBOOK_ROWS = 50_000
"""Rows of one worksheet (the 功能分类 sheet of a large department has ~1,000)."""
MAX_WORKBOOK_COLUMNS = 1_000
"""Columns of one worksheet."""
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
"""Decompressed size of a workbook (a filled template is ~1 MB)."""
MAX_ZIP_RATIO = 100
"""Decompressed size over compressed size of one workbook member (a zip bomb is thousands)."""
MAX_NAME_CHARS = 80
"""Characters of a workbook value used in an output file name."""


def _set_context() -> None:
    for context in (decimal.DefaultContext, decimal.getcontext()):
        context.prec = DECIMAL_PRECISION
        context.rounding = decimal.ROUND_HALF_EVEN


_set_context()


def computable(value: Decimal) -> bool:
    """True for a finite figure within the digit limits: one we compute with."""
    if not value.is_finite():
        return False
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    places = max(0, -exponent)
    integer_digits = max(0, len(digits) + exponent)
    return places <= MAX_AMOUNT_PLACES and integer_digits <= MAX_AMOUNT_DIGITS


def to_decimal(text: str) -> Decimal | None:
    """A plain decimal numeral ('94', '-1.5') as a computable Decimal; None for anything else."""
    t = text.strip()
    if not t or len(t) > MAX_AMOUNT_DIGITS + MAX_AMOUNT_PLACES + 2 or not all(ch in "0123456789.-+" for ch in t):
        return None
    try:
        value = Decimal(t)
    except decimal.InvalidOperation:
        return None
    return value if computable(value) else None
