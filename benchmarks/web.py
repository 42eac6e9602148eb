"""How fast the web application answers over a corpus of 500 documents (a script that prints figures, not a test).

    python benchmarks/web.py [--n 500] [--requests 40] [--uploads 20] [--keep DIR]

* Corpus: a few real documents of ../shared (the five seeds and a sample PDF) are read and checked once
  (``corpus.reading.read_and_check``), then stored ``--n`` times with ``corpus.store.store`` under
  synthetic departments and years: real values and findings, synthetic identities.
* Pages: `cnbudget serve` runs as its own process (as in production, so the client does not share its
  interpreter); a signed-in client asks ``--requests`` times for the ledger page (all 500 entries), the
  ledger API, a document page and its API twin when they exist, and — the baseline measured in the same
  run — ``/api/health``. Printed: median and p95 in milliseconds and the ratio of the median to the
  baseline's. Aim: under 200 ms each.
* Uploads per minute: ``--uploads`` small real files (the seeds, each made distinct by a trailing blank line)
  sent to ``/api/uploads`` one by one, then waited for until every job is done; files per minute from the
  first send to the last job done. Skipped, with the reason, when the application has no upload route.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import httpx

from cnbudget.corpus.db import open_corpus
from cnbudget.corpus.reading import ReadResult, read_and_check
from cnbudget.corpus.store import store
from cnbudget.rules.registry import Config
from cnbudget.web import auth

SHARED = Path(__file__).resolve().parents[2] / "shared"
SOURCES = [*sorted((SHARED / "seeds").glob("*.txt")), SHARED / "samples" / "pdf" / "putuo-finance-bureau-2024-final.pdf"]
NAME, PASSWORD = "基准审核员", "bench-pass-1"
CLI = [sys.executable, "-c", "from cnbudget.cli import main; main()"]


def read_sources() -> list[ReadResult]:
    """Each real document read and checked once."""
    out = []
    for path in SOURCES:
        body = path.read_bytes()
        read = read_and_check(str(path), hashlib.sha256(body).hexdigest(), len(body), Config())
        if read.error:
            raise SystemExit(f"{path.name}: {read.error}")
        out.append(read)
    return out


def build_corpus(db: str, n: int) -> float:
    """``n`` documents stored from the real reads, each under a department and year of its own; seconds taken."""
    start = time.perf_counter()
    reads = read_sources()
    factory = open_corpus(db)
    with factory() as session:
        for i in range(n):
            base = reads[i % len(reads)]
            meta = base.meta.model_copy(update={"department": f"基准区第{i // 4 + 1:03d}局", "region": "基准区", "year": 2020 + i % 4})
            sha = hashlib.sha256(f"{base.sha256}:{i}".encode()).hexdigest()
            outcome = store(session, replace(base, meta=meta, sha256=sha, path=f"bench/{i:04d}-{Path(base.path).name}"))
            if outcome.status != "new":
                raise SystemExit(f"document {i} was not stored as new: {outcome.status} {outcome.error}")
        auth.add_user(session, NAME, "reviewer", PASSWORD)
        session.commit()
    return time.perf_counter() - start


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(db: str, data: Path, port: int) -> subprocess.Popen[bytes]:
    command = [*CLI, "serve", "--db", db, "--data", str(data), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"cnbudget serve stopped with status {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("cnbudget serve did not answer /api/health in 90 s")


def timings(get: Callable[[], httpx.Response], requests: int) -> tuple[float, float]:
    """(median, p95) in milliseconds of ``requests`` calls after two warm-up calls; each must answer 200."""
    for _ in range(2):
        get().raise_for_status()
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = get()
        times.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def pages(client: httpx.Client, requests: int) -> None:
    ledger = client.get("/api/ledger").json()
    document = ledger[len(ledger) // 2]["document_id"]  # a document in the middle of the corpus
    candidates = [
        ("/api/health (baseline)", "/api/health"),
        ("ledger page /", "/"),
        ("ledger API /api/ledger", "/api/ledger"),
        ("document page", f"/documents/{document}"),
        ("document API", f"/api/documents/{document}"),
    ]
    print(f"load average before timing: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work on the machine widens p95)")
    print(f"{'request':<28} {'median ms':>10} {'p95 ms':>10} {'vs health':>10}")
    base = 0.0
    for label, path in candidates:
        if client.get(path).status_code == 404:
            print(f"{label:<28} {'not measured: ' + path + ' is not a route of this application yet':>10}")
            continue
        median, p95 = timings(lambda path=path: client.get(path), requests)
        base = base or median
        verdict = "" if label.startswith("/api/health") else ("  ok (< 200 ms)" if p95 < 200 else "  SLOW (aim: < 200 ms)")
        print(f"{label:<28} {median:10.1f} {p95:10.1f} {median / base:9.1f}x{verdict}")


def uploads(client: httpx.Client, csrf: str, count: int, folder: Path) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    if "/api/uploads" not in paths:
        print("uploads per minute: not measured — the application has no /api/uploads route yet")
        return
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    files = []
    run = int(time.time()) % 100 * count  # a kept corpus has this run's files as new, not as already seen
    for i in range(count):
        path = folder / f"upload-{i:03d}.txt"
        path.write_bytes(seeds[i % len(seeds)].read_bytes() + b"\n" * (run + i + 1))  # distinct content, same document
        files.append(path)
    start = time.perf_counter()
    jobs: list[int] = []
    for path in files:
        with path.open("rb") as f:
            r = client.post("/api/uploads", files={"files": (path.name, f, "text/plain")}, headers={"X-CSRF-Token": csrf})
        r.raise_for_status()
        jobs += [int(j["id"]) for j in r.json().get("jobs", [])]
    sent = time.perf_counter() - start
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        states = [client.get(f"/api/jobs/{j}").json().get("status") for j in jobs]
        if all(s in ("done", "failed") for s in states):
            break
        time.sleep(0.5)
    else:
        raise SystemExit("uploads were not all checked within 10 minutes")
    total = time.perf_counter() - start
    results = Counter(str(client.get(f"/api/jobs/{j}").json().get("result") or "failed") for j in jobs)
    rate = 60 * count / total
    outcome = ", ".join(f"{n} {what}" for what, n in sorted(results.items()))
    print(f"uploads: {count} files sent in {sent:.1f} s, all checked in {total:.1f} s: {rate:.1f} files per minute ({outcome})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="build the corpus here (kept; reused when its database exists)")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cnbudget-web-bench-") as tmp:
        folder = opts.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = str(folder / "corpus.db")
        if not os.path.exists(db):
            seconds = build_corpus(db, opts.n)
            print(f"corpus: {opts.n} documents from {len(SOURCES)} real ones in {seconds:.1f} s ({db})")
        port = free_port()
        process = serve(db, folder / "data", port)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
                me = client.post("/api/session", json={"name": NAME, "password": PASSWORD})
                me.raise_for_status()
                print(f"ledger entries: {len(client.get('/api/ledger').json())}")
                pages(client, opts.requests)
                uploads(client, json.loads(me.text)["csrf"], opts.uploads, Path(tmp))
        finally:
            process.terminate()
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
