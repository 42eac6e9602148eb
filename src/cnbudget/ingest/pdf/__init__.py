"""Read a PDF disclosure into a Layout: text lines and ruled table grids, page by page.

Everything is read with PDFium (pypdfium2): its text pass is 20-40x faster than pdfminer's, and it
gives each character's true baseline, which keeps numbers in a different font on their line. Tables
are found from the page's ruling lines (stroked paths or thin filled rectangles, also inside form
XObjects); characters are placed in the table cells by their centre. Pages without a text layer are
handed to OCR (ocr.py), whose words and detected ruling lines go through the same line and grid code.

Conventions of the output (the contract with recognize/):

* Lines: one per visual line outside tables, top to bottom. CJK characters are joined without
  spaces; a single space is kept only between two Latin/digit tokens with a visible gap, or where
  the gap is a column gap (more than 1.5 em).
* Grids: rows of Cells over the table's elementary rows and columns (after dropping edges no cell
  starts at, and rows with no text). A merged cell's text sits at its top-left anchor, which carries
  colspan/rowspan; the positions it covers are empty Cells.
* A header row whose printed geometry puts 类/款/项 above a 合计 data row in one ruled row is split
  into two rows (see ``grids._split_header_total_rows``).
* A grid that continues the previous page's last grid (first block on its page, nothing but page
  numbers between, same column edges) gets ``continued=True``; grids are never merged here.
* Line.line / Grid.line count visual rows on the page: each Line is one, each grid row is one, and
  Cell.line is the grid's line plus the cell's row index.

Modules, each importing only those before it: calls (PDFium per-character calls), chars, lines,
ruling, frames, grids, blocks, image_text, page, document (``read_pdf``).
"""

from cnbudget.ingest.pdf.document import read_pdf

__all__ = ["read_pdf"]
