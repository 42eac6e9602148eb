"""Review actions: a reviewer confirms, dismisses (with a reason) or marks fixed a finding; a document's
decisions download as the CLI's ``cnbudget-review.json`` and such a file imports back.

Deciding and importing take ``Reviewer`` (a department user gets 403); reading takes ``Actor`` and
``actor.sees`` (another department's document is not found).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy import select

from cnbudget.corpus.models import Document, FindingRow, Version
from cnbudget.rules.review import REVIEW_NAMES, ReviewFile
from cnbudget.web import reviews
from cnbudget.web.deps import DB, Actor, Id, Reviewer
from cnbudget.web.errors import WebError
from cnbudget.web.routes.documents import DecisionOut, visible_document

router = APIRouter()


class ReviewIn(BaseModel):
    status: str  # confirmed / dismissed / fixed
    reason: str = ""


class ReviewOut(BaseModel):
    finding_id: str
    document: int
    state: str
    decisions: list[DecisionOut]  # newest first


class ImportOut(BaseModel):
    added: int
    unchanged: int
    elsewhere: int


def _finding(session: DB, who: Actor, finding_id: str) -> tuple[FindingRow, Version, Document]:
    """The newest stored row of a finding id, its version and document (404 when unknown or not visible)."""
    stmt = (
        select(FindingRow, Version, Document)
        .join(Version, FindingRow.version_id == Version.id)
        .join(Document, Version.document_id == Document.id)
        .where(FindingRow.finding_id == finding_id, FindingRow.finding_id != "")
        .order_by(FindingRow.id.desc())
        .limit(1)
    )
    found = session.execute(stmt).first()
    if found is None or not who.sees(found[2].department):
        raise WebError(404, "web.error.not_found")
    return found[0], found[1], found[2]


def _decide(session: DB, who: Actor, finding_id: str, status: str, reason: str) -> tuple[Document, Version]:
    row, version, doc = _finding(session, who, finding_id)
    try:
        reviews.decide(session, row, doc, version.source, status, reason, who.name)
    except reviews.ReviewInputError as exc:
        raise WebError(422, exc.key, **exc.values) from None
    session.commit()
    return doc, version


def _state(session: DB, finding_id: str, doc: Document) -> ReviewOut:
    rows = reviews.history(session, [finding_id]).get(finding_id, [])
    decisions = [DecisionOut(status=d.status, reason=d.reason, who=d.who, at=d.at) for d in rows]
    return ReviewOut(finding_id=finding_id, document=doc.id, state=rows[0].status if rows else "", decisions=decisions)


@router.post(
    "/api/findings/{finding_id}/review", response_model=ReviewOut, summary="Confirm, dismiss (with a reason) or mark fixed a finding"
)
def api_review(session: DB, who: Reviewer, finding_id: str, decision: ReviewIn) -> ReviewOut:
    doc, _ = _decide(session, who, finding_id, decision.status, decision.reason)
    return _state(session, finding_id, doc)


@router.get("/api/findings/{finding_id}/review", response_model=ReviewOut, summary="A finding's review state and history")
def api_review_state(session: DB, who: Actor, finding_id: str) -> ReviewOut:
    _, _, doc = _finding(session, who, finding_id)
    return _state(session, finding_id, doc)


@router.post("/findings/{finding_id}/review", include_in_schema=False)
def review_form(
    session: DB, who: Reviewer, finding_id: str, status: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = ""
) -> Response:
    doc, version = _decide(session, who, finding_id, status, reason)
    return RedirectResponse(f"/documents/{doc.id}/versions/{version.number}#f-{finding_id}", status_code=303)


# --- the CLI's review file ---------------------------------------------------------------------------


def _latest_source(session: DB, doc: Document) -> str:
    stmt = select(Version.source).where(Version.document_id == doc.id).order_by(Version.number.desc()).limit(1)
    return session.scalar(stmt) or ""


@router.get(
    "/api/documents/{doc_id}/review",
    response_model=ReviewFile,
    summary="The document's decisions as cnbudget-review.json (check --review reads it)",
)
def download_review(session: DB, who: Actor, doc_id: Id) -> Response:
    doc = visible_document(session, who, doc_id)
    review = reviews.review_file(session, doc, _latest_source(session, doc))
    return Response(
        reviews.dump(review),
        media_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{REVIEW_NAMES[0]}"'},
    )


async def _import(session: DB, who: Actor, doc_id: int, upload: UploadFile) -> ImportOut:
    doc = visible_document(session, who, doc_id)
    data = await upload.read(reviews.MAX_REVIEW_FILE_BYTES + 1)
    try:
        done = reviews.import_file(session, doc, _latest_source(session, doc), reviews.parse(data))
    except reviews.ReviewInputError as exc:
        session.rollback()
        raise WebError(422, exc.key, **exc.values) from None
    session.commit()
    return ImportOut(added=done.added, unchanged=done.unchanged, elsewhere=done.elsewhere)


@router.post("/api/documents/{doc_id}/review", response_model=ImportOut, summary="Import a review file (cnbudget-review.json or .toml)")
async def api_import_review(session: DB, who: Reviewer, doc_id: Id, file: Annotated[UploadFile, File()]) -> ImportOut:
    return await _import(session, who, doc_id, file)


@router.post("/documents/{doc_id}/review", include_in_schema=False)
async def import_review_form(request: Request, session: DB, who: Reviewer, doc_id: Id, file: Annotated[UploadFile, File()]) -> Response:
    done = await _import(session, who, doc_id, file)
    return RedirectResponse(f"/documents/{doc_id}?imported={done.added}-{done.unchanged}-{done.elsewhere}", status_code=303)
