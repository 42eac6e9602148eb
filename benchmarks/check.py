"""How long checking takes (a script that prints figures, not a test).

    python benchmarks/check.py [--runs 9] [--read-runs 3]

* Rules: milliseconds of ``registry.run`` alone (reading excluded) per document, for every seed and
  sample PDF; the median of ``--runs`` runs, each on a fresh deep copy of the Disclosure so that nothing
  is served from a per-document analysis cache (the copying is not timed). Target: under 50 ms.
* Read and check: for each sample PDF, what `cnbudget check` does per file (``api.check_file``:
  read, recognise, run the rules) against reading alone (``pipeline.read_disclosure``), both measured
  in this run, the median of ``--read-runs`` each, and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from cnbudget.api import check_file
from cnbudget.errors import InputError
from cnbudget.model import Disclosure
from cnbudget.pipeline import read_disclosure
from cnbudget.rules.registry import Config, run

SHARED = Path(__file__).resolve().parents[2] / "shared"
TARGET_MS = 50.0


def rules_ms(d: Disclosure, runs: int) -> tuple[float, int]:
    """Median ms of registry.run over fresh copies of ``d``, and the number of findings."""
    run(d)  # warm catalogs and declarations
    times = []
    count = 0
    for _ in range(runs):
        copy = d.model_copy(deep=True)
        start = time.perf_counter()
        count = len(run(copy))
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), count


def _ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def read_and_check_ms(path: str, runs: int) -> tuple[float, float]:
    """Median ms of reading alone and of check_file, interleaved so that both see the same machine load."""
    config = Config()
    reads, checks = [], []
    for _ in range(runs):
        reads.append(_ms(lambda: read_disclosure(path)))
        checks.append(_ms(lambda: check_file(path, config)))
    return statistics.median(reads), statistics.median(checks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="runs of the rules per document (median)")
    parser.add_argument("--read-runs", type=int, default=5, help="reads and read-and-checks per sample PDF (median)")
    args = parser.parse_args()
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    pdfs = sorted((SHARED / "samples" / "pdf").glob("*.pdf"))
    if not seeds and not pdfs:
        print(f"no documents found in {SHARED}", file=sys.stderr)
        return 1

    print(f"rules (registry.run), median of {args.runs} runs on a fresh copy; target under {TARGET_MS:.0f} ms per document")
    print(f"{'document':<44} {'tables':>6} {'findings':>8} {'rules ms':>9}")
    worst = 0.0
    for path in [*seeds, *pdfs]:
        try:
            d = read_disclosure(str(path))
        except InputError as exc:
            print(f"{path.name:<44} unreadable: {exc}")
            continue
        ms, count = rules_ms(d, args.runs)
        worst = max(worst, ms)
        print(f"{path.name:<44} {len(d.tables):6d} {count:8d} {ms:9.2f}")
    verdict = "within" if worst < TARGET_MS else "OVER"
    print(f"{'slowest document':<44} {'':>6} {'':>8} {worst:9.2f}  ({verdict} the {TARGET_MS:.0f} ms target)")

    if pdfs:
        print()
        print(f"read and check per sample PDF, median of {args.read_runs}: check_file (read + rules) against read_disclosure alone")
        print(f"{'document':<44} {'read ms':>9} {'check ms':>9} {'ratio':>6}")
        for path in pdfs:
            read, whole = read_and_check_ms(str(path), args.read_runs)
            print(f"{path.name:<44} {read:9.1f} {whole:9.1f} {whole / read:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
