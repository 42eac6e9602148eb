"""`ingest`: every file under the given paths read, checked and stored, results streamed to the database.

The driver hashes each file first (a file already stored is not read again), workers read and check,
and the driver alone writes, one transaction per file, as results arrive: nothing is kept per document
after it is stored, so memory does not grow with the corpus.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from cnbudget.i18n import Message
from cnbudget.reasons import database_write_reason, os_reason
from cnbudget.rules.registry import Config

from .identity import file_sha256
from .reading import ReadResult, read_and_check
from .spec import readable_suffixes
from .store import Outcome, known_file, store


def expand(paths: Iterable[str]) -> list[str]:
    """Files as given; a folder stands for every disclosure file in it and its sub-folders (sorted)."""
    suffixes = readable_suffixes()
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(str(f) for f in sorted(path.rglob("*")) if f.is_file() and f.suffix.lower() in suffixes)
        else:
            out.append(p)
    return out


def _hashed(path: str) -> tuple[str, int] | str:
    """(sha256, size), or why the file cannot be opened."""
    try:
        return file_sha256(path), os.path.getsize(path)
    except OSError as exc:
        return Message("errors.input.cannot_open", path=path, why=os_reason(exc))


def ingest(
    paths: Sequence[str],
    factory: sessionmaker[Session],
    config: Config,
    *,
    jobs: int = 1,
    ocr: bool = True,
    department: str | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    engine: str = "local",
    address: str | None = None,
    keep: bool = True,
) -> list[Outcome]:
    """Ingest every file; outcomes in the order they were stored (none kept with ``keep=False``: a
    caller that streams them through ``on_outcome`` keeps memory flat for any number of files).

    ``engine`` "local" reads in ``jobs`` worker processes of this machine; "ray" runs each file as a Ray
    task (a local Ray instance with ``jobs`` CPUs, or the cluster at ``address``), retried when its worker dies.
    """
    outcomes: list[Outcome] = []

    def report(outcome: Outcome) -> None:
        if keep:
            outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    def save(read: ReadResult) -> None:
        try:
            with factory() as session:
                outcome = store(session, read, department, config)
        except SQLAlchemyError as exc:  # this file's transaction was rolled back; the batch goes on
            why = database_write_reason(exc)
            outcome = Outcome(read.path, "unreadable", error=Message("errors.run.not_stored", name=Path(read.path).name, why=why))
        report(outcome)

    files = expand(paths)
    todo = _todo(files, factory, report)
    for item in todo.unreadable:
        save(item)
    reads = _ray_reads(todo.files, config, ocr, jobs, address) if engine == "ray" else _local_reads(todo.files, config, ocr, jobs)
    for item in reads:
        save(item)
    return outcomes


@dataclass
class _Todo:
    files: list[tuple[str, str, int]]  # (path, sha256, size) to read
    unreadable: list[ReadResult]  # files that could not even be opened


def _todo(
    files: list[str], factory: sessionmaker[Session], report: Callable[[Outcome], None]
) -> _Todo:
    """Hash every file; report the ones already stored as unchanged without reading them."""
    todo = _Todo([], [])
    queued: set[str] = set()
    for path in files:
        hashed = _hashed(path)
        if isinstance(hashed, str):
            todo.unreadable.append(ReadResult(path=path, sha256="", size=0, error=hashed))
            continue
        sha, size = hashed
        with factory() as session:
            unchanged = known_file(session, sha)
        if unchanged or sha in queued:  # stored before, or the same content given twice in this batch
            report(Outcome(path, "unchanged"))
            continue
        todo.files.append((path, sha, size))
        queued.add(sha)
    return todo


def _local_reads(todo: list[tuple[str, str, int]], config: Config, ocr: bool, jobs: int) -> Iterator[ReadResult]:
    """Read results as they come, from this process or ``jobs`` worker processes (at most 2×jobs in flight)."""
    if jobs <= 1 or len(todo) <= 1:
        for path, sha, size in todo:
            yield read_and_check(path, sha, size, config, ocr)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context) as pool:
        pending: dict[Future[ReadResult], tuple[str, str, int]] = {}
        queue = iter(todo)
        try:
            while True:
                while len(pending) < 2 * jobs:
                    item = next(queue, None)
                    if item is None:
                        break
                    pending[pool.submit(read_and_check, item[0], item[1], item[2], config, ocr)] = item
                if not pending:
                    return
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    path, sha, size = pending.pop(future)
                    try:
                        yield future.result()
                    except Exception:  # the worker process died (killed, out of memory)
                        yield ReadResult(path, sha, size, error=Message("errors.run.worker_stopped", name=Path(path).name))
        except BaseException:
            for future in pending:
                future.cancel()
            raise


RAY_RETRIES = 3  # a task whose worker process dies is run again this many times


def _ray_reads(
    todo: list[tuple[str, str, int]], config: Config, ocr: bool, jobs: int, address: str | None
) -> Iterator[ReadResult]:
    """Read results as Ray tasks finish; at most 2×jobs tasks in flight, so driver memory stays flat."""
    import ray

    started = False
    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=jobs, include_dashboard=False, log_to_driver=False)
        started = True
    task: Any = ray.remote(max_retries=RAY_RETRIES, num_cpus=1)(read_and_check)
    pending: dict[Any, tuple[str, str, int]] = {}
    queue = iter(todo)
    window = 2 * max(jobs, int(ray.cluster_resources().get("CPU", 1)))
    try:
        while True:
            while len(pending) < window:
                item = next(queue, None)
                if item is None:
                    break
                pending[task.remote(item[0], item[1], item[2], config, ocr)] = item
            if not pending:
                return
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                path, sha, size = pending.pop(ref)
                try:
                    result: ReadResult = ray.get(ref)
                except ray.exceptions.RayError:  # retries exhausted: the file is reported, the batch goes on
                    result = ReadResult(path, sha, size, error=Message("errors.run.ray_failed", name=Path(path).name, retries=RAY_RETRIES))
                yield result
    except BaseException:
        for ref in pending:
            ray.cancel(ref, force=True)
        raise
    finally:
        if started:
            ray.shutdown()
