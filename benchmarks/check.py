"""How long checking takes (a script that prints figures, not a test).

    python benchmarks/check.py [--runs 9] [--read-runs 3]

* Rules: milliseconds of ``registry.run`` alone (reading excluded) per document, for every seed and
  sample PDF; the median of ``--runs`` runs, each on a fresh deep copy of the Disclosure so that nothing
  is served from a per-document analysis cache (the copying is not timed). Target: under 50 ms.
* Read and check: for each sample PDF, what `cnbudget check` does per file (``api.check_file``:
  read, recognise, run the rules) against reading alone (``pipeline.read_disclosure``), both measured
  in this run, the median of ``--read-runs`` each, and their ratio.
* Start-up and the three ratios of issue 9 (``--ratios``, the default; ``--no-ratios`` skips them),
  each against a baseline measured in the same run:
  - a single-file `cnbudget check` process against a process doing a raw pypdfium2 text pass of the
    same PDF (interpreter start included in both; aim ≤ 3×), and beside it the floor: the same raw
    pass after importing the libraries the command line is built on (Typer, rich, pydantic);
  - in-process read + check (``api.check_file``) against the raw text pass in-process (aim ≤ 2.5×);
  - `cnbudget check -j 2` against `-j 1` over 50 files (seeds and sample PDFs repeated), and the peak
    memory of the `-j 1` process per document (50 files against 10).
  The measured processes run with byte-compiled modules, as an installed cnbudget does (pip compiles
  them): PYTHONDONTWRITEBYTECODE is dropped and PYTHONPYCACHEPREFIX points at a temporary folder that
  an unmeasured first run fills (``--no-bytecode`` measures with the environment as it is, where a
  set PYTHONDONTWRITEBYTECODE makes every start compile cnbudget's ~100 modules from source).
  The load average is printed with each figure: on a shared machine it moves every ratio.
"""

from __future__ import annotations

import argparse
import inspect
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cnbudget.api import check_file
from cnbudget.errors import InputError
from cnbudget.model import Disclosure
from cnbudget.pipeline import read_disclosure
from cnbudget.rules.registry import Config, run
from read_pdf import raw_text_pass  # benchmarks/ is on sys.path when a benchmark runs as a script

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


# the raw pass as its own process: only pypdfium2 is imported (the function is read_pdf.py's, not a copy)
RAW_PASS = "import sys\nimport pypdfium2 as pdfium\n\n" + inspect.getsource(raw_text_pass) + "\nraw_text_pass(sys.argv[1])\n"

# the floor of any `cnbudget check` process: the raw pass after importing the libraries the command line is
# built on (Typer, rich, pydantic — the project's chosen stack), and nothing of cnbudget
FLOOR_PASS = "import typer, typer.main, rich.console, pydantic, decimal\n" + RAW_PASS


# runs the cnbudget command line, then reports the process's peak RSS (KiB) on the last line of stderr
CHECK_PROCESS = """
import resource, sys
from cnbudget.cli import main
sys.argv = ["cnbudget", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


# the environment of every measured process (set by main: byte-compiled modules unless --no-bytecode)
PROCESS_ENV: dict[str, str] = dict(os.environ)


def bytecode_env(cache: str) -> dict[str, str]:
    """The environment with byte-compiled modules cached in ``cache``, as an installed package has them."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache
    return env


def load() -> str:
    """The 1-minute load average and the core count, printed beside each figure."""
    return f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def _process_ms(argv: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=PROCESS_ENV)
    return (time.perf_counter() - start) * 1000, done.stderr


def _check_argv(*args: str) -> list[str]:
    return [sys.executable, "-c", CHECK_PROCESS, "check", *args, "--exit-zero", "--format", "json", "-o", os.devnull]


def process_ratio(path: str, runs: int) -> tuple[float, float, float]:
    """Median ms of a raw-text-pass process, of the same pass after importing the command line's libraries
    (the floor), and of a `cnbudget check` process on one file, interleaved."""
    _process_ms([sys.executable, "-c", FLOOR_PASS, path])  # unmeasured: fills the bytecode cache
    _process_ms(_check_argv(path))
    raws, floors, checks = [], [], []
    for _ in range(runs):
        raws.append(_process_ms([sys.executable, "-c", RAW_PASS, path])[0])
        floors.append(_process_ms([sys.executable, "-c", FLOOR_PASS, path])[0])
        checks.append(_process_ms(_check_argv(path))[0])
    return statistics.median(raws), statistics.median(floors), statistics.median(checks)


def in_process_ratio(path: str, runs: int) -> tuple[float, float]:
    """Median ms of the raw text pass and of read + check in this process, interleaved."""
    config = Config()
    check_file(path, config)  # warm: imports, catalogs, declarations
    raws, checks = [], []
    for _ in range(runs):
        raws.append(_ms(lambda: raw_text_pass(path)))
        checks.append(_ms(lambda: check_file(path, config)))
    return statistics.median(raws), statistics.median(checks)


def _batch(files: list[Path], n: int, folder: Path) -> Path:
    """A folder of ``n`` links to the given files, repeated in turn."""
    folder.mkdir()
    for i in range(n):
        source = files[i % len(files)]
        (folder / f"{i:03d}_{source.name}").symlink_to(source)
    return folder


def _peak_mib(stderr: str) -> float:
    lines = stderr.strip().splitlines()
    return int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else float("nan")


def jobs_ratio(files: list[Path], n: int, runs: int) -> tuple[float, float, float]:
    """Median ms of `check -j 1` and `-j 2` over ``n`` files (interleaved), and MiB of peak memory per
    document of -j 1 (n files against 10)."""
    with tempfile.TemporaryDirectory() as tmp:
        many = _batch(files, n, Path(tmp) / "many")
        few = _batch(files, 10, Path(tmp) / "few")
        ones, twos = [], []
        for _ in range(runs):
            one_ms, one_err = _process_ms(_check_argv(str(many), "-j", "1"))
            two_ms, _ = _process_ms(_check_argv(str(many), "-j", "2"))
            ones.append(one_ms)
            twos.append(two_ms)
        _, few_err = _process_ms(_check_argv(str(few), "-j", "1"))
    per_doc = (_peak_mib(one_err) - _peak_mib(few_err)) / (n - 10)
    return statistics.median(ones), statistics.median(twos), per_doc


def heap_per_document(files: list[Path], n: int) -> float:
    """KiB of Python heap held per document after a batch of ``n`` checked and written (JSON) in this process."""
    import gc
    import itertools
    import tracemalloc

    from cnbudget.api import check_each
    from cnbudget.render.report import JsonWriter

    paths = [str(p) for p in itertools.islice(itertools.cycle(files), n)]
    writer = JsonWriter(Path(os.devnull))
    marks: dict[int, float] = {}
    tracemalloc.start()
    for i, c in enumerate(check_each(paths, Config()), 1):
        if c.report is not None:
            writer.add(c.report)
        if i in (len(files), n):  # after one round (caches warm) and at the end
            gc.collect()
            marks[i] = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    writer.close()
    return (marks[n] - marks[len(files)]) / (n - len(files)) / 1024


def ratios(seeds: list[Path], pdfs: list[Path], runs: int, jobs_runs: int) -> None:
    summary: list[str] = []
    print()
    print(f"single-file `cnbudget check` process against a raw pypdfium2 text-pass process, median of {runs} (aim ≤ 3×); {load()}")
    print("('floor': the raw pass after importing Typer, rich and pydantic — no process built on them is faster)")
    print(f"{'document':<44} {'raw ms':>9} {'floor ms':>9} {'check ms':>9} {'floor':>6} {'ratio':>6}")
    found, floors = [], []
    for path in pdfs:
        raw, floor, whole = process_ratio(str(path), runs)
        found.append(whole / raw)
        floors.append(floor / raw)
        print(f"{path.name:<44} {raw:9.1f} {floor:9.1f} {whole:9.1f} {floor / raw:6.2f} {whole / raw:6.2f}")
    summary.append(f"process      {min(found):.2f}–{max(found):.2f}×  (aim ≤ 3×; floor {min(floors):.2f}–{max(floors):.2f}×)  {load()}")
    print()
    print(f"in-process read + check against the raw text pass, median of {runs} (aim ≤ 2.5×); {load()}")
    print(f"{'document':<44} {'raw ms':>9} {'check ms':>9} {'ratio':>6}")
    found = []
    for path in pdfs:
        raw, whole = in_process_ratio(str(path), runs)
        found.append(whole / raw)
        print(f"{path.name:<44} {raw:9.1f} {whole:9.1f} {whole / raw:6.2f}")
    summary.append(f"in-process   {min(found):.2f}–{max(found):.2f}×  (aim ≤ 2.5×)  {load()}")
    print()
    n = 50
    one, two, per_doc = jobs_ratio([*seeds, *pdfs], n, jobs_runs)
    print(f"`cnbudget check` over {n} files, median of {jobs_runs}: -j 1 {one:.0f} ms, -j 2 {two:.0f} ms", end="")
    print(f", ratio -j2/-j1 {two / one:.2f}; {load()}")
    summary.append(f"-j 2 / -j 1  {two / one:.2f}   over {n} files  {load()}")
    print(f"peak memory of -j 1 grows by {per_doc:.2f} MiB per document ({n} files against 10)")
    heap = heap_per_document([*seeds, *pdfs], 40)
    print(f"Python heap held after each document checked and written as JSON: {heap:.2f} KiB per document (40 documents)")
    print()
    print("the three ratios of issue 9, each against a baseline measured in this run:")
    for line in summary:
        print("  " + line)


def tables(seeds: list[Path], pdfs: list[Path], runs: int, read_runs: int) -> None:
    """The rules table and the read-and-check table."""
    print(f"rules (registry.run), median of {runs} runs on a fresh copy; target under {TARGET_MS:.0f} ms per document")
    print(f"{'document':<44} {'tables':>6} {'findings':>8} {'rules ms':>9}")
    worst = 0.0
    for path in [*seeds, *pdfs]:
        try:
            d = read_disclosure(str(path))
        except InputError as exc:
            print(f"{path.name:<44} unreadable: {exc}")
            continue
        ms, count = rules_ms(d, runs)
        worst = max(worst, ms)
        print(f"{path.name:<44} {len(d.tables):6d} {count:8d} {ms:9.2f}")
    verdict = "within" if worst < TARGET_MS else "OVER"
    print(f"{'slowest document':<44} {'':>6} {'':>8} {worst:9.2f}  ({verdict} the {TARGET_MS:.0f} ms target)")

    if pdfs:
        print()
        print(f"read and check per sample PDF, median of {read_runs}: check_file (read + rules) against read_disclosure alone")
        print(f"{'document':<44} {'read ms':>9} {'check ms':>9} {'ratio':>6}")
        for path in pdfs:
            read, whole = read_and_check_ms(str(path), read_runs)
            print(f"{path.name:<44} {read:9.1f} {whole:9.1f} {whole / read:6.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="runs of the rules per document (median)")
    parser.add_argument("--read-runs", type=int, default=5, help="reads and read-and-checks per sample PDF (median)")
    parser.add_argument("--ratios", action=argparse.BooleanOptionalAction, default=True, help="start-up, in-process and -j ratios")
    parser.add_argument("--jobs-runs", type=int, default=1, help="runs of -j 1 and -j 2 over 50 files (median)")
    parser.add_argument("--only-ratios", action="store_true", help="skip the rules and read-and-check tables")
    parser.add_argument(
        "--bytecode", action=argparse.BooleanOptionalAction, default=True, help="measured processes use byte-compiled modules, as installed"
    )
    args = parser.parse_args()
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    pdfs = sorted((SHARED / "samples" / "pdf").glob("*.pdf"))
    if not seeds and not pdfs:
        print(f"no documents found in {SHARED}", file=sys.stderr)
        return 1

    if not args.only_ratios:
        tables(seeds, pdfs, args.runs, args.read_runs)
    if args.ratios and pdfs:
        with tempfile.TemporaryDirectory(prefix="cnbudget-bench-pyc-") as cache:
            if args.bytecode:
                PROCESS_ENV.clear()
                PROCESS_ENV.update(bytecode_env(cache))
            ratios(seeds, pdfs, args.read_runs, args.jobs_runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
