"""Fuzz cnbudget with N seeded mutations of the shared documents and print counts per outcome.

    python benchmarks/fuzz.py --count 100000 [--jobs 2] [--seed 0] [--seeds small|whole] [--only all|read|build]
                              [--timeout 20] [--memory-gb 2] [--ocr] [--results FILE] [--keep DIR]

Seeds: ``small`` (default) are cut from the real documents by benchmarks/fuzz_seeds.py — single PDF
pages, a cover plus a few tables of each converted text, the Disclosure JSON a few tables at a time,
the workbooks and the small reproducers — so an input takes tens of milliseconds; ``whole`` mutates the
whole documents (seconds each), as the first runs did. Input i uses seed ``--seed + i`` and the seed
``(--seed + i) % len(seeds)`` of the list; ``--seed N --count 1`` with the same --seeds and --only
reproduces input N.

Each input goes read → check → render (text, JSON, CSV, HTML, xlsx) — a workbook or a Disclosure JSON
goes the build path instead (``cnbudget build`` / ``build --from``: every format written). Persistent
worker processes take one input at a time as soon as they are free; each mutates its input itself
(tests/mutate.py, tests/mutate_pdf.py), runs it under an alarm of --timeout seconds of CPU time (the
machine is shared: wall time measures the neighbours) and an address space of --memory-gb.
Outcomes: ok (a result), refused (an InputError: one sentence, exit 2 for the user), crash (any other
exception), hang (the alarm, or no answer at all within --wall seconds: the worker is killed) and oom
(MemoryError, or the worker died). Every crash, hang and oom is printed with its seed and the frames
it happened in; with --keep the input is saved there. At the end the shared inputs' bytes are
compared with their digests taken at the start.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import select
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OUTCOMES = ("ok", "refused", "crash", "hang", "oom")
PROBLEMS = ("crash", "hang", "oom")
BUILD_SUFFIXES = (".xlsx", ".json")
STARTUP_SECONDS = 60.0
"""Seconds a fresh worker may take to import everything before its first answer counts."""
TIMER = signal.ITIMER_PROF
"""The per-input alarm counts the worker's CPU time (SIGPROF), not the wall clock."""


class Hang(Exception):
    """The alarm of --timeout seconds rang inside the worker."""


def _ring(_signum: int, _frame: object) -> None:
    raise Hang


def worker(memory_gb: float, ocr: bool, timeout: float, keep: str) -> None:
    """Read 'seed<TAB>source path' lines from stdin; mutate, run and answer one JSON line each."""
    limit = int(memory_gb * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.path.insert(0, str(ROOT))
    from tests.mutate import mutate_as
    from tests.test_fuzz import build_package, read_check_render

    from cnbudget.api import build  # noqa: F401  (warm the imports)
    from cnbudget.pipeline import read_disclosure  # noqa: F401

    if ocr:
        _ocr_always()
    signal.signal(signal.SIGPROF, _ring)
    for stopping in (signal.SIGINT, signal.SIGTERM):  # the parent stops the run; a ^C is not a crash of this input
        signal.signal(stopping, signal.SIG_IGN)
    answers = sys.stdout
    sys.stdout = sys.stderr  # whatever a library prints never mixes with the answers
    sources: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="cnbudget-fuzz-w-") as tmp:
        for line in sys.stdin:
            seed_text, source = line.rstrip("\n").split("\t", 1)
            seed = int(seed_text)
            if source not in sources:
                sources[source] = Path(source).read_bytes()
            suffix = Path(source).suffix
            started = time.monotonic()
            what, data = mutate_as(sources[source], seed, suffix)
            mutated, cpu_started = time.monotonic(), time.process_time()
            path = Path(tmp) / f"{seed}{suffix}"
            path.write_bytes(data)
            outcome, detail = "ok", ""
            signal.setitimer(TIMER, timeout)
            try:
                if suffix in BUILD_SUFFIXES:
                    with tempfile.TemporaryDirectory(prefix="out-", dir=tmp) as out:
                        outcome = build_package(path, Path(out))
                else:
                    outcome = read_check_render(path)
                signal.setitimer(TIMER, 0)
            except Hang as exc:
                outcome, detail = "hang", f"over {timeout:.0f} s of CPU{_where(exc)}"
            except MemoryError as exc:
                outcome, detail = "oom", f"MemoryError{_where(exc)}"
            except BaseException as exc:  # the point of fuzzing: every crash is counted and shown
                outcome, detail = "crash", f"{type(exc).__name__}: {str(exc)[:250]}{_where(exc)}"
            finally:
                signal.setitimer(TIMER, 0)
            seconds, cpu = time.monotonic() - mutated, time.process_time() - cpu_started
            if outcome in PROBLEMS and keep:
                Path(keep).mkdir(parents=True, exist_ok=True)
                (Path(keep) / path.name).write_bytes(data)
            path.unlink(missing_ok=True)
            answer = {"outcome": outcome, "detail": detail, "what": what, "seconds": seconds, "cpu": cpu, "mutate": mutated - started}
            answers.write(json.dumps(answer) + "\n")
            answers.flush()


def _where(exc: BaseException) -> str:
    """The innermost frames in cnbudget (or else the last one): where the problem happened."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/cnbudget/" in f.filename] or frames[-1:]
    return "".join(f" (at {Path(f.filename).name}:{f.lineno} {f.name})" for f in ours[-2:])


def _ocr_always() -> None:
    from cnbudget import pipeline

    original = pipeline.read_disclosure
    pipeline.read_disclosure = lambda p, ocr=True: original(p, ocr=True)  # type: ignore[assignment]


@dataclass
class Worker:
    args: argparse.Namespace
    proc: subprocess.Popen[str] = field(init=False)
    job: tuple[int, Path] | None = None
    sent: float = 0.0
    fresh: bool = True

    def __post_init__(self) -> None:
        self.start()

    def start(self) -> None:
        a = self.args
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "CNBUDGET_LANG": os.environ.get("CNBUDGET_LANG", "en")}
        cmd = [sys.executable, __file__, "--worker", "--memory-gb", str(a.memory_gb), "--timeout", str(a.timeout), "--keep", a.keep or ""]
        self.proc = subprocess.Popen(
            cmd + (["--ocr"] if a.ocr else []), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        )
        self.fresh = True

    def send(self, seed: int, source: Path) -> None:
        assert self.proc.stdin is not None
        self.job, self.sent = (seed, source), time.monotonic()
        try:
            self.proc.stdin.write(f"{seed}\t{source}\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass

    def overdue(self, now: float) -> bool:
        allowed = self.args.wall + (STARTUP_SECONDS if self.fresh else 0)
        return self.job is not None and now - self.sent > allowed

    def restart(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.start()


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_mutation: Counter[tuple[str, str]] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    slowest: list[tuple[float, int, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    last_seed: int = -1

    def add(self, seed: int, source: Path, answer: dict[str, Any]) -> None:
        outcome, what = str(answer["outcome"]), str(answer.get("what", "?"))
        self.last_seed = max(self.last_seed, seed)
        kind = f"{'build' if source.suffix in BUILD_SUFFIXES else 'read'} {source.suffix.lstrip('.')}"
        self.counts[outcome] += 1
        self.by_kind[(kind, outcome)] += 1
        for name in what.split("+"):
            self.by_mutation[(name, outcome)] += 1
        seconds = float(answer.get("seconds", 0.0))
        self.seconds[kind] = self.seconds.get(kind, 0.0) + seconds
        self.cpu[kind] = self.cpu.get(kind, 0.0) + float(answer.get("cpu", 0.0))
        self.slowest = sorted([*self.slowest, (seconds, seed, source.name, what)], reverse=True)[:8]
        if outcome in PROBLEMS:
            self.problems.append(f"{outcome}: seed {seed} ({source.name}, {what}): {answer.get('detail', '')}")
            print("  " + self.problems[-1], flush=True)


def _seeds(args: argparse.Namespace, folder: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    if args.seeds == "whole":
        from tests.mutate import build_corpus, corpus

        read = corpus(SHARED) if args.only != "build" else []
        return read + (build_corpus(SHARED, folder) if args.only != "read" else [])
    from fuzz_seeds import small_build_seeds, small_seeds

    read = small_seeds(SHARED, folder / "read") if args.only != "build" else []
    return read + (small_build_seeds(SHARED, folder / "build") if args.only != "read" else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0, help="first seed; input i uses seed + i")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--timeout", type=float, default=20.0, help="CPU seconds per input before it counts as a hang")
    parser.add_argument("--wall", type=float, default=300.0, help="wall seconds (mutating included) before a worker is killed as hung")
    parser.add_argument("--memory-gb", type=float, default=2.0, help="address space of one worker")
    parser.add_argument("--ocr", action="store_true", help="OCR image-only pages (slow; off by default)")
    parser.add_argument(
        "--only",
        choices=("all", "read", "build"),
        default="all",
        help="read inputs (texts, PDFs), build inputs (workbooks, Disclosure JSON) or both",
    )
    parser.add_argument("--seeds", choices=("small", "whole"), default="small", help="seeds cut from the documents, or the whole documents")
    parser.add_argument("--results", default="", help="append the summary (markdown) to this file")
    parser.add_argument("--keep", default="", help="folder where every crashing, hanging or oom input is saved")
    parser.add_argument("--progress", type=int, default=500, help="print counts every N inputs")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.memory_gb, args.ocr, args.timeout, args.keep)
        return

    made = tempfile.TemporaryDirectory(prefix="cnbudget-fuzz-seeds-")
    inputs = _seeds(args, Path(made.name))
    shared_inputs = [p for p in inputs if SHARED.resolve() in p.resolve().parents]
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in shared_inputs}
    print(
        f"{len(inputs)} seeds ({args.seeds}): " + ", ".join(f"{n} {s}" for s, n in sorted(Counter(p.suffix for p in inputs).items())),
        flush=True,
    )
    tally = Tally()
    workers = [Worker(args) for _ in range(max(1, args.jobs))]
    started = time.monotonic()
    next_i = done = 0
    stop: list[int] = []  # SIGTERM / SIGINT: stop handing out inputs, count those answered, print the summary
    signal.signal(signal.SIGTERM, lambda signum, _frame: stop.append(signum))
    signal.signal(signal.SIGINT, lambda signum, _frame: stop.append(signum))
    while done < args.count and not stop:
        for w in workers:
            if w.job is None and next_i < args.count and not stop:
                seed = args.seed + next_i
                w.send(seed, inputs[seed % len(inputs)])
                next_i += 1
        busy = {w.proc.stdout: w for w in workers if w.job is not None and w.proc.stdout is not None}
        ready, _, _ = select.select(list(busy), [], [], 1.0)
        now = time.monotonic()
        for w in [busy[r] for r in ready] + [w for w in workers if w.overdue(now) and w.proc.stdout not in ready]:
            assert w.job is not None and w.proc.stdout is not None
            seed, source = w.job
            if w.overdue(now) and w.proc.stdout not in ready:
                answer: dict[str, Any] = {"outcome": "hang", "detail": "no answer: the worker was killed", "what": "?"}
            else:
                line = w.proc.stdout.readline()
                answer = json.loads(line) if line else {"outcome": "oom", "detail": f"the worker died (exit {w.proc.wait()})", "what": "?"}
            if stop and answer["detail"].startswith("the worker died"):
                break  # killed with the run: this input was not answered and is not counted
            tally.add(seed, source, answer)
            w.job, w.fresh = None, False
            done += 1
            if answer["outcome"] in ("hang", "oom") or w.proc.poll() is not None:
                w.restart()
            if done % args.progress == 0:
                rate = done / (time.monotonic() - started)
                print(f"  {done:,} inputs, {rate:.1f}/s: " + ", ".join(f"{k} {tally.counts[k]}" for k in OUTCOMES), flush=True)
    for w in workers:
        w.proc.kill()
        w.proc.wait()
    unchanged = all(hashlib.sha256(p.read_bytes()).hexdigest() == d for p, d in digests.items())
    made.cleanup()
    summary = _summary(args, tally, time.monotonic() - started, unchanged, len(inputs), done)
    print(summary, flush=True)
    if args.results:
        with open(args.results, "a", encoding="utf-8") as f:
            f.write(summary + "\n")
    sys.exit(0 if unchanged and not any(tally.counts[p] for p in PROBLEMS) else 1)


def _summary(args: argparse.Namespace, tally: Tally, elapsed: float, unchanged: bool, seeds: int, done: int) -> str:
    """Markdown: counts per kind and outcome, per mutation and outcome, the slowest inputs, every problem."""
    last = tally.last_seed
    stopped = f" (stopped after {done:,} of {args.count:,})" if done < args.count else ""
    out = [
        f"### {done:,} inputs{stopped}, seeds {args.seed}–{last} (--seeds {args.seeds} --only {args.only}, {seeds} seed files, "
        f"--jobs {args.jobs}, --timeout {args.timeout:g} s of CPU, --memory-gb {args.memory_gb:g})",
        "",
        f"{elapsed:,.0f} s, {done / max(elapsed, 1e-9):.1f} inputs/s; {done / max(sum(tally.cpu.values()), 1e-9):.1f} inputs per "
        f"CPU-second of the workers (reading, checking, rendering; mutating not counted); "
        f"every shared input file unchanged: {'yes' if unchanged else 'NO'}",
        "",
        "| kind | inputs | " + " | ".join(OUTCOMES) + " | wall s/input | CPU s/input |",
        "|---|---:|" + "---:|" * len(OUTCOMES) + "---:|---:|",
    ]
    kinds = sorted({k for k, _ in tally.by_kind})
    for kind in kinds:
        n = sum(tally.by_kind[(kind, o)] for o in OUTCOMES)
        out.append(
            f"| {kind} | {n:,} | "
            + " | ".join(f"{tally.by_kind[(kind, o)]:,}" for o in OUTCOMES)
            + f" | {tally.seconds[kind] / n:.3f} | {tally.cpu.get(kind, 0.0) / n:.3f} |"
        )
    out.append(f"| **all** | {done:,} | " + " | ".join(f"{tally.counts[o]:,}" for o in OUTCOMES) + " | | |")
    out += ["", "| mutation | " + " | ".join(OUTCOMES) + " |", "|---|" + "---:|" * len(OUTCOMES)]
    for name in sorted({m for m, _ in tally.by_mutation}):
        out.append(f"| {name} | " + " | ".join(f"{tally.by_mutation[(name, o)]:,}" for o in OUTCOMES) + " |")
    out += ["", "Slowest inputs: " + "; ".join(f"seed {s} {src} ({w}) {sec:.1f} s" for sec, s, src, w in tally.slowest)]
    if tally.problems:
        out += ["", "Problems:", *(f"- {p}" for p in tally.problems)]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
