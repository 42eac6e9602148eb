"""Milliseconds to read each converted seed into a Disclosure (reader + recognition).

Prints, per seed, the median of several runs, and the ratio to a baseline measured in the same
run: splitting the same file into lines (the least any reader must do). Run:
    python benchmarks/read_text.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from cnbudget.api import read as read_disclosure

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
RUNS = 7


def _median_ms(fn: object, path: Path) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn(path)  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _baseline(path: Path) -> None:
    path.read_text(encoding="utf-8").splitlines()


def _read(path: Path) -> None:
    read_disclosure(str(path))


def main() -> int:
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        print(f"no seeds found in {SEEDS}", file=sys.stderr)
        return 1
    read_disclosure(str(files[0]))  # warm imports and spec loading
    print(f"{'seed':<28} {'KB':>6} {'read ms':>9} {'split ms':>9} {'ratio':>7}")
    total = 0.0
    for path in files:
        ms = _median_ms(_read, path)
        base = _median_ms(_baseline, path)
        total += ms
        print(f"{path.name:<28} {path.stat().st_size / 1024:6.1f} {ms:9.2f} {base:9.3f} {ms / base:7.0f}x")
    print(f"{'mean per document':<28} {'':>6} {total / len(files):9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
