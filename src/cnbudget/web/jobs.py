"""The worker pool: uploaded files read, checked and stored outside the request, state in the ``jobs`` table.

One driver thread claims queued jobs (queued → running), hands each file to a process of a spawn-context
ProcessPoolExecutor (``corpus.reading.read_and_check`` with the rules config the CLI uses by default) and
stores the result itself (``corpus.store.store``), one job at a time, so two uploads of one file give one
version and one 'unchanged'. Everything a job is lives in its row: a server that stops leaves its running
jobs 'running', and the next start puts them back in the queue, so none is lost.

A worker process that dies (a crash in a PDF library, the out-of-memory killer) breaks the whole pool, and
every job in it fails with it; so the jobs that were in the pool together go back to the queue, marked as
suspects, and each suspect then runs alone: the one that breaks the pool alone fails with its sentence, the
others finish. A job over the time limit has its pool killed; the other jobs in it go back to the queue.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from cnbudget.corpus.ingest import expand
from cnbudget.corpus.models import Document, File, Job, Version
from cnbudget.corpus.reading import ReadResult, read_and_check
from cnbudget.corpus.store import Outcome, describe, store
from cnbudget.i18n import t
from cnbudget.rules.registry import Config, load_config

from .auth import now
from .settings import Settings
from .storage import Storage

log = logging.getLogger("cnbudget.web.jobs")
POLL_SECONDS = 0.5  # how often an idle driver looks for queued jobs (an upload wakes it at once)
JOB_LANG = "zh"  # a job's sentence is kept in the users' language: the uploader reads it later


@dataclass(frozen=True)
class Task:
    """A claimed job, as much of it as the driver needs."""

    job_id: int
    sha256: str
    size: int
    filename: str
    department: str  # a department user's own department; '' for a reviewer's upload


def sentence(key: str, **values: object) -> str:
    return t(key, JOB_LANG, **values)


class Workers:
    """The pool and its driver thread; ``start`` in the application's lifespan, ``stop`` at its end."""

    def __init__(self, settings: Settings, factory: sessionmaker[Session], storage: Storage, config: Config | None = None) -> None:
        self.settings, self.factory, self.storage = settings, factory, storage
        self.config = config if config is not None else load_config()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._suspects: set[int] = set()

    def start(self) -> None:
        """Requeue the jobs a stopped server left running, then start taking queued jobs."""
        requeue_running(self.factory)
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="cnbudget-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop taking jobs; a job being read finishes or is requeued at the next start."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
            self._thread = None

    def wake(self) -> None:
        """New jobs are queued: look now instead of at the next poll."""
        self._wake.set()

    # --- the driver thread ------------------------------------------------------------------------

    def _run(self) -> None:
        pending: dict[Future[ReadResult], tuple[Task, float]] = {}
        try:
            while not self._stopping.is_set():
                try:
                    self._fill(pending)
                    if not pending:
                        self._wake.wait(POLL_SECONDS)
                        self._wake.clear()
                        continue
                    # wake at the first deadline too: a job past its time limit fails then, not when the
                    # next poll happens to come (a fast worker would otherwise finish it in between)
                    soonest = min(deadline for _, deadline in pending.values()) - time.monotonic()
                    done, _ = wait(pending, timeout=max(0.0, min(POLL_SECONDS, soonest)), return_when=FIRST_COMPLETED)
                    self._collect(pending, done)
                    self._expire(pending)
                except SQLAlchemyError:  # the database is away for a moment: the rows say where we were
                    log.exception("job driver: database error; retrying")
                    self._stopping.wait(5 * POLL_SECONDS)
        finally:
            self._close_pool()

    def _fill(self, pending: dict[Future[ReadResult], tuple[Task, float]]) -> None:
        """Claim queued jobs until every worker has one; a suspect runs only alone."""
        while len(pending) < max(1, self.settings.workers) and not self._stopping.is_set():
            if any(task.job_id in self._suspects for task, _ in pending.values()):
                return
            task = self._claim(alone_only=bool(pending))
            if task is None:
                return
            if self._settle_known(task):
                continue
            path = self.storage.path(task.sha256)
            if not path.is_file():
                finish(self.factory, task.job_id, "failed", error=sentence("web.upload.job.missing", name=task.filename))
                continue
            pool = self._pool or self._new_pool()
            future = pool.submit(read_and_check, str(path), task.sha256, task.size, self.config, True)
            pending[future] = (task, time.monotonic() + self.settings.job_seconds)

    def _claim(self, alone_only: bool) -> Task | None:
        """The oldest queued job, now 'running' (None when there is none, or it is a suspect and others run)."""
        with self.factory() as session:
            job = session.scalar(select(Job).where(Job.status == "queued").order_by(Job.id).limit(1))
            if job is None or (alone_only and job.id in self._suspects):
                return None
            claimed = session.execute(
                update(Job).where(Job.id == job.id, Job.status == "queued").values(status="running", started_at=now())
            )
            session.commit()
            if getattr(claimed, "rowcount", 1) != 1:
                return None
            return Task(job.id, job.sha256, job.size, job.filename, job.department)

    def _settle_known(self, task: Task) -> bool:
        """A file already stored as a version is not read again: 'unchanged' (or refused to another department)."""
        with self.factory() as session:
            row = session.execute(
                select(Version.id, Version.number, Document.department, Document.year, Document.kind, Document.scope)
                .join(File, Version.file_id == File.id)
                .join(Document, Version.document_id == Document.id)
                .where(File.sha256 == task.sha256)
                .order_by(Version.id.desc())
                .limit(1)
            ).first()
        if row is None:
            return False
        version_id, number, department, year, kind, scope = row
        if task.department and department and department != task.department:
            error = sentence("web.upload.job.other_department", name=task.filename, cover=department, own=task.department)
            finish(self.factory, task.job_id, "failed", error=error)
            return True
        outcome = Outcome(task.filename, "unchanged", describe(department, year, kind, scope), number)
        finish(self.factory, task.job_id, "done", outcome=outcome, version_id=version_id)
        return True

    def _collect(self, pending: dict[Future[ReadResult], tuple[Task, float]], done: set[Future[ReadResult]]) -> None:
        broken = False
        for future in done:
            task, _ = pending.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool:
                broken = True
                pending[future] = (task, 0.0)  # handled with the rest of the broken pool below
                continue
            except Exception as exc:  # the result could not come back (it did not pickle): this file's fault
                log.error("job %s: the worker's result was lost (%s: %s)", task.job_id, type(exc).__name__, exc)
                error = sentence("web.upload.job.crashed", name=task.filename)
                finish(self.factory, task.job_id, "failed", error=error)
                continue
            self._store(task, result)
        if broken:
            self._broken(pending)

    def _broken(self, pending: dict[Future[ReadResult], tuple[Task, float]]) -> None:
        """A worker process died: alone, its job fails; in company, every job in the pool is retried alone."""
        tasks = [task for task, _ in pending.values()]
        pending.clear()
        self._close_pool()
        if len(tasks) == 1:
            task = tasks[0]
            self._suspects.discard(task.job_id)
            error = sentence("web.upload.job.crashed", name=task.filename)
            log.warning("job %s: the worker process died reading it", task.job_id)
            finish(self.factory, task.job_id, "failed", error=error)
            return
        self._suspects.update(task.job_id for task in tasks)
        requeue(self.factory, [task.job_id for task in tasks])

    def _expire(self, pending: dict[Future[ReadResult], tuple[Task, float]]) -> None:
        """Jobs past the time limit fail; their pool is killed, the other jobs in it go back to the queue."""
        moment = time.monotonic()
        late = [task for future, (task, deadline) in pending.items() if deadline < moment and not future.done()]
        if not late:
            return
        others = [task.job_id for task, _ in pending.values() if task not in late]
        pending.clear()
        self._close_pool()
        for task in late:
            self._suspects.discard(task.job_id)
            error = sentence("web.upload.job.too_slow", name=task.filename, seconds=self.settings.job_seconds)
            finish(self.factory, task.job_id, "failed", error=error)
        requeue(self.factory, others)

    def _store(self, task: Task, result: ReadResult) -> None:
        """Store one read file as its job says: refused when its cover names another department."""
        self._suspects.discard(task.job_id)
        try:
            with self.factory() as session:
                if result.error:
                    store(session, result)  # the file is remembered as unreadable, with its reason
                    reason = _named(result.error, result.path, task)
                    error = sentence("web.upload.job.unreadable", name=task.filename, reason=reason)
                    finish(self.factory, task.job_id, "failed", error=error)
                    return
                cover = result.meta.department
                if task.department and cover and cover != task.department:
                    error = sentence("web.upload.job.other_department", name=task.filename, cover=cover, own=task.department)
                    finish(self.factory, task.job_id, "failed", error=error)
                    return
                outcome = store(session, result, task.department or None, self.config)
                version_id = version_of(session, task.sha256)
        except SQLAlchemyError as exc:
            log.exception("job %s: could not be stored", task.job_id)
            error = sentence("web.upload.job.not_stored", name=task.filename, reason=type(exc).__name__)
            finish(self.factory, task.job_id, "failed", error=error)
            return
        finish(self.factory, task.job_id, "done", outcome=replace(outcome, path=task.filename), version_id=version_id)

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(max_workers=max(1, self.settings.workers), mp_context=context)
        return self._pool

    def _close_pool(self) -> None:
        """Stop the pool now: its processes are killed (a job in them is requeued or has failed already)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list(getattr(pool, "_processes", {}).values())  # no public way to stop one running task
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.kill()
        for process in processes:
            process.join(timeout=5)


def _named(reason: str, path: str, task: Task) -> str:
    """The reader's sentence names the stored file (its hash); the uploader knows it by its own name, which
    the job's sentence already says, so a leading 'name: ' (or the Chinese 'name：') is left out."""
    named = reason.replace(path, task.filename).replace(task.sha256, task.filename)
    for colon in (": ", "：", ":"):
        if named.startswith(task.filename + colon):
            return named[len(task.filename) + len(colon) :]
    return named


def version_of(session: Session, sha256: str) -> int | None:
    """The newest version made from this file."""
    stmt = select(Version.id).join(File, Version.file_id == File.id).where(File.sha256 == sha256).order_by(Version.id.desc()).limit(1)
    return session.scalar(stmt)


def finish(
    factory: sessionmaker[Session],
    job_id: int,
    status: str,
    *,
    error: str = "",
    outcome: Outcome | None = None,
    version_id: int | None = None,
) -> None:
    """A job's end: its state, its sentence or its outcome (as JSON) and the version it made."""
    with factory() as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(
                status=status, error=error, version_id=version_id, finished_at=now(),
                outcome=json.dumps(asdict(outcome), ensure_ascii=False) if outcome is not None else "",
            )
        )
        session.commit()


def requeue(factory: sessionmaker[Session], ids: list[int]) -> None:
    if not ids:
        return
    with factory() as session:
        session.execute(update(Job).where(Job.id.in_(ids)).values(status="queued", started_at=None))
        session.commit()


def requeue_running(factory: sessionmaker[Session]) -> int:
    """Jobs a stopped server left 'running' go back to the queue (one server per database); how many."""
    with factory() as session:
        ids = list(session.scalars(select(Job.id).where(Job.status == "running")))
    requeue(factory, ids)
    if ids:
        log.info("requeued %d job(s) left running by a stopped server", len(ids))
    return len(ids)


def queue_file(session: Session, sha256: str, filename: str, size: int, user_id: int | None = None, department: str = "") -> Job:
    """A new queued job for a file already in Storage (committed by the caller)."""
    job = Job(sha256=sha256, filename=filename, size=size, user_id=user_id, department=department, status="queued", created_at=now())
    session.add(job)
    return job


def enqueue_paths(factory: sessionmaker[Session], storage: Storage, settings: Settings, paths: list[str]) -> int:
    """Copy the disclosure files under ``paths`` into the store and queue them (``serve --load``); how many.

    A file already stored as a version, or already waiting in the queue, is not queued again, so starting
    the server twice with the same ``--load`` does not pile up jobs. A file over the upload limit is left out.
    """
    queued = 0
    with factory() as session:
        for name in expand(paths):
            try:
                kept = storage.put_file(Path(name), settings.max_upload_bytes)
            except OSError:
                log.warning("--load: %s cannot be read", name)
                continue
            if kept is None:
                log.warning("--load: %s is larger than the upload limit", name)
                continue
            sha, size = kept
            waiting = session.scalar(select(func.count(Job.id)).where(Job.sha256 == sha, Job.status.in_(("queued", "running"))))
            if waiting or version_of(session, sha) is not None:
                continue
            queue_file(session, sha, Path(name).name, size)
            session.flush()
            queued += 1
        session.commit()
    return queued
