"""Corpus ingest speed: documents per second with -j 1, -j 2 and --engine ray, and peak memory.

Makes a synthetic corpus of N distinct disclosures with the project's own build (seed 003's 决算 re-printed
as PDF, with the department, the year and every amount varied per document), then ingests it into a
fresh SQLite database three ways, each in its own process, and prints documents per second, the
speed-up over -j 1 measured in the same run, and each run's peak resident memory (the ingest process
and the workers it reaped; Ray's own processes are not counted). Building the PDFs takes a few seconds each; the corpus is kept in
--keep DIR when given, and reused from there. Last, it projects the time a province's corpus (20,000
disclosures) takes at the measured -j 2 rate against issue 12's aims (under 20 minutes on 2 cores; -j 2
at least 1.7x -j 1), and says plainly whether they are met. Run:
    python benchmarks/corpus.py [--n 8] [--keep DIR] [--no-ray]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from cnbudget.model import Amount, Disclosure, Row
from cnbudget.pipeline import read_disclosure
from cnbudget.publish.build import build_document, write_package

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "003_35d32641a4df889b.txt"
PROVINCE = 20_000  # disclosures a province's 区财政局s receive in a year (issue 12)
AIM_MINUTES = 20  # issue 12's aim for them on a 2-core machine
AIM_SPEEDUP = 1.7  # -j 2 over -j 1 on an idle machine


def _scaled(amount: Amount, factor: Decimal) -> Amount:
    quantum = Decimal(1).scaleb(-amount.places)
    value = (amount.value * factor).quantize(quantum, rounding=ROUND_HALF_UP)
    return amount.model_copy(update={"value": value, "printed": f"{value:,.{amount.places}f}"})


def varied(d: Disclosure, i: int) -> Disclosure:
    """Document i: department i//2, year 2020 + i%2, every amount scaled by a factor of its own."""
    factor = Decimal(100 + (i * 7) % 23) / 100
    tables = []
    for t in d.tables:
        rows: list[Row] = []
        for r in t.rows:
            values = [
                v.model_copy(update={"amount": _scaled(v.amount, factor), "text": _scaled(v.amount, factor).printed}) if v.amount else v
                for v in r.values
            ]
            rows.append(r.model_copy(update={"values": values}))
        tables.append(t.model_copy(update={"rows": rows}))
    meta = d.meta.model_copy(update={"department": f"基准区第{i // 2 + 1}局", "region": "基准区", "year": 2020 + i % 2})
    return d.model_copy(update={"meta": meta, "tables": tables, "facts": []})


def make_corpus(n: int, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    have = sorted(folder.glob("*/*.pdf"))
    if len(have) >= n:
        return have[:n]
    base = read_disclosure(str(SEED))
    for i in range(len(have), n):
        d = varied(base, i)
        write_package(d, build_document(d), folder / f"{i:05d}", ("pdf",))
    return sorted(folder.glob("*/*.pdf"))[:n]


def run_ingest(args: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one `cnbudget ingest` process."""
    start = time.perf_counter()
    command = [sys.executable, "-c", "from cnbudget.cli import app; app()", "ingest", *args]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"ingest {' '.join(args)} failed (status {status})")
    return seconds, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=8)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--no-ray", action="store_true")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cnbudget-corpus-bench-") as tmp:
        root = Path(tmp)
        folder = opts.keep or root / "corpus"
        start = time.perf_counter()
        files = make_corpus(opts.n, folder)
        print(f"corpus: {len(files)} disclosures in {folder} ({time.perf_counter() - start:.1f} s to build)")
        load = os.getloadavg()[0]
        shared = " (a shared machine: rates are low)" if load > 1 else ""
        print(f"load average before the runs: {load:.1f} on {os.cpu_count()} CPUs{shared}")
        runs = [("-j 1", ["-j", "1"]), ("-j 2", ["-j", "2"])]
        if not opts.no_ray:
            runs.append(("--engine ray -j 2", ["--engine", "ray", "-j", "2"]))
        print(f"{'run':<20} {'seconds':>8} {'docs/s':>8} {'vs -j 1':>8} {'peak MB':>8}")
        base = 0.0
        rates: dict[str, float] = {}
        for name, extra in runs:
            db = root / f"{name.replace(' ', '_')}.db"
            seconds, peak = run_ingest([str(folder), "--db", str(db), *extra])
            base = base or seconds
            rates[name] = len(files) / seconds
            print(f"{name:<20} {seconds:8.1f} {len(files) / seconds:8.2f} {base / seconds:7.2f}x {peak:8.0f}")
        print(projection(rates["-j 1"], rates["-j 2"]))
    return 0


def projection(rate_1: float, rate_2: float) -> str:
    """The time PROVINCE disclosures take at the -j 2 rate, against the aims, in plain words."""
    minutes = PROVINCE / rate_2 / 60
    needed = PROVINCE / (AIM_MINUTES * 60)
    speedup = rate_2 / rate_1
    verdict = "met" if minutes <= AIM_MINUTES else f"NOT met: {minutes / AIM_MINUTES:.1f}x too slow"
    lines = [
        f"projected for {PROVINCE:,} disclosures at the -j 2 rate ({rate_2:.2f} docs/s): "
        f"{minutes:,.0f} min ({minutes / 60:.1f} h); aim under {AIM_MINUTES} min on 2 cores ({needed:.1f} docs/s): {verdict}",
        f"-j 2 speed-up over -j 1: {speedup:.2f}x; aim at least {AIM_SPEEDUP}x on an idle machine: "
        + ("met" if speedup >= AIM_SPEEDUP else "NOT met (a shared machine lowers it)"),
    ]
    if minutes > AIM_MINUTES:
        cores = 2 * needed / rate_2
        lines.append(f"at this rate per 2 cores, {AIM_MINUTES} min for {PROVINCE:,} needs about {cores:.0f} cores (--engine ray --address)")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
