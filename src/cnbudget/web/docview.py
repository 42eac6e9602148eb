"""What the document page shows, read from the corpus: a document's versions, one version's findings (with
their review state), tables and narrative (from the stored Disclosure), coverage, and what changed between
two versions. Plain data for the routes and templates; no HTTP here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cnbudget.corpus.models import DisclosureBlob, Document, File, FindingRow, Job, ValueRow, Version
from cnbudget.corpus.reading import unpack
from cnbudget.model import Disclosure, Section, Table, source_name

from .reviews import Decision, history
from .storage import Storage

LINES_AROUND = 6  # lines shown above and below a finding's line in a text document


@dataclass(frozen=True)
class VersionInfo:
    number: int
    source: str  # the file's name (as uploaded, or as ingested), never a path
    format: str
    errors: int
    warnings: int
    infos: int
    ingested_at: datetime
    sha256: str


@dataclass(frozen=True)
class FindingView:
    row_id: int
    finding_id: str
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
    bbox: tuple[float, float, float, float] | None
    decisions: list[Decision] = field(default_factory=list)  # newest first

    @property
    def state(self) -> str:
        """The newest decision's status, '' when none was made."""
        return self.decisions[0].status if self.decisions else ""


def bbox_of(text: str) -> tuple[float, float, float, float] | None:
    parts = text.split(",") if text else []
    if len(parts) != 4:
        return None
    try:
        x0, top, x1, bottom = (float(p) for p in parts)
    except ValueError:
        return None
    return (x0, top, x1, bottom)


def versions(session: Session, doc: Document) -> list[VersionInfo]:
    stmt = (
        select(Version, File.sha256, Job.filename)
        .join(File, Version.file_id == File.id)
        .outerjoin(Job, Job.version_id == Version.id)
        .where(Version.document_id == doc.id)
        .order_by(Version.number)
    )
    seen: dict[int, VersionInfo] = {}
    for v, sha, uploaded in session.execute(stmt):
        if v.number not in seen:
            name = uploaded or source_name(v.source)
            seen[v.number] = VersionInfo(v.number, name, v.format, v.errors, v.warnings, v.infos, v.ingested_at, sha)
    return list(seen.values())


def version_row(session: Session, doc: Document, number: int | None) -> Version | None:
    """Version ``number`` of the document, or its latest."""
    stmt = select(Version).where(Version.document_id == doc.id)
    stmt = stmt.where(Version.number == number) if number is not None else stmt.order_by(Version.number.desc()).limit(1)
    return session.scalar(stmt)


def findings(session: Session, version: Version) -> list[FindingView]:
    """The version's findings in the order they were stored (the checker's order), each with its decisions."""
    rows = list(session.scalars(select(FindingRow).where(FindingRow.version_id == version.id).order_by(FindingRow.id)))
    decided = history(session, (r.finding_id for r in rows if r.finding_id))
    return [
        FindingView(
            r.id, r.finding_id, r.rule, r.category, r.severity, r.message, r.page, r.line, r.table, r.section, r.row, r.column,
            r.expected, r.actual, bbox_of(r.bbox), decided.get(r.finding_id, []),
        )
        for r in rows
    ]


def disclosure(session: Session, version: Version) -> Disclosure | None:
    body = session.scalar(select(DisclosureBlob.body).where(DisclosureBlob.version_id == version.id))
    return unpack(body) if body is not None else None


@dataclass(frozen=True)
class TableView:
    spec_id: str
    name: str
    title: str
    unit: str
    page: int | None
    columns: list[str]  # value columns, as printed (header path)
    rows: list[tuple[str, str, list[str]]]  # (code, label, printed value per column)
    empty: bool
    note: str
    understood: bool
    problems: list[str]


def table_views(d: Disclosure) -> list[TableView]:
    """Every table as printed: its value columns, and each row's code, label and printed values."""
    return [_table_view(t) for t in d.tables]


def _table_view(t: Table) -> TableView:
    keys: list[str] = []
    heads: list[str] = []
    for c in t.columns:
        if c.role == "value" and c.key not in keys:
            keys.append(c.key)
            heads.append(c.path or c.key)
    for row in t.rows:  # a value column the header did not name still shows
        for v in row.values:
            if v.column not in keys:
                keys.append(v.column)
                heads.append(v.path or v.column)
    rows = []
    for row in t.rows:
        by_key = {v.column: v.text for v in row.values}
        label = f"{row.side}｜{row.label}" if row.side else row.label
        rows.append((row.code, label, [by_key.get(k, "") for k in keys]))
    return TableView(
        t.spec_id, t.name, t.title, t.unit or "", t.location.page, heads, rows, t.empty, t.note, t.understood, list(t.problems)
    )


@dataclass(frozen=True)
class SectionView:
    number: str
    title: str
    level: int
    page: int | None
    line: int | None
    paragraphs: list[str]
    children: list[SectionView]


def section_views(d: Disclosure) -> list[SectionView]:
    return [_section_view(s) for s in d.sections]


def _section_view(s: Section) -> SectionView:
    return SectionView(
        s.number, s.title, s.level, s.location.page, s.location.line, [p.text for p in s.paragraphs], [_section_view(c) for c in s.children]
    )


@dataclass(frozen=True)
class CoverageView:
    rule: str
    status: str
    reason: str


def coverage(session: Session, storage: Storage, doc: Document, version: Version, sha256: str) -> list[CoverageView]:
    """Which rules ran on this version and which could not (and why), as ``check`` reports it; computed
    once from the stored Disclosure (with the stored prior-year disclosure where ingest had one) and cached."""
    from cnbudget.rules.registry import Config, check_document

    cached = storage.cache_path("coverage", f"{sha256}-{version.id}.json")
    if cached.is_file():
        return [CoverageView(**c) for c in json.loads(cached.read_text(encoding="utf-8"))]
    d = disclosure(session, version)
    if d is None:
        return []
    prior = _prior_at_ingest(session, doc, version)
    result = check_document(d, Config(), prior)
    views = [CoverageView(c.rule, c.status, c.reason) for c in result.coverage]
    tmp = cached.with_name(cached.name + ".part")
    tmp.write_text(json.dumps([c.__dict__ for c in views], ensure_ascii=False), encoding="utf-8")
    tmp.replace(cached)
    return views


def _prior_at_ingest(session: Session, doc: Document, version: Version) -> Disclosure | None:
    """The prior year's disclosure ingest compared this version with: one stored before this version was."""
    from cnbudget.corpus.yoy import prior_disclosure

    if not doc.department or doc.year is None:
        return None
    stmt = (
        select(Version.ingested_at)
        .join(Document, Version.document_id == Document.id)
        .where(Document.department == doc.department, Document.year == doc.year - 1, Document.kind == doc.kind, Document.scope == doc.scope)
        .order_by(Version.ingested_at)
        .limit(1)
    )
    first = session.scalar(stmt)
    if first is None or first > version.ingested_at:
        return None
    return prior_disclosure(session, doc)


@dataclass(frozen=True)
class ValueChange:
    table: str
    row: str
    column: str
    before: str  # as printed; '' when the value is new
    after: str  # '' when the value is gone


@dataclass(frozen=True)
class Changes:
    before: int
    after: int
    fixed: list[FindingView]
    new: list[FindingView]
    remaining: list[FindingView]
    values: list[ValueChange]


def changes(session: Session, doc: Document, a: Version, b: Version) -> Changes:
    """Findings fixed / new / remaining from version ``a`` to ``b`` (by fingerprint, as ingest compares them)
    and every printed value that changed, appeared or went."""
    fa, fb = _by_fingerprint(session, a), _by_fingerprint(session, b)
    views_a = {f.row_id: f for f in findings(session, a)}
    views_b = {f.row_id: f for f in findings(session, b)}
    fixed = [views_a[r] for fp, r in fa.items() if fp not in fb]
    new = [views_b[r] for fp, r in fb.items() if fp not in fa]
    remaining = [views_b[r] for fp, r in fb.items() if fp in fa]
    va, vb = _values(session, a), _values(session, b)
    values = [
        ValueChange(k[0], k[2] if not k[1] else f"{k[1]} {k[2]}", k[3], va.get(k, ""), vb.get(k, ""))
        for k in sorted(set(va) | set(vb))
        if va.get(k) != vb.get(k)
    ]
    return Changes(a.number, b.number, fixed, new, remaining, values)


def _by_fingerprint(session: Session, version: Version) -> dict[str, int]:
    stmt = select(FindingRow.fingerprint, FindingRow.id).where(FindingRow.version_id == version.id).order_by(FindingRow.id)
    out: dict[str, int] = {}
    for fp, row_id in session.execute(stmt):
        out.setdefault(fp, row_id)
    return out


def _values(session: Session, version: Version) -> dict[tuple[str, str, str, str], str]:
    """(table, code, label with side, column) → printed text; the first of a repeated key is kept."""
    stmt = (
        select(ValueRow.table_name, ValueRow.row_code, ValueRow.side, ValueRow.row_label, ValueRow.column, ValueRow.printed)
        .where(ValueRow.version_id == version.id)
        .order_by(ValueRow.id)
    )
    out: dict[tuple[str, str, str, str], str] = {}
    for table, code, side, label, column, printed in session.execute(stmt):
        out.setdefault((table, code, f"{side}｜{label}" if side else label, column), printed)
    return out


@dataclass(frozen=True)
class TextLines:
    line: int
    first: int  # number of the first line shown
    lines: list[str]


def text_lines(file: Path, line: int, around: int = LINES_AROUND) -> TextLines | None:
    """The lines of a converted text around ``line`` (1-based), decoded as the reader decodes it; None
    when the line is not in the file."""
    from cnbudget.errors import InputError
    from cnbudget.ingest.text import decode

    try:
        text = decode(file.read_bytes(), file.name)
    except (InputError, OSError):
        return None
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    first = max(1, line - around)
    return TextLines(line, first, lines[first - 1 : min(len(lines), line + around)])
