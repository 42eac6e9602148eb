"""Uploads and their jobs: the upload page, ``POST /api/uploads``, the jobs list and one job's state.

A file is received into Storage (web/uploads.py) and queued as a job; the worker pool (web/jobs.py) reads,
checks and stores it. A department user's uploads are their department's: they see only its jobs.
"""

from __future__ import annotations

import json
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy import Select, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from cnbudget.corpus.models import Job, User, Version
from cnbudget.corpus.spec import corpus_spec
from cnbudget.web.app import page
from cnbudget.web.auth import Actor as Who
from cnbudget.web.deps import DB, Actor, Id, Writer
from cnbudget.web.errors import WebError
from cnbudget.web.jobs import queue_file
from cnbudget.web.uploads import Received, receive, size_text

router = APIRouter()
LIST_LIMIT = 500

_MULTIPART_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                    "required": ["files"],
                }
            }
        },
    }
}


class JobOut(BaseModel):
    id: int
    filename: str
    size: int
    status: str  # queued / running / done / failed
    error: str  # failed: the one sentence saying why
    result: str  # done: the corpus outcome — new / version / unchanged
    document: str
    document_id: int | None
    version_id: int | None
    who: str
    department: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class UploadOut(BaseModel):
    jobs: list[JobOut]


def _visible(who: Who) -> Select[Job, str, int]:
    """The jobs this user may see: all for a reviewer, their department's for a department user."""
    stmt = (
        select(Job, User.name, Version.document_id)
        .outerjoin(User, Job.user_id == User.id)
        .outerjoin(Version, Job.version_id == Version.id)
    )
    return stmt if who.role != "department" else stmt.where(Job.department == who.department)


def _model(job: Job, user: str | None, document_id: int | None) -> JobOut:
    outcome = json.loads(job.outcome) if job.outcome else {}
    return JobOut(
        id=job.id, filename=job.filename, size=job.size, status=job.status, error=job.error,
        result=str(outcome.get("status", "")), document=str(outcome.get("document", "")),
        document_id=document_id, version_id=job.version_id, who=user or "", department=job.department,
        created_at=job.created_at, started_at=job.started_at, finished_at=job.finished_at,
    )


def list_jobs(session: Session, who: Who, status: str | None = None, limit: int = LIST_LIMIT) -> list[JobOut]:
    stmt = _visible(who)
    if status:
        stmt = stmt.where(Job.status == status)
    rows = session.execute(stmt.order_by(Job.id.desc()).limit(max(1, min(limit, LIST_LIMIT))))
    return [_model(job, user, document_id) for job, user, document_id in rows]


def one_job(session: Session, who: Who, job_id: int) -> JobOut:
    row = session.execute(_visible(who).where(Job.id == job_id)).first()
    if row is None:
        raise WebError(404, "web.error.not_found")
    job, user, document_id = row
    return _model(job, user, document_id)


def _queue(session: Session, who: Who, received: list[Received]) -> list[JobOut]:
    department = who.department if who.role == "department" else ""
    jobs = [queue_file(session, r.sha256, r.filename, r.size, who.user_id, department) for r in received]
    session.commit()
    return [_model(job, who.name, None) for job in jobs]


async def _upload(request: Request, session: Session, who: Who) -> list[JobOut]:
    """Receive the files, queue one job each, wake the pool. The request's one database session is released
    while the files arrive (an upload of minutes holds no connection) and taken again to queue them."""
    app = request.app
    session.commit()

    def in_use(sha: str) -> bool:
        return session.scalar(select(Job.id).where(Job.sha256 == sha).limit(1)) is not None

    parsed = request.headers.get("x-csrf-token") is None and bool(who.csrf)  # deps.writer read the form for its token
    received = await receive(request, app.state.storage, app.state.settings, parsed, in_use)
    jobs = await run_in_threadpool(_queue, session, who, received)
    if app.state.workers is not None:
        app.state.workers.wake()
    return jobs


@router.post(
    "/api/uploads", response_model=UploadOut, status_code=202, openapi_extra=_MULTIPART_BODY,
    summary="Upload one or many disclosure files (multipart field 'files'); one queued job each",
)
async def api_upload(request: Request, session: DB, who: Writer) -> UploadOut:
    return UploadOut(jobs=await _upload(request, session, who))


@router.post("/upload", include_in_schema=False)
async def upload_form(request: Request, session: DB, who: Writer) -> Response:
    """The upload page without its script: the form posts here and lands on the jobs list."""
    await _upload(request, session, who)
    return RedirectResponse("/jobs", status_code=303)


@router.get("/upload", include_in_schema=False)
def upload_page(request: Request, who: Actor) -> Response:
    settings = request.app.state.settings
    return page(
        request, "upload.html", actor=who,
        max_size=size_text(settings.max_upload_bytes), max_files=settings.max_files_per_upload,
        accept=",".join(corpus_spec()["suffixes"]),
    )


@router.get("/api/jobs", response_model=list[JobOut], summary="Upload jobs, newest first (a department user: their department's)")
def api_jobs(session: DB, who: Actor, status: str | None = None, limit: int = LIST_LIMIT) -> list[JobOut]:
    return list_jobs(session, who, status, limit)


@router.get("/api/jobs/{job_id}", response_model=JobOut, summary="One upload job: its state, its error sentence, its document")
def api_job(job_id: Id, session: DB, who: Actor) -> JobOut:
    return one_job(session, who, job_id)


@router.get("/jobs", include_in_schema=False)
def jobs_page(request: Request, session: DB, who: Actor, status: str | None = None) -> Response:
    return page(request, "jobs.html", actor=who, jobs=list_jobs(session, who, status), filter_status=status or "")
