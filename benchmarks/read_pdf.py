"""Speed and memory of cnbudget.ingest.pdf.read_pdf (a script that prints figures, not a test).

    python benchmarks/read_pdf.py [--repeat 5] [--pages 1000] [--ocr]

* Speed: for each sample PDF, the best of N reads with read_pdf, against the best of N raw-text
  passes with pypdfium2 (open, text of every page) over the same file in the same run.
* Memory: a long PDF made by importing the sample pages again and again (pypdfium2 import_pages)
  is read in a fresh subprocess; the child reports its peak RSS and the Python heap peak.
* --ocr: also time OCR of three table pages rendered to an image-only PDF.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pypdfium2 as pdfium

from cnbudget.ingest.pdf import read_pdf

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "pdf"


def raw_text_pass(path: str) -> int:
    """The floor: PDFium opens the file and extracts the text of every page, nothing else."""
    doc = pdfium.PdfDocument(path)
    chars = 0
    for i in range(len(doc)):
        page = doc[i]
        textpage = page.get_textpage()
        chars += len(textpage.get_text_range())
        textpage.close()
        page.close()
    doc.close()
    return chars


def best_of(repeat: int, fn: object, path: str) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(path)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def make_long_pdf(sources: list[Path], pages: int, out: str) -> None:
    """A PDF of ``pages`` pages: the samples' pages imported over and over."""
    dst = pdfium.PdfDocument.new()
    srcs = [pdfium.PdfDocument(str(p)) for p in sources]
    while len(dst) < pages:
        for src in srcs:
            take = min(len(src), pages - len(dst))
            if take <= 0:
                break
            dst.import_pages(src, list(range(take)))
    dst.save(out)
    dst.close()
    for src in srcs:
        src.close()


def child_measure(path: str, heap: bool) -> None:
    """Run in the subprocess: read once and print figures as JSON.

    Without ``heap``: wall time and peak RSS. With ``heap``: tracemalloc's peak and what the
    returned Layout keeps (tracemalloc slows Python down several times, so it is a separate run).
    """
    if heap:
        tracemalloc.start()
    start = time.perf_counter()
    layout = read_pdf(path)
    seconds = time.perf_counter() - start
    figures: dict[str, float] = {
        "pages": layout.page_count or 0,
        "blocks": len(layout.blocks),
        "cells": sum(len(row) for g in layout.grids() for row in g.rows),
    }
    if heap:
        current, peak = tracemalloc.get_traced_memory()
        figures |= {"heap_peak_mb": peak / 2**20, "heap_kept_mb": current / 2**20}
    else:
        rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        figures |= {"seconds": seconds, "maxrss_mb": rss_kb / 1024}
    print(json.dumps(figures))


def baseline_rss() -> float:
    """Peak RSS of a child that only imports cnbudget and pypdfium2 (the interpreter's floor)."""
    code = "import resource, pypdfium2, cnbudget.ingest.pdf; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def measure_in_child(path: str) -> dict[str, float]:
    result: dict[str, float] = {}
    for mode in ("--child", "--child-heap"):
        out = subprocess.run([sys.executable, __file__, mode, path], capture_output=True, text=True, check=True)
        result |= json.loads(out.stdout.strip().splitlines()[-1])
    return result


def bench_ocr(sample: Path) -> None:
    """Seconds per OCR page, against RapidOCR's own call with its defaults (detection, angle classification,
    recognition; a thread per core) on the same rendered pages in the same run."""
    import numpy as np
    from rapidocr_onnxruntime import RapidOCR

    from cnbudget.ingest.ocr import ocr_threads

    with tempfile.TemporaryDirectory() as tmp:
        doc = pdfium.PdfDocument(str(sample))
        images = [doc[i - 1].render(scale=200 / 72, grayscale=True).to_pil().convert("L") for i in (6, 8, 16)]
        doc.close()
        path = os.path.join(tmp, "scanned.pdf")
        images[0].save(path, "PDF", resolution=200, save_all=True, append_images=images[1:])
        start = time.perf_counter()
        layout = read_pdf(path, ocr=True)
        first = time.perf_counter() - start
        library = RapidOCR()
        arrays = [np.stack([np.asarray(im)] * 3, axis=-1) for im in images]
        library(arrays[0])  # warm
        ours, theirs = [], []
        for _ in range(2):
            start = time.perf_counter()
            read_pdf(path, ocr=True)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            for array in arrays:
                library(array)
            theirs.append(time.perf_counter() - start)
        second, baseline = min(ours), min(theirs)
        print(
            f"\nOCR, 3 image-only table pages (200 dpi, ONNX Runtime threads {ocr_threads()}, -1: its default): {first:.2f} s first read "
            f"(loads the models), {second:.2f} s warm = {second / 3:.2f} s/page (aim ≤ 1.5); RapidOCR's own call with "
            f"its defaults on the same pages {baseline / 3:.2f} s/page, ratio {second / baseline:.2f}; OCR pages {layout.ocr_pages}; "
            f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--ocr", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-heap", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child or args.child_heap:
        child_measure(args.child or args.child_heap, heap=bool(args.child_heap))
        return

    samples = sorted(SAMPLES.glob("*.pdf"))
    if not samples:
        sys.exit(f"no sample PDFs in {SAMPLES}")
    read_pdf(str(samples[0]))  # warm imports and caches once
    print(f"Speed (best of {args.repeat}); raw = pypdfium2 open + text of every page, same file, same run")
    print(f"{'file':46} {'pages':>5} {'read_pdf s':>11} {'ms/page':>8} {'raw s':>8} {'ratio':>6}")
    total_read = total_raw = 0.0
    for path in samples:
        pages = len(pdfium.PdfDocument(str(path)))
        read_s = best_of(args.repeat, read_pdf, str(path))
        raw_s = best_of(args.repeat, raw_text_pass, str(path))
        total_read += read_s
        total_raw += raw_s
        print(f"{path.name:46} {pages:>5} {read_s:>11.3f} {1000 * read_s / pages:>8.1f} {raw_s:>8.3f} {read_s / raw_s:>6.1f}")
    print(f"{'all samples':46} {'':>5} {total_read:>11.3f} {'':>8} {total_raw:>8.3f} {total_read / total_raw:>6.1f}")

    print(
        f"\nMemory: long PDFs built from the sample pages, each read in a fresh subprocess "
        f"(interpreter + imports alone: {baseline_rss():.0f} MB peak RSS)"
    )
    print(f"{'pages':>6} {'seconds':>8} {'peak RSS MB':>12} {'heap peak MB':>13} {'Layout kept MB':>15} {'blocks':>7} {'cells':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for pages in sorted({max(args.pages // 10, 1), args.pages}):
            long_path = os.path.join(tmp, f"long-{pages}.pdf")
            make_long_pdf(samples, pages, long_path)
            m = measure_in_child(long_path)
            print(
                f"{int(m['pages']):>6} {m['seconds']:>8.2f} {m['maxrss_mb']:>12.0f} {m['heap_peak_mb']:>13.1f} "
                f"{m['heap_kept_mb']:>15.1f} {int(m['blocks']):>7} {int(m['cells']):>8}"
            )
    print("Heap peak minus Layout kept = the reader's working memory (Python side); the Layout itself")
    print("is the output and grows with the document. Peak RSS includes PDFium's caches, bounded by")
    print("reopening the document every 100 pages.")

    if args.ocr:
        bench_ocr(samples[0])


if __name__ == "__main__":
    main()
