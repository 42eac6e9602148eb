"""Fuzz cnbudget with N seeded mutations of the shared samples and print counts per outcome.

    python benchmarks/fuzz.py --count 5000 [--jobs 2] [--seed 0] [--timeout 60] [--memory-gb 3] [--ocr]

Each input goes read → check → render (text, JSON, CSV, HTML, xlsx) — a workbook or a Disclosure JSON
goes the build path instead (``cnbudget build`` / ``build --from``: every format written) — in a worker process limited to
--memory-gb of address space; a worker that does not answer within --timeout seconds is killed
(a hang) and one that dies or raises MemoryError is an oom. Outcomes: ok (a result), refused (an
InputError: one sentence, exit 2 for the user), crash, hang, oom. Every crash, hang and oom is
listed with its seed, which reproduces it: ``--seed N --count 1``. At the end the shared inputs'
bytes are compared with their digests taken at the start.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import select
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OUTCOMES = ("ok", "refused", "crash", "hang", "oom")
BY_KIND: dict[str, int] = {}  # 'read' / 'build' inputs and their outcomes


def worker(memory_gb: float, ocr: bool) -> None:
    """Read paths from stdin, one per line; answer one JSON line each."""
    limit = int(memory_gb * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.path.insert(0, str(ROOT))
    from tests.test_fuzz import build_package, read_check_render

    from cnbudget.pipeline import read_disclosure  # noqa: F401  (warm the imports)

    answers = sys.stdout
    sys.stdout = sys.stderr  # whatever a library prints never mixes with the answers
    for line in sys.stdin:
        path = Path(line.strip())
        try:
            if path.suffix in (".xlsx", ".json"):
                with tempfile.TemporaryDirectory(prefix="cnbudget-fuzz-build-") as out:
                    outcome, detail = build_package(path, Path(out)), ""
            else:
                outcome, detail = _run(read_check_render, path, ocr), ""
        except MemoryError:
            outcome, detail = "oom", "MemoryError"
        except Exception as exc:  # the point of fuzzing: every crash is counted and shown
            where = traceback.extract_tb(exc.__traceback__)[-1]
            at = f"{Path(where.filename).name}:{where.lineno} {where.name}"
            outcome, detail = "crash", f"{type(exc).__name__}: {str(exc)[:250]} (at {at})"
        answers.write(json.dumps({"outcome": outcome, "detail": detail}) + "\n")
        answers.flush()


def _run(read_check_render: object, path: Path, ocr: bool) -> str:
    if not ocr:
        return read_check_render(path)  # type: ignore[operator, no-any-return]
    from cnbudget import pipeline

    original = pipeline.read_disclosure
    pipeline.read_disclosure = lambda p, ocr=True: original(p, ocr=True)  # type: ignore[assignment]
    try:
        return read_check_render(path)  # type: ignore[operator, no-any-return]
    finally:
        pipeline.read_disclosure = original


class Worker:
    def __init__(self, memory_gb: float, ocr: bool) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        args = [sys.executable, __file__, "--worker", "--memory-gb", str(memory_gb)] + (["--ocr"] if ocr else [])
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()

    def alive(self) -> bool:
        return self.proc.poll() is None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0, help="first seed; input i uses seed + i")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per input before it counts as a hang")
    parser.add_argument("--memory-gb", type=float, default=3.0)
    parser.add_argument("--ocr", action="store_true", help="OCR image-only pages (slow; off by default)")
    parser.add_argument("--only", choices=("all", "read", "build"), default="all",
                        help="read inputs (texts, PDFs), build inputs (workbooks, Disclosure JSON) or both")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.memory_gb, args.ocr)
        return

    sys.path.insert(0, str(ROOT))
    from tests.mutate import build_corpus, corpus, mutate_as

    made = tempfile.TemporaryDirectory(prefix="cnbudget-fuzz-sources-")
    inputs = (corpus(SHARED) if args.only != "build" else []) + (build_corpus(SHARED, Path(made.name)) if args.only != "read" else [])
    shared_inputs = [p for p in inputs if SHARED in p.parents]
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in shared_inputs}
    originals = {p: p.read_bytes() for p in inputs}
    counts = dict.fromkeys(OUTCOMES, 0)
    problems: list[str] = []
    workers = [Worker(args.memory_gb, args.ocr) for _ in range(max(1, args.jobs))]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cnbudget-fuzz-") as tmp:
        pending: list[tuple[int, Path, str, Path]] = []
        for i in range(args.count):
            seed = args.seed + i
            source = inputs[seed % len(inputs)]
            what, data = mutate_as(originals[source], seed, source.suffix)
            path = Path(tmp) / f"{seed}{source.suffix}"
            path.write_bytes(data)
            pending.append((seed, source, what, path))
            if len(pending) == len(workers) or i == args.count - 1:
                _dispatch(pending, workers, args, counts, problems)
                pending = []
            if (i + 1) % 100 == 0:
                rate = (i + 1) / (time.monotonic() - started)
                print(f"  {i + 1:,} inputs, {rate:.1f}/s: " + ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True)
    for w in workers:
        w.kill()
    made.cleanup()
    unchanged = all(hashlib.sha256(p.read_bytes()).hexdigest() == d for p, d in digests.items())
    elapsed = time.monotonic() - started
    print(f"{args.count:,} inputs (seeds {args.seed}–{args.seed + args.count - 1}) in {elapsed:,.0f} s")
    for outcome in OUTCOMES:
        print(f"  {outcome:8} {counts[outcome]:,}")
    for kind in ("read", "build"):
        if BY_KIND.get(kind):
            print(f"  {kind} inputs {BY_KIND[kind]:,}: " + ", ".join(f"{o} {BY_KIND.get(f'{kind} {o}', 0):,}" for o in OUTCOMES))
    print(f"  every input file unchanged: {'yes' if unchanged else 'NO'}")
    sys.exit(0 if unchanged and not (counts["crash"] or counts["hang"] or counts["oom"]) else 1)


def _dispatch(
    batch: list[tuple[int, Path, str, Path]], workers: list[Worker], args: argparse.Namespace, counts: dict[str, int], problems: list[str]
) -> None:
    """Run one input per worker (in parallel), collect, restart any worker that was killed or died."""
    started = [(w, *item) for w, item in zip(workers, batch, strict=False)]
    # send one input to every worker, then read the answers: the workers run concurrently
    for w, _seed, _source, _what, path in started:
        assert w.proc.stdin is not None
        try:
            w.proc.stdin.write(f"{path}\n")
            w.proc.stdin.flush()
        except BrokenPipeError:
            pass
    for w, seed, source, what, path in started:
        outcome, detail = _answer(w, args.timeout)
        counts[outcome] += 1
        kind = "build" if source.suffix in (".xlsx", ".json") else "read"
        BY_KIND[kind] = BY_KIND.get(kind, 0) + 1
        BY_KIND[f"{kind} {outcome}"] = BY_KIND.get(f"{kind} {outcome}", 0) + 1
        if outcome in ("crash", "hang", "oom"):
            problems.append(f"{outcome}: seed {seed} ({source.name}, {what}): {detail}")
            print("  " + problems[-1], flush=True)
        if not w.alive() or outcome in ("hang", "oom"):
            w.kill()
            workers[workers.index(w)] = Worker(args.memory_gb, args.ocr)
        path.unlink(missing_ok=True)


def _answer(w: Worker, timeout: float) -> tuple[str, str]:
    assert w.proc.stdout is not None
    ready, _, _ = select.select([w.proc.stdout], [], [], timeout)
    if not ready:
        w.kill()
        return "hang", f"no answer in {timeout:.0f} s"
    line = w.proc.stdout.readline()
    if not line:
        code = w.proc.wait()
        return "oom", f"the worker died (exit {code})"
    answer = json.loads(line)
    return str(answer["outcome"]), str(answer["detail"])


if __name__ == "__main__":
    main()
