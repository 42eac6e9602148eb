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
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from cnbudget.rules.registry import Config

from .identity import file_sha256
from .reading import ReadResult, read_and_check
from .spec import corpus_spec
from .store import Outcome, known_file, store


def expand(paths: Iterable[str]) -> list[str]:
    """Files as given; a folder stands for every disclosure file in it and its sub-folders (sorted)."""
    suffixes = tuple(corpus_spec()["suffixes"])
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
        return f"{path} cannot be opened ({exc.strerror or exc})."


def ingest(
    paths: Sequence[str],
    factory: sessionmaker[Session],
    config: Config,
    *,
    jobs: int = 1,
    ocr: bool = True,
    department: str | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Ingest every file; outcomes in the order they were stored."""
    outcomes: list[Outcome] = []

    def save(read: ReadResult) -> None:
        with factory() as session:
            outcome = store(session, read, department)
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    for item in _reads(expand(paths), factory, config, jobs, ocr, outcomes, on_outcome):
        save(item)
    return outcomes


def _reads(
    files: list[str],
    factory: sessionmaker[Session],
    config: Config,
    jobs: int,
    ocr: bool,
    outcomes: list[Outcome],
    on_outcome: Callable[[Outcome], None] | None,
) -> Iterator[ReadResult]:
    """Read results as they come: unchanged files are reported without reading; at most 2×jobs in flight."""
    todo: list[tuple[str, str, int]] = []
    for path in files:
        hashed = _hashed(path)
        if isinstance(hashed, str):
            yield ReadResult(path=path, sha256="", size=0, error=hashed)
            continue
        sha, size = hashed
        with factory() as session:
            unchanged = known_file(session, sha)
        if unchanged:
            outcome = Outcome(path, "unchanged")
            outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
            continue
        todo.append((path, sha, size))
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
                    except Exception as exc:  # the worker process died (killed, out of memory)
                        yield ReadResult(path, sha, size, error=f"{Path(path).name} could not be checked: the worker stopped ({exc}).")
        except BaseException:
            for future in pending:
                future.cancel()
            raise
