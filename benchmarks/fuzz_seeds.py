"""Small fuzz seeds cut from the real shared documents, so one mutated input takes tens of milliseconds.

A whole disclosure takes seconds to read, check and render; 100,000 of them take days. The damage the
fuzzer makes is local (a flipped byte, a huge figure, a broken font), so a single real page, a cover
plus a few tables of a converted text, a Disclosure JSON holding a few tables, reach the same code as
the whole document does. The whole documents stay available (``benchmarks/fuzz.py --seeds whole``).

    small_seeds(shared, folder)  ->  the read-path seeds (.pdf, .txt) written into folder
    small_build_seeds(shared, folder)  ->  the build-path seeds (.xlsx, .json) written into folder
"""

from __future__ import annotations

import json
import re
from pathlib import Path

PAGES_PER_PDF = 8
"""Single pages cut from each shared PDF, spread over the document (cover, tables, narrative, forms)."""
TEXT_WINDOW = 80
"""Lines of a converted text per seed, after the cover's lines (about two or three tables)."""
COVER_LINES = 12
TEXT_SEEDS_PER_FILE = 8
JSON_TABLES = 3
"""Standard tables kept in one small Disclosure JSON seed."""

_TABLE_TITLE = re.compile(r"表\s*$")


def _pdf_pages(pdf: Path, folder: Path) -> list[Path]:
    import pypdfium2 as pdfium

    out: list[Path] = []
    source = pdfium.PdfDocument(str(pdf))
    try:
        n = len(source)
        pages = sorted({round(i * (n - 1) / max(1, PAGES_PER_PDF - 1)) for i in range(min(n, PAGES_PER_PDF))})
        for page in pages:
            one = pdfium.PdfDocument.new()
            one.import_pages(source, [page])
            path = folder / f"{pdf.stem}.p{page + 1}.pdf"
            one.save(str(path))
            one.close()
            out.append(path)
        if n >= 2:  # two pages in a row: a table continued on the next page
            two = pdfium.PdfDocument.new()
            two.import_pages(source, [n // 2, n // 2 + 1] if n > 2 else [0, 1])
            path = folder / f"{pdf.stem}.p{n // 2 + 1}-{n // 2 + 2}.pdf"
            two.save(str(path))
            two.close()
            out.append(path)
    finally:
        source.close()
    return out


def _text_windows(text_file: Path, folder: Path) -> list[Path]:
    lines = text_file.read_text(encoding="utf-8", errors="surrogateescape").split("\n")
    cover, body = lines[:COVER_LINES], lines[COVER_LINES:]
    titles = [i for i, ln in enumerate(body) if _TABLE_TITLE.search(ln.strip()) and len(ln.strip()) < 60]
    starts = sorted({0, *titles[:: max(1, len(titles) // TEXT_SEEDS_PER_FILE)]})[:TEXT_SEEDS_PER_FILE]
    out: list[Path] = []
    for start in starts:
        window = cover + body[start : start + TEXT_WINDOW]
        path = folder / f"{text_file.stem}.l{start + COVER_LINES + 1}.txt"
        path.write_text("\n".join(window), encoding="utf-8", errors="surrogateescape")
        out.append(path)
    return out


def small_seeds(shared: Path, folder: Path) -> list[Path]:
    """Single pages of every shared PDF, windows of every converted text, the small reproducers."""
    folder.mkdir(parents=True, exist_ok=True)
    pdfs = sorted((shared / "samples" / "pdf").glob("*.pdf")) + sorted((shared / "samples" / "wild").glob("*.pdf"))
    texts = sorted((shared / "seeds").glob("*.txt")) + sorted((shared / "samples" / "wild").glob("*.txt"))
    repro = sorted(p for p in (shared / "fuzz-repro").glob("*") if p.suffix in (".txt", ".pdf") and p.stat().st_size < 200_000)
    seeds: list[Path] = []
    for pdf in pdfs:
        seeds += _pdf_pages(pdf, folder)
    for text in texts:
        seeds += _text_windows(text, folder)
    return seeds + repro


def _small_disclosures(disclosure_json: Path, folder: Path) -> list[Path]:
    """The Disclosure JSON cut to a few tables each (with the facts and sections that stay whole)."""
    root = json.loads(disclosure_json.read_text(encoding="utf-8"))
    tables = root.get("tables") or []
    out: list[Path] = []
    for start in range(0, len(tables), JSON_TABLES):
        small = {**root, "tables": tables[start : start + JSON_TABLES]}
        if start:  # the narrative once is enough: the rest carry tables and performance forms alone
            small = {**small, "sections": [], "facts": [], "performance": []}
        path = folder / f"{disclosure_json.stem}.t{start + 1}.json"
        path.write_text(json.dumps(small, ensure_ascii=False), encoding="utf-8")
        out.append(path)
    return out


def small_build_seeds(shared: Path, folder: Path) -> list[Path]:
    """The build-path corpus of tests/mutate.py plus its Disclosure JSON cut into small pieces."""
    from tests.mutate import build_corpus

    folder.mkdir(parents=True, exist_ok=True)
    inputs = build_corpus(shared, folder)
    made = [p for p in inputs if p.suffix == ".json" and folder in p.parents]
    small: list[Path] = []
    for disclosure in made:
        small += _small_disclosures(disclosure, folder)
    return inputs + small
