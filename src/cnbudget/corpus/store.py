"""Storing one read file in the corpus, all or nothing, and saying what changed since the last version."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from cnbudget.rules.findings import Finding
from cnbudget.rules.registry import Config, sort_findings

from .formats import second_format_of
from .identity import document_key, finding_fingerprint
from .models import DisclosureBlob, Document, File, FindingRow, ValueRow, Version, VersionFile
from .reading import ReadResult, unpack
from .rows import add_findings, label, place_label
from .yoy import Rechecked, prior_disclosure, recheck_next_year, year_over_year

Status = Literal["new", "version", "format", "unchanged", "unreadable"]


@dataclass
class Outcome:
    """What ingest did with one file; for a new version, the findings fixed, new and remaining
    (each as 'rule（table row column）', the place a reviewer looks at)."""

    path: str
    status: Status
    document: str = ""  # department year kind scope, for the summary
    version: int = 0
    error: str = ""
    fixed: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    remaining: list[str] = field(default_factory=list)
    part: bool = False  # tables-only after narrative-only (or the reverse): likely a second file of one disclosure
    format: str = ""  # the file's format, for a further format of a stored version
    figures: tuple[int, int] = (0, 0)  # (in this file, in the version as stored), for a further format
    rechecked: list[Rechecked] = field(default_factory=list)  # the next year's disclosure, its year-over-year checks re-run


def known_file(session: Session, sha256: str) -> bool:
    """True when this exact file is already a version of some document, or a further format of one
    (re-ingesting it changes nothing)."""
    stmt = select(Version.id).join(File, Version.file_id == File.id).where(File.sha256 == sha256).limit(1)
    if session.scalar(stmt) is not None:
        return True
    further = select(VersionFile.id).join(File, VersionFile.file_id == File.id).where(File.sha256 == sha256).limit(1)
    return session.scalar(further) is not None


def describe(department: str, year: int | None, kind: str, scope: str) -> str:
    return " ".join(p for p in (department or "?", str(year or "?"), kind or "?", scope or "") if p)


def store(session: Session, read: ReadResult, department: str | None = None, config: Config | None = None) -> Outcome:
    """Write ``read`` in one transaction: a failure (or Ctrl-C) leaves nothing of it behind.

    ``department`` names the department of a file whose own cover did not say it (ingest --department).
    With ``config``, the year-over-year checks run against the stored disclosure of the year before, and
    those of the stored disclosure of the year after are run again against this one (it may have come late).
    A file with the figures of the last version, read from another format, is recorded as a further file
    of that version (status "format"), not as a new version.
    """
    now = datetime.now(UTC).replace(tzinfo=None)
    if not read.sha256:  # could not even be opened: nothing to remember
        return Outcome(read.path, "unreadable", error=read.error)
    with session.begin():
        file = session.scalar(select(File).where(File.sha256 == read.sha256))
        if read.error:
            if file is None:
                session.add(File(sha256=read.sha256, path=read.path, size=read.size, error=read.error, seen_at=now))
            else:
                file.error, file.seen_at = read.error, now
            return Outcome(read.path, "unreadable", error=read.error)
        if known_file(session, read.sha256):
            return Outcome(read.path, "unchanged")
        meta = read.meta
        if department and not meta.department:
            meta = meta.model_copy(update={"department": department})
        key = document_key(meta, read.sha256)
        doc = session.scalar(select(Document).where(Document.key == key))
        if doc is None:
            doc = Document(
                key=key, department=meta.department, region=meta.region, year=meta.year, kind=meta.kind or "", scope=meta.scope or ""
            )
            session.add(doc)
            session.flush()
        if file is None:
            file = File(sha256=read.sha256, path=read.path, size=read.size, error="", seen_at=now)
            session.add(file)
        else:
            file.error, file.seen_at = "", now
        session.flush()
        last = session.scalar(select(func.max(Version.number)).where(Version.document_id == doc.id)) or 0
        latest = session.scalar(select(Version).where(Version.document_id == doc.id, Version.number == last)) if last else None
        twin = second_format_of(session, latest, read.format, read.values)
        if twin is not None:
            assert latest is not None
            outcome = Outcome(read.path, "format", describe(doc.department, doc.year, doc.kind, doc.scope), last)
            outcome.format, outcome.figures = read.format, (twin.figures, twin.stored)
            if not twin.fuller:
                session.add(VersionFile(version_id=latest.id, file_id=file.id, source=read.path, format=read.format, added_at=now))
                return outcome
            # the fuller reading of the same figures: the version is read from this file from now on
            session.add(VersionFile(version_id=latest.id, file_id=latest.file_id, source=latest.source, format=latest.format, added_at=now))
            latest.file_id, latest.source, latest.format = file.id, read.path, read.format
            for table in (FindingRow, ValueRow, DisclosureBlob):
                session.execute(delete(table).where(table.version_id == latest.id))
            session.flush()
            _write_reading(session, latest, read, _findings(session, doc, read, config))
            return outcome
        before = _fingerprints(session, doc.id, last) if last else {}
        part = bool(last) and read.disclosure != b"" and _complementary(session, doc.id, last, read.disclosure)
        findings = _findings(session, doc, read, config)
        version = Version(document_id=doc.id, number=last + 1, file_id=file.id, source=read.path, format=read.format, ingested_at=now)
        session.add(version)
        session.flush()
        _write_reading(session, version, read, findings)
        after = {finding_fingerprint(f): label(f) for f in findings}
        outcome = Outcome(read.path, "new" if last == 0 else "version", describe(doc.department, doc.year, doc.kind, doc.scope), last + 1)
        outcome.part = part
        if config is not None and read.disclosure:
            outcome.rechecked = recheck_next_year(session, doc, unpack(read.disclosure), config)
        if last and not part:  # a second part of the disclosure fixes nothing of the first: no diff claimed
            outcome.fixed = sorted(rule for fp, rule in before.items() if fp not in after)
            outcome.new = sorted(rule for fp, rule in after.items() if fp not in before)
            outcome.remaining = sorted(rule for fp, rule in after.items() if fp in before)
        return outcome


def _findings(session: Session, doc: Document, read: ReadResult, config: Config | None) -> list[Finding]:
    """The file's own findings, with (``config`` given) the year-over-year ones against the stored year before."""
    findings = list(read.findings)
    if config is not None and read.disclosure:
        prior = prior_disclosure(session, doc)
        if prior is not None:
            findings = sort_findings(findings + year_over_year(unpack(read.disclosure), prior, config))
    return findings


def _write_reading(session: Session, version: Version, read: ReadResult, findings: list[Finding]) -> None:
    """A version's reading: its Disclosure, findings (and their counts) and values."""
    counts = Counter(f.severity for f in findings)
    version.errors, version.warnings, version.infos = counts["error"], counts["warning"], counts["info"]
    if read.disclosure:
        session.add(DisclosureBlob(version_id=version.id, body=read.disclosure))
    add_findings(session, version.id, findings)
    value_rows = [
        {
            "version_id": version.id, "table_spec": v.table_spec, "table_name": v.table_name, "side": v.side,
            "row_code": v.row_code, "row_label": v.row_label, "column": v.column, "printed": v.printed,
            "value": v.value, "unit": v.unit, "page": v.page, "line": v.line,
        }
        for v in read.values
    ]
    if value_rows:
        session.execute(insert(ValueRow), value_rows)


def _shape(body: bytes) -> tuple[bool, bool]:
    """(prints standard tables, prints a narrative)."""
    d = unpack(body)
    return any(t.spec_id not in ("LOCAL", "") for t in d.tables), bool(d.sections or d.facts)


def _complementary(session: Session, document_id: int, number: int, body: bytes) -> bool:
    """True when the last version printed only tables and this file only a narrative, or the reverse:
    two files of one disclosure published separately, not a corrected version of one file."""
    stmt = (
        select(DisclosureBlob.body)
        .join(Version, DisclosureBlob.version_id == Version.id)
        .where(Version.document_id == document_id, Version.number == number)
    )
    before = session.scalar(stmt)
    if before is None:
        return False
    shapes = {_shape(before), _shape(body)}
    return shapes == {(True, False), (False, True)}


def _fingerprints(session: Session, document_id: int, number: int) -> dict[str, str]:
    stmt = (
        select(
            FindingRow.fingerprint, FindingRow.rule, FindingRow.actual, FindingRow.expected,
            FindingRow.table, FindingRow.row, FindingRow.column, FindingRow.section,
        )
        .join(Version, FindingRow.version_id == Version.id)
        .where(Version.document_id == document_id, Version.number == number)
    )
    return {
        fp: place_label(rule, actual, expected, table, row, column or section)
        for fp, rule, actual, expected, table, row, column, section in session.execute(stmt)
    }
