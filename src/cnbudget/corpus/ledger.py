"""The ledger: every disclosure in the corpus with its status, and the expected ones not yet received."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Document, File, FindingRow, ReviewRow, Version
from .spec import corpus_spec

NEEDS_DECISION = ("error", "warning")  # the severities a document needs decided before it counts as reviewed


@dataclass
class Entry:
    department: str
    region: str
    year: int | None
    kind: str
    scope: str
    versions: int
    status: str  # checked / reviewed / missing
    errors: int
    warnings: int
    source: str = ""  # the latest version's file, shown where the department was not read
    document_id: int = 0  # the corpus row, for links in the web application (0: missing)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of the ledger (``source`` and ``document_id`` are not part of it)."""
        d = asdict(self)
        del d["source"], d["document_id"]
        return d


def ledger(session: Session, year: int | None = None, kind: str | None = None) -> list[Entry]:
    """One entry per stored disclosure: the counts of its latest version."""
    latest = (
        select(Version.document_id, func.max(Version.number).label("n"), func.count(Version.id).label("count"))
        .group_by(Version.document_id)
        .subquery()
    )
    stmt = (
        select(Document, latest.c.count, Version.errors, Version.warnings, Version.source)
        .join(latest, latest.c.document_id == Document.id)
        .join(Version, (Version.document_id == Document.id) & (Version.number == latest.c.n))
    )
    if year is not None:
        stmt = stmt.where(Document.year == year)
    if kind:
        stmt = stmt.where(Document.kind == kind)
    entries = [
        Entry(doc.department, doc.region, doc.year, doc.kind, doc.scope, count, "checked", errors, warnings, source, doc.id)
        for doc, count, errors, warnings, source in session.execute(stmt)
    ]
    return sorted(entries, key=lambda e: (e.department, e.year or 0, e.kind, e.scope))


def unreadable(session: Session) -> list[tuple[str, str]]:
    """(path, reason) of every file that could not be read and was never stored as a version."""
    stmt = select(File.path, File.error).where(File.error != "").order_by(File.path)
    return [(path, error) for path, error in session.execute(stmt)]


def read_expected(path: Path, year: int | None, kind: str | None) -> list[tuple[str, int | None, str, str]]:
    """(department, year, kind, scope) expected, from a CSV whose header names its columns (specs/corpus.json)."""
    names: dict[str, list[str]] = corpus_spec()["expect_columns"]
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out: list[tuple[str, int | None, str, str]] = []
    for row in rows:
        cell = {key: next((row[c].strip() for c in synonyms if row.get(c)), "") for key, synonyms in names.items()}
        if not cell["department"]:
            continue
        y = int(cell["year"]) if cell["year"].isdigit() else year
        out.append((cell["department"], y, cell["kind"] or (kind or ""), cell["scope"]))
    return out


def with_expected(entries: list[Entry], expected: list[tuple[str, int | None, str, str]]) -> list[Entry]:
    """The entries plus a 'missing' entry for each expected disclosure that no entry matches."""
    out = list(entries)
    for department, year, kind, scope in expected:
        found = any(
            e.department == department
            and (year is None or e.year == year)
            and (not kind or e.kind == kind)
            and (not scope or e.scope == scope)
            for e in entries
        )
        if not found:
            out.append(Entry(department, "", year, kind, scope, 0, "missing", 0, 0))
    return sorted(out, key=lambda e: (e.department, e.year or 0, e.kind, e.scope))


def reviewed_documents(session: Session, document_ids: Sequence[int]) -> set[int]:
    """The documents whose latest version has errors or warnings and a decision about every one of them."""
    if not document_ids:
        return set()
    latest = (
        select(Version.document_id, func.max(Version.number).label("n"))
        .where(Version.document_id.in_(document_ids))
        .group_by(Version.document_id)
        .subquery()
    )
    decided = select(ReviewRow.id).where(ReviewRow.finding_id == FindingRow.finding_id).exists()
    stmt = (
        select(Version.document_id, FindingRow.finding_id, decided)
        .join(latest, (latest.c.document_id == Version.document_id) & (latest.c.n == Version.number))
        .join(FindingRow, FindingRow.version_id == Version.id)
        .where(FindingRow.severity.in_(NEEDS_DECISION))
    )
    state: dict[int, bool] = {}
    for document_id, finding_id, has_decision in session.execute(stmt):
        state[document_id] = state.get(document_id, True) and bool(finding_id) and bool(has_decision)
    return {d for d, all_decided in state.items() if all_decided}


def with_reviewed(session: Session, entries: list[Entry]) -> list[Entry]:
    """The ledger entries, 'reviewed' where every error and warning of the latest version has a decision."""
    done = reviewed_documents(session, [e.document_id for e in entries if e.document_id])
    for e in entries:
        if e.status == "checked" and e.document_id in done:
            e.status = "reviewed"
    return entries
