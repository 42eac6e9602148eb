"""The document page: meta, versions, tables, narrative, coverage and findings of a version; what changed
between two versions; each finding's place (a page image with its box, or the lines of a text document).

Every route checks ``actor.sees(department)``: another department's document is not found (404).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel

from cnbudget.corpus.models import Document, File, Version
from cnbudget.web import docview
from cnbudget.web.app import page
from cnbudget.web.deps import DB, Actor, Id
from cnbudget.web.errors import WebError
from cnbudget.web.page_images import PageError, PageSize, page_png, page_sizes, source_file
from cnbudget.web.storage import Storage

router = APIRouter()


# --- response models (the /api twins) ------------------------------------------------------------


class MetaOut(BaseModel):
    id: int
    department: str
    region: str
    year: int | None
    kind: str
    scope: str


class VersionOut(BaseModel):
    number: int
    source: str
    format: str
    errors: int
    warnings: int
    infos: int
    ingested_at: datetime
    sha256: str


class DecisionOut(BaseModel):
    status: str
    reason: str
    who: str
    at: datetime


class FindingOut(BaseModel):
    id: int  # the row: links to its place
    finding_id: str  # the review key shared with the CLI's review file
    rule: str
    category: str
    severity: str
    message: str
    page: int | None
    line: int | None
    table: str
    section: str
    row: str
    column: str
    expected: str
    actual: str
    bbox: list[float] | None  # x0, top, x1, bottom in PDF points from the page's top-left
    state: str  # confirmed / dismissed / fixed, '' when undecided
    decisions: list[DecisionOut]  # newest first


class TableOut(BaseModel):
    spec_id: str
    name: str
    title: str
    unit: str
    page: int | None
    columns: list[str]
    rows: list[tuple[str, str, list[str]]]  # code, label, values as printed
    empty: bool
    note: str
    understood: bool
    problems: list[str]


class SectionOut(BaseModel):
    number: str
    title: str
    level: int
    page: int | None
    line: int | None
    paragraphs: list[str]
    children: list[SectionOut]


class CoverageOut(BaseModel):
    rule: str
    status: str
    reason: str


class DocumentOut(BaseModel):
    document: MetaOut
    versions: list[VersionOut]
    version: VersionOut
    findings: list[FindingOut]
    tables: list[TableOut]
    sections: list[SectionOut]
    coverage: list[CoverageOut]


class ValueChangeOut(BaseModel):
    table: str
    row: str
    column: str
    before: str
    after: str


class ChangesOut(BaseModel):
    document: MetaOut
    before: int
    after: int
    fixed: list[FindingOut]
    new: list[FindingOut]
    remaining: list[FindingOut]
    values: list[ValueChangeOut]


class BoxOut(BaseModel):
    finding: int  # the finding's row id
    finding_id: str
    severity: str
    state: str
    bbox: list[float]  # points
    left: float  # percent of the page width / height, for an absolutely positioned outline
    top: float
    width: float
    height: float


class PageOut(BaseModel):
    page: int
    pages: int
    width: float  # points
    height: float
    image: str  # the PNG's address
    boxes: list[BoxOut]


class LinesOut(BaseModel):
    line: int
    first: int
    lines: list[str]
    findings: list[FindingOut]


# --- lookups ---------------------------------------------------------------------------------------


def visible_document(session: DB, who: Actor, doc_id: int) -> Document:
    """The document, if it exists and the user may see it; else 404 (another department's is not revealed)."""
    doc = session.get(Document, doc_id)
    if doc is None or not who.sees(doc.department):
        raise WebError(404, "web.error.not_found")
    return doc


def _version(session: DB, doc: Document, number: int | None) -> Version:
    version = docview.version_row(session, doc, number)
    if version is None:
        raise WebError(404, "web.error.not_found")
    return version


def _meta(doc: Document) -> MetaOut:
    return MetaOut(id=doc.id, department=doc.department, region=doc.region, year=doc.year, kind=doc.kind, scope=doc.scope)


def _version_out(v: docview.VersionInfo) -> VersionOut:
    return VersionOut(**v.__dict__)


def finding_out(f: docview.FindingView) -> FindingOut:
    return FindingOut(
        id=f.row_id, finding_id=f.finding_id, rule=f.rule, category=f.category, severity=f.severity, message=f.message,
        page=f.page, line=f.line, table=f.table, section=f.section, row=f.row, column=f.column, expected=f.expected,
        actual=f.actual, bbox=list(f.bbox) if f.bbox else None, state=f.state,
        decisions=[DecisionOut(status=d.status, reason=d.reason, who=d.who, at=d.at) for d in f.decisions],
    )


def _section_out(s: docview.SectionView) -> SectionOut:
    return SectionOut(
        number=s.number, title=s.title, level=s.level, page=s.page, line=s.line, paragraphs=s.paragraphs,
        children=[_section_out(c) for c in s.children],
    )


def _sha(session: DB, version: Version) -> str:
    file = session.get(File, version.file_id)
    return file.sha256 if file is not None else ""


def document_data(request: Request, session: DB, doc: Document, version: Version) -> DocumentOut:
    storage: Storage = request.app.state.storage
    infos = docview.versions(session, doc)
    shown = next(v for v in infos if v.number == version.number)
    d = docview.disclosure(session, version)
    return DocumentOut(
        document=_meta(doc),
        versions=[_version_out(v) for v in infos],
        version=_version_out(shown),
        findings=[finding_out(f) for f in docview.findings(session, version)],
        tables=[TableOut(**t.__dict__) for t in docview.table_views(d)] if d else [],
        sections=[_section_out(s) for s in docview.section_views(d)] if d else [],
        coverage=[CoverageOut(**c.__dict__) for c in docview.coverage(session, storage, doc, version, shown.sha256)],
    )


# --- the document page -----------------------------------------------------------------------------


@router.get("/api/documents/{doc_id}", response_model=DocumentOut, summary="A document: meta, versions, its latest version's content")
def api_document(request: Request, session: DB, who: Actor, doc_id: Id) -> DocumentOut:
    doc = visible_document(session, who, doc_id)
    return document_data(request, session, doc, _version(session, doc, None))


@router.get("/api/documents/{doc_id}/versions/{number}", response_model=DocumentOut, summary="One version of a document")
def api_version(request: Request, session: DB, who: Actor, doc_id: Id, number: Id) -> DocumentOut:
    doc = visible_document(session, who, doc_id)
    return document_data(request, session, doc, _version(session, doc, number))


def _document_page(request: Request, session: DB, who: Actor, doc: Document, version: Version) -> Response:
    data = document_data(request, session, doc, version)
    latest = max(v.number for v in data.versions)
    return page(
        request, "document.html", actor=who, data=data, latest=latest, imported=request.query_params.get("imported", ""),
        not_checked=[c for c in data.coverage if c.status == "not checked"], ran=sum(1 for c in data.coverage if c.status == "ran"),
    )


@router.get("/documents/{doc_id}", include_in_schema=False)
def document_page(request: Request, session: DB, who: Actor, doc_id: Id) -> Response:
    doc = visible_document(session, who, doc_id)
    return _document_page(request, session, who, doc, _version(session, doc, None))


@router.get("/documents/{doc_id}/versions/{number}", include_in_schema=False)
def version_page(request: Request, session: DB, who: Actor, doc_id: Id, number: Id) -> Response:
    doc = visible_document(session, who, doc_id)
    return _document_page(request, session, who, doc, _version(session, doc, number))


# --- what changed between two versions -------------------------------------------------------------


def _changes(session: DB, doc: Document, before: int | None, after: int | None) -> ChangesOut:
    latest = _version(session, doc, None)
    b = _version(session, doc, after) if after is not None else latest
    a = _version(session, doc, before if before is not None else b.number - 1)
    c = docview.changes(session, doc, a, b)
    return ChangesOut(
        document=_meta(doc), before=c.before, after=c.after,
        fixed=[finding_out(f) for f in c.fixed], new=[finding_out(f) for f in c.new], remaining=[finding_out(f) for f in c.remaining],
        values=[ValueChangeOut(**v.__dict__) for v in c.values],
    )


@router.get("/api/documents/{doc_id}/changes", response_model=ChangesOut, summary="What changed between two versions")
def api_changes(
    session: DB, who: Actor, doc_id: Id,
    before: Annotated[Id | None, Query(alias="from")] = None, after: Annotated[Id | None, Query(alias="to")] = None,
) -> ChangesOut:
    return _changes(session, visible_document(session, who, doc_id), before, after)


@router.get("/documents/{doc_id}/changes", include_in_schema=False)
def changes_page(
    request: Request, session: DB, who: Actor, doc_id: Id,
    before: Annotated[Id | None, Query(alias="from")] = None, after: Annotated[Id | None, Query(alias="to")] = None,
) -> Response:
    data = _changes(session, visible_document(session, who, doc_id), before, after)
    return page(request, "changes.html", actor=who, data=data)


# --- a finding's place: the page image with boxes, or the lines of a text ----------------------------


def _pdf(request: Request, session: DB, version: Version) -> tuple[str, Path]:
    """(sha256, the file) of a version read from a PDF; 404 when it is not a PDF or the file is gone."""
    if version.format != "pdf":
        raise WebError(404, "web.error.not_found")
    file = session.get(File, version.file_id)
    storage: Storage = request.app.state.storage
    found = source_file(storage, file.sha256, file.path) if file is not None else None
    if file is None or found is None:
        raise WebError(404, "web.docpage.page.file_gone")
    return file.sha256, found


def _page_size(request: Request, session: DB, version: Version, number: int) -> tuple[str, Path, PageSize, int]:
    sha, found = _pdf(request, session, version)
    try:
        sizes = page_sizes(request.app.state.storage, sha, found)
    except PageError as exc:
        raise WebError(exc.status, exc.key) from None
    if not 1 <= number <= len(sizes):
        raise WebError(404, "web.docpage.page.out_of_range", pages=len(sizes))
    return sha, found, sizes[number - 1], len(sizes)


def _page_data(request: Request, session: DB, doc: Document, version: Version, number: int) -> PageOut:
    _, _, size, pages = _page_size(request, session, version, number)
    boxes = []
    for f in docview.findings(session, version):
        if f.page != number or f.bbox is None:
            continue
        x0, top, x1, bottom = f.bbox
        boxes.append(
            BoxOut(
                finding=f.row_id, finding_id=f.finding_id, severity=f.severity, state=f.state, bbox=list(f.bbox),
                left=round(100 * x0 / size.width, 3), top=round(100 * top / size.height, 3),
                width=round(100 * (x1 - x0) / size.width, 3), height=round(100 * (bottom - top) / size.height, 3),
            )
        )
    image = f"/documents/{doc.id}/versions/{version.number}/pages/{number}.png"
    return PageOut(page=number, pages=pages, width=size.width, height=size.height, image=image, boxes=boxes)


@router.get(
    "/documents/{doc_id}/versions/{number}/pages/{p}.png", summary="A page of the stored PDF as a PNG image", response_class=FileResponse
)
def page_image(request: Request, session: DB, who: Actor, doc_id: Id, number: Id, p: Id) -> Response:
    doc = visible_document(session, who, doc_id)
    version = _version(session, doc, number)
    sha, found, size, _ = _page_size(request, session, version, p)
    try:
        png = page_png(request.app.state.storage, sha, found, p, size)
    except PageError as exc:
        raise WebError(exc.status, exc.key) from None
    return FileResponse(png, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})


@router.get(
    "/api/documents/{doc_id}/versions/{number}/pages/{p}", response_model=PageOut, summary="A page's size and the findings' boxes on it"
)
def api_page(request: Request, session: DB, who: Actor, doc_id: Id, number: Id, p: Id) -> PageOut:
    doc = visible_document(session, who, doc_id)
    return _page_data(request, session, doc, _version(session, doc, number), p)


@router.get("/documents/{doc_id}/versions/{number}/pages/{p}", include_in_schema=False)
def page_view(request: Request, session: DB, who: Actor, doc_id: Id, number: Id, p: Id, finding: Id | None = None) -> Response:
    doc = visible_document(session, who, doc_id)
    version = _version(session, doc, number)
    data = _page_data(request, session, doc, version, p)
    on_page = [finding_out(f) for f in docview.findings(session, version) if f.page == p]
    return page(request, "page.html", actor=who, doc=_meta(doc), number=number, data=data, findings=on_page, chosen=finding)


def _lines(request: Request, session: DB, version: Version, line: int) -> LinesOut:
    if version.format == "pdf":
        raise WebError(404, "web.error.not_found")
    file = session.get(File, version.file_id)
    found = source_file(request.app.state.storage, file.sha256, file.path) if file is not None else None
    if found is None:
        raise WebError(404, "web.docpage.page.file_gone")
    shown = docview.text_lines(found, line)
    if shown is None:
        raise WebError(404, "web.docpage.lines.out_of_range")
    last = shown.first + len(shown.lines) - 1
    near = [finding_out(f) for f in docview.findings(session, version) if f.line is not None and shown.first <= f.line <= last]
    return LinesOut(line=line, first=shown.first, lines=shown.lines, findings=near)


@router.get(
    "/api/documents/{doc_id}/versions/{number}/lines/{line}", response_model=LinesOut, summary="The lines of a text document around a line"
)
def api_lines(request: Request, session: DB, who: Actor, doc_id: Id, number: Id, line: Id) -> LinesOut:
    doc = visible_document(session, who, doc_id)
    return _lines(request, session, _version(session, doc, number), line)


@router.get("/documents/{doc_id}/versions/{number}/lines/{line}", include_in_schema=False)
def lines_view(request: Request, session: DB, who: Actor, doc_id: Id, number: Id, line: Id, finding: Id | None = None) -> Response:
    doc = visible_document(session, who, doc_id)
    data = _lines(request, session, _version(session, doc, number), line)
    return page(request, "lines.html", actor=who, doc=_meta(doc), number=number, data=data, chosen=finding)
