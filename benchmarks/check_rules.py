"""Milliseconds to run every rule over one Disclosure (reading excluded), per document.

The target is well under 50 ms per document. Each run checks a fresh copy of the Disclosure, so
nothing is served from the per-document analysis cache. Run:
    python benchmarks/check_rules.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from cnbudget.errors import InputError
from cnbudget.model import Disclosure
from cnbudget.pipeline import read_disclosure
from cnbudget.rules.registry import run

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
RUNS = 9


def _median_ms(d: Disclosure) -> tuple[float, int]:
    times = []
    count = 0
    for _ in range(RUNS):
        copy = d.model_copy(deep=True)
        start = time.perf_counter()
        count = len(run(copy))
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), count


def main() -> int:
    files = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "samples" / "pdf").glob("*.pdf"))
    if not files:
        print(f"no documents found in {SHARED}", file=sys.stderr)
        return 1
    print(f"{'document':<44} {'tables':>6} {'findings':>8} {'rules ms':>9}")
    worst = 0.0
    for path in files:
        try:
            d = read_disclosure(str(path))
        except InputError as exc:
            print(f"{path.name:<44} unreadable: {exc}")
            continue
        run(d)  # warm catalogs and declarations
        ms, count = _median_ms(d)
        worst = max(worst, ms)
        print(f"{path.name:<44} {len(d.tables):6d} {count:8d} {ms:9.2f}")
    print(f"{'slowest document':<44} {'':>6} {'':>8} {worst:9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
