"""Downloads by document id: the 公开情况检查表, the HTML and xlsx reports, the annotated PDF; and the corpus
exports (reviewers and administrators). Every file name is made here, from the document's department,
year, kind and scope and the catalog's word for the file; nothing a user sends becomes a path.

Reports come from web/reports.py (the CLI's functions on the stored file); corpus exports from
corpus/export.py (as `cnbudget export-corpus`). Each file is written into a private folder under the data
folder's cache and removed once it is sent.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel
from sqlalchemy import select
from starlette.background import BackgroundTask

from cnbudget.corpus.export import FILE_NAME, XLSX_NAME, write_csv, write_datapackage, write_xlsx
from cnbudget.corpus.models import Document, Version
from cnbudget.web.app import page
from cnbudget.web.auth import Actor as Who
from cnbudget.web.deps import DB, Actor, Id, Lang, Text
from cnbudget.web.errors import WebError
from cnbudget.web.reports import ReportFailed, StoredFile, reviewed_report, stored_file, write_annotated, write_report

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# what → (file suffix, media type); the order is the page's
DOCUMENT_FILES: dict[str, tuple[str, str]] = {
    "checklist": ("xlsx", XLSX),
    "html": ("html", "text/html; charset=utf-8"),
    "xlsx": ("xlsx", XLSX),
    "annotated": ("pdf", "application/pdf"),
}
CORPUS_FILES: dict[str, tuple[str, str]] = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "xlsx": ("xlsx", XLSX),
    "datapackage": ("zip", "application/zip"),
}
_PREFIX = ".download-"
_STALE_SECONDS = 3600
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


class DownloadLink(BaseModel):
    what: str
    label: str
    description: str
    href: str
    media_type: str
    available: bool
    reason: str  # why it is not available, else ''


class DocumentDownloads(BaseModel):
    document_id: int
    department: str
    year: int | None
    kind: str
    scope: str
    version: int  # the version the downloads are made from (the latest unless ?version=N)
    source: str  # the file the downloads are made from, by its name
    downloads: list[DownloadLink]


class CorpusDownloads(BaseModel):
    downloads: list[DownloadLink]


def _document(session: DB, who: Who, document_id: int, number: int | None = None) -> tuple[Document, Version]:
    """The document and its version ``number`` (the latest when None); 404 when unknown or another department's."""
    doc = session.get(Document, document_id)
    if doc is None or not who.sees(doc.department):
        raise WebError(404, "web.error.not_found")
    stmt = select(Version).where(Version.document_id == doc.id)
    stmt = stmt.where(Version.number == number) if number is not None else stmt.order_by(Version.number.desc()).limit(1)
    version = session.scalar(stmt)
    if version is None:
        raise WebError(404, "web.error.not_found")
    return doc, version


def file_name(_: Text, doc: Document, what: str, suffix: str) -> str:
    """The download's name: the document and the kind of file, without any character a file system refuses."""
    label = _(f"web.downloads.file.{what}")
    name = _("web.downloads.file_name", department=doc.department or _("web.downloads.no_department"), year=doc.year or "",
             kind=doc.kind, scope=doc.scope, label=label, id=doc.id)
    name = _UNSAFE.sub("", name).strip(" .") or f"document-{doc.id}"
    return f"{name[:150]}.{suffix}"


def _links(_: Text, doc: Document, version: Version, latest: bool, stored: StoredFile | None) -> list[DownloadLink]:
    out = []
    query = "" if latest else f"?version={version.number}"
    for what, (_suffix, media) in DOCUMENT_FILES.items():
        reason = ""
        if stored is None:
            reason = _("web.downloads.file_gone")
        elif what == "annotated" and not stored.is_pdf:
            reason = _("web.downloads.not_pdf")
        out.append(
            DownloadLink(
                what=what, label=_(f"web.downloads.file.{what}"), description=_(f"web.downloads.about.{what}"),
                href=f"/documents/{doc.id}/downloads/{what}{query}", media_type=media, available=not reason, reason=reason,
            )
        )
    return out


def document_downloads(request: Request, session: DB, who: Who, _: Text, document_id: int, number: int | None) -> DocumentDownloads:
    doc, version = _document(session, who, document_id, number)
    stored = stored_file(session, request.app.state.storage, version)
    return DocumentDownloads(
        document_id=doc.id, department=doc.department, year=doc.year, kind=doc.kind, scope=doc.scope,
        version=version.number, source=stored.source.replace("\\", "/").rsplit("/", 1)[-1] if stored else "",
        downloads=_links(_, doc, version, number is None, stored),
    )


@router.get("/api/documents/{document_id}/downloads", response_model=DocumentDownloads, summary="A document's downloads")
def api_document_downloads(
    request: Request, document_id: Id, session: DB, who: Actor, _: Lang, version: Id | None = None
) -> DocumentDownloads:
    return document_downloads(request, session, who, _, document_id, version)


@router.get("/documents/{document_id}/downloads", include_in_schema=False)
def document_downloads_page(request: Request, document_id: Id, session: DB, who: Actor, _: Lang, version: Id | None = None) -> Response:
    data = document_downloads(request, session, who, _, document_id, version)
    return page(request, "downloads.html", actor=who, data=data)


def _folder(request: Request) -> Path:
    """A private folder for one download, removed after the response is sent (and, should a client go away
    before that, by the next download once it is an hour old)."""
    root: Path = request.app.state.storage.root / "cache"
    for old in root.glob(f"{_PREFIX}*"):
        with contextlib.suppress(OSError):
            if time.time() - old.stat().st_mtime > _STALE_SECONDS:
                shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=_PREFIX, dir=root))


def _send(folder: Path, path: Path, name: str, media: str) -> FileResponse:
    return FileResponse(path, media_type=media, filename=name, background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))


@router.get(
    "/documents/{document_id}/downloads/{what}",
    summary="A document's 公开情况检查表 (checklist), HTML or xlsx report, or annotated PDF, as `cnbudget check` writes it",
    response_class=FileResponse,
)
def download(request: Request, document_id: Id, what: str, session: DB, who: Actor, _: Lang, version: Id | None = None) -> FileResponse:
    if what not in DOCUMENT_FILES:
        raise WebError(404, "web.error.not_found")
    doc, chosen = _document(session, who, document_id, version)
    stored = stored_file(session, request.app.state.storage, chosen)
    if stored is None:
        raise WebError(404, "web.downloads.file_gone")
    if what == "annotated" and not stored.is_pdf:
        raise WebError(404, "web.downloads.not_pdf")
    suffix, media = DOCUMENT_FILES[what]
    name = file_name(_, doc, what, suffix)
    folder = _folder(request)
    out = folder / f"download.{suffix}"
    try:
        report = reviewed_report(session, stored)
        if what == "annotated":
            write_annotated(stored, report, out)
        else:
            write_report(what, report, out)
    except ReportFailed as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise WebError(422, "web.downloads.unreadable", reason=exc.reason) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return _send(folder, out, name, media)


# --- the corpus exports ---------------------------------------------------------------------------


def _reviewer(who: Who) -> None:
    if not who.reviews:
        raise WebError(403, "web.downloads.reviewers_only")


def corpus_downloads(who: Who, _: Text) -> CorpusDownloads:
    _reviewer(who)
    return CorpusDownloads(
        downloads=[
            DownloadLink(
                what=what, label=_(f"web.downloads.corpus.{what}"), description=_(f"web.downloads.corpus_about.{what}"),
                href=f"/downloads/corpus/{what}", media_type=media, available=True, reason="",
            )
            for what, (_suffix, media) in CORPUS_FILES.items()
        ]
    )


@router.get("/api/downloads", response_model=CorpusDownloads, summary="The corpus exports (reviewers and administrators)")
def api_corpus_downloads(who: Actor, _: Lang) -> CorpusDownloads:
    return corpus_downloads(who, _)


@router.get("/downloads", include_in_schema=False)
def corpus_downloads_page(request: Request, who: Actor, _: Lang) -> Response:
    return page(request, "corpus_downloads.html", actor=who, data=corpus_downloads(who, _))


@router.get(
    "/downloads/corpus/{what}",
    summary="Every stored value as CSV, xlsx or a Frictionless data package (zip), as `cnbudget export-corpus` writes it",
    response_class=FileResponse,
)
def corpus_download(request: Request, what: str, session: DB, who: Actor, _: Lang) -> FileResponse:
    _reviewer(who)
    if what not in CORPUS_FILES:
        raise WebError(404, "web.error.not_found")
    suffix, media = CORPUS_FILES[what]
    folder = _folder(request)
    try:
        if what == "csv":
            out = folder / FILE_NAME
            write_csv(session, out)
        elif what == "xlsx":
            out = folder / XLSX_NAME
            write_xlsx(session, out)
        else:
            package = folder / "package"
            package.mkdir()
            write_datapackage(session, package)
            out = folder / "datapackage.zip"
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
                for part in sorted(package.iterdir()):
                    zf.write(part, part.name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    name = f"{_('web.downloads.corpus_file_name', day=date.today().isoformat())}-{what}.{suffix}"
    return _send(folder, out, name, media)
