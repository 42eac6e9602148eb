"""Seconds to build one disclosure package from a filled workbook (seed 003's 决算 figures).

Prints the median of several runs of each step and of the whole build, and the ratio of the
whole build to writing the package's xlsx alone (measured in the same run). The CJK font subset
is made once per distinct set of characters and then cached in the temp folder: the first build
(cold) is shown separately. Run:
    python benchmarks/build.py
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from cnbudget.publish.build import build_disclosure, build_document, build_from_workbook, write_package
from cnbudget.publish.inputs import read_workbook
from test_publish_seed003 import fill_seed003

RUNS = 5


def _median(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        book = fill_seed003(root / "seed003.xlsx")
        cache = Path(tempfile.gettempdir()) / "cnbudget-fonts"
        shutil.rmtree(cache, ignore_errors=True)
        start = time.perf_counter()
        build_from_workbook(book, root / "cold")
        cold = time.perf_counter() - start
        data = read_workbook(book)
        d = build_disclosure(data)
        doc = build_document(d, data)
        steps: dict[str, Callable[[], object]] = {
            "read + check workbook": lambda: read_workbook(book),
            "compose tables + narrative": lambda: build_document(build_disclosure(data), data),
            "write json": lambda: write_package(d, doc, root / "s", ("json",)),
            "write xlsx": lambda: write_package(d, doc, root / "s", ("xlsx",)),
            "write docx": lambda: write_package(d, doc, root / "s", ("docx",)),
            "write pdf": lambda: write_package(d, doc, root / "s", ("pdf",)),
            "write html": lambda: write_package(d, doc, root / "s", ("html",)),
        }
        print(f"{'step':<30} {'median s':>9}")
        timings = {name: _median(fn) for name, fn in steps.items()}
        for name, seconds in timings.items():
            print(f"{name:<30} {seconds:9.3f}")
        whole = _median(lambda: build_from_workbook(book, root / "warm"))
        print(f"{'whole build (font cached)':<30} {whole:9.3f}  = {whole / timings['write xlsx']:.1f}x writing the xlsx alone")
        print(f"{'whole build (first, cold font)':<30} {cold:9.3f}  = {cold / timings['write xlsx']:.1f}x writing the xlsx alone")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
