"""Review decisions in the ``reviews`` table, and the CLI's review file (rules/review.py) made from them.

Every decision is a row (history kept); the newest row of a finding id (by time, then by row) is its
state. The rows are ``rules.review.Entry`` records keyed by the finding id, so a document's decisions
become a ``cnbudget-review.json`` that ``cnbudget check --review`` reads, and such a file is imported back.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cnbudget.corpus.models import Document, FindingRow, ReviewRow, Version
from cnbudget.model import Meta
from cnbudget.rules.identity import document_key
from cnbudget.rules.review import STATUSES, Entry, ReviewFile, Status

from .auth import now
from .errors import CatalogError

MAX_REVIEW_FILE_BYTES = 5 * 1024 * 1024  # a review file of 10,000 decisions is ~3 MB


class ReviewInputError(CatalogError):
    """A decision or a review file that cannot be used: ``key`` names the catalog sentence (web_docpage.toml)."""


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str
    who: str
    at: datetime


def review_document_key(doc: Document, source: str) -> str:
    """The document key the CLI writes in a review entry (rules/identity.document_key) for this document."""
    kind = doc.kind if doc.kind in ("预算", "决算") else None
    scope = doc.scope if doc.scope in ("部门", "单位") else None
    meta = Meta(department=doc.department, region=doc.region, year=doc.year, kind=kind, scope=scope)  # type: ignore[arg-type]
    return document_key(meta, source)


def history(session: Session, finding_ids: Iterable[str]) -> dict[str, list[Decision]]:
    """Every decision about these finding ids, newest first."""
    ids = sorted(set(finding_ids))
    out: dict[str, list[Decision]] = {}
    if not ids:
        return out
    stmt = select(ReviewRow).where(ReviewRow.finding_id.in_(ids)).order_by(ReviewRow.at.desc(), ReviewRow.id.desc())
    for row in session.scalars(stmt):
        out.setdefault(row.finding_id, []).append(Decision(row.status, row.reason, row.who, row.at))
    return out


def decide(
    session: Session, finding: FindingRow, doc: Document, source: str, status: str, reason: str, who: str, at: datetime | None = None
) -> ReviewRow:
    """Record one decision (a new row: the history stays). Dismissing needs a reason."""
    if status not in STATUSES:
        raise ReviewInputError("web.docpage.review.bad_status", statuses=" / ".join(STATUSES))
    reason = reason.strip()
    if status == "dismissed" and not reason:
        raise ReviewInputError("web.docpage.review.reason_required")
    row = ReviewRow(
        finding_id=finding.finding_id,
        document=review_document_key(doc, source),
        status=status,
        reason=reason,
        who=who,
        at=at or now(),
        rule=finding.rule,
        source=_name(source),
        message=finding.message,
    )
    session.add(row)
    session.flush()
    return row


def _name(source: str) -> str:
    from cnbudget.model import source_name

    return source_name(source)


def document_finding_ids(session: Session, document_id: int) -> set[str]:
    """The finding ids of every version of a document (a decision about an older version's finding counts)."""
    stmt = (
        select(FindingRow.finding_id)
        .join(Version, FindingRow.version_id == Version.id)
        .where(Version.document_id == document_id, FindingRow.finding_id != "")
    )
    return set(session.scalars(stmt))


def review_file(session: Session, doc: Document, source: str) -> ReviewFile:
    """The document's review state as the CLI's review file: the newest decision of each finding id."""
    return review_state(session, review_document_key(doc, source), document_finding_ids(session, doc.id))


def review_state(session: Session, key: str, ids: Iterable[str]) -> ReviewFile:
    """The newest decision per finding id, for the findings ``ids`` and any other recorded under the
    document ``key`` — the review file `cnbudget check --review` reads."""
    wanted = sorted(set(ids))
    stmt = select(ReviewRow).where((ReviewRow.document == key) | ReviewRow.finding_id.in_(wanted)).order_by(ReviewRow.at, ReviewRow.id)
    findings: dict[str, Entry] = {}
    for row in session.scalars(stmt):  # oldest first: the newest decision is written last and stays
        if row.status not in STATUSES:
            continue
        findings[row.finding_id] = Entry(
            status=_status(row.status),
            reason=row.reason,
            who=row.who,
            when=row.at.replace(tzinfo=UTC).isoformat(),
            rule=row.rule,
            document=row.document,
            source=row.source,
            message=row.message,
        )
    return ReviewFile(findings=dict(sorted(findings.items())))


def _status(status: str) -> Status:
    for s in STATUSES:
        if s == status:
            return s
    raise ValueError(status)


def dump(review: ReviewFile) -> str:
    """The file's text, exactly as ``rules.review.save_review`` writes a .json review file."""
    return json.dumps(review.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"


def parse(data: bytes) -> ReviewFile:
    """A review file sent by a user: JSON or TOML (as the CLI writes either), read by content."""
    if len(data) > MAX_REVIEW_FILE_BYTES:
        raise ReviewInputError("web.docpage.review.file_too_large", mb=MAX_REVIEW_FILE_BYTES // (1024 * 1024))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReviewInputError("web.docpage.review.file_not_text") from None
    try:
        raw: object = json.loads(text)
    except json.JSONDecodeError:
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            raise ReviewInputError("web.docpage.review.file_not_review") from None
    try:
        return ReviewFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise ReviewInputError("web.docpage.review.file_invalid", where=where) from None


@dataclass(frozen=True)
class Imported:
    added: int  # decisions recorded
    unchanged: int  # already the state
    elsewhere: int  # about findings of other documents: left alone


def import_file(session: Session, doc: Document, source: str, review: ReviewFile) -> Imported:
    """Record the file's decisions about this document's findings (those of other documents are skipped);
    each keeps the reviewer and time the file names, so an older decision never overrides a newer one."""
    key = review_document_key(doc, source)
    ids = document_finding_ids(session, doc.id)
    current = {fid: rows[0] for fid, rows in history(session, review.findings).items()}
    rows = {r.finding_id: r for r in session.scalars(select(FindingRow).where(FindingRow.finding_id.in_(sorted(ids))))}
    added = unchanged = elsewhere = 0
    for fid, entry in review.findings.items():
        if fid not in ids and entry.document != key:
            elsewhere += 1
            continue
        at = _when(entry.when)
        was = current.get(fid)
        if was is not None and (was.status, was.reason, was.who, was.at) == (entry.status, entry.reason, entry.who, at):
            unchanged += 1
            continue
        if entry.status == "dismissed" and not entry.reason.strip():
            raise ReviewInputError("web.docpage.review.file_reason_missing", id=fid)
        finding = rows.get(fid)
        session.add(
            ReviewRow(
                finding_id=fid, document=entry.document or key, status=entry.status, reason=entry.reason.strip(), who=entry.who,
                at=at, rule=entry.rule or (finding.rule if finding else ""), source=entry.source or _name(source),
                message=entry.message or (finding.message if finding else ""),
            )
        )
        added += 1
    session.flush()
    return Imported(added, unchanged, elsewhere)


def _when(text: str) -> datetime:
    """A review entry's time as naive UTC (the table's convention); now when it is missing or unreadable."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return now()
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed
