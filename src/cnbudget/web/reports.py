"""Report files of a stored document, made from its stored file by the functions `cnbudget check` uses.

The file is the web store's copy (by sha256), else the corpus ``File.path`` when that file still has the
stored sha256 — never a name a user gave. It is read with ``api.read`` and checked with ``api.check_one``
under the server folder's configuration (as ``cnbudget check`` run there), and the report carries the
version's source name (what the CLI was given when the corpus ingested it; its file name alone when the
file comes from the web store), so the findings, their ids and every sentence are the CLI's. The writers
are the render/formats registry's and render/annotate.py's. The review decisions stored for the
document (``reviews`` table, the newest per finding) are applied as `cnbudget check --review` applies a
review file. The last few reports are kept in memory (before the review state, which is applied at each
download): the checklist, the HTML and the xlsx of one document cost one reading.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path, PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from cnbudget.corpus.models import File, Job, Version
from cnbudget.i18n import lang
from cnbudget.rules.identity import document_key
from cnbudget.rules.report import DocumentReport
from cnbudget.rules.review import ReviewFile

from .storage import Storage

REPORT_FORMATS: tuple[str, ...] = ("checklist", "html", "xlsx")  # names in render/formats.FORMATS
_SHA = re.compile(r"[0-9a-f]{64}")
_CACHE_SIZE = 8


@dataclass(frozen=True)
class StoredFile:
    """The file to read for a version, and the name its reports give it."""

    path: Path
    source: str
    sha256: str
    is_pdf: bool


class ReportFailed(Exception):
    """The stored file cannot be read or checked now (``reason`` is the reader's sentence)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _is_pdf(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(1024).lstrip(b"\x00\t\r\n ").startswith(b"%PDF")


def _upload_name(session: Session, sha256: str) -> str:
    """The file name the uploader gave this content (shown only, never a path), or ''."""
    name = session.scalar(select(Job.filename).where(Job.sha256 == sha256, Job.filename != "").order_by(Job.id.desc()).limit(1))
    return PurePath(name.replace("\\", "/")).name if name else ""


def stored_file(session: Session, storage: Storage, version: Version) -> StoredFile | None:
    """Where the version's file is now (web store first, then the corpus path with the same content); None when gone."""
    file = session.get(File, version.file_id)
    if file is None or not _SHA.fullmatch(file.sha256):
        return None
    if storage.has(file.sha256):
        path = storage.path(file.sha256)
        name = PurePath(version.source.replace("\\", "/")).name
        if _SHA.fullmatch(name) or not name:
            name = _upload_name(session, file.sha256) or name
        return StoredFile(path, name or file.sha256, file.sha256, _is_pdf(path))
    path = Path(file.path)
    try:
        if path.is_file() and _sha256(path) == file.sha256:
            return StoredFile(path, version.source, file.sha256, _is_pdf(path))
    except OSError:
        return None
    return None


class _Reports:
    """A few recent reports, by file content, name and language (checking is the slow part)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[str, str, str], DocumentReport] = OrderedDict()

    def get(self, key: tuple[str, str, str]) -> DocumentReport | None:
        with self._lock:
            report = self._kept.get(key)
            if report is not None:
                self._kept.move_to_end(key)
            return report

    def put(self, key: tuple[str, str, str], report: DocumentReport) -> None:
        with self._lock:
            self._kept[key] = report
            self._kept.move_to_end(key)
            while len(self._kept) > _CACHE_SIZE:
                self._kept.popitem(last=False)


_reports = _Reports()


def report_of(stored: StoredFile) -> DocumentReport:
    """The document's report as `cnbudget check` makes it; ReportFailed when the file cannot be read now."""
    from cnbudget.api import check_one, read
    from cnbudget.errors import InputError
    from cnbudget.rules.registry import ConfigError, load_config

    key = (stored.sha256, stored.source, lang())
    kept = _reports.get(key)
    if kept is not None:
        return kept
    try:
        config = load_config(None)
        d = read(stored.path)
        report = check_one(d.model_copy(update={"source": stored.source}), config=config)
    except (InputError, ConfigError) as exc:
        raise ReportFailed(str(exc)) from None
    _reports.put(key, report)
    return report


def review_of(session: Session, report: DocumentReport) -> ReviewFile:
    """The document's review state from the ``reviews`` table (web/reviews.review_state): the newest
    decision per finding id, for the report's findings and any other recorded for its document key."""
    from .reviews import review_state

    return review_state(session, document_key(report.meta, report.source), [f.id for f in report.findings if f.id])


def reviewed_report(session: Session, stored: StoredFile) -> DocumentReport:
    """The report with the stored review state applied."""
    report = report_of(stored)
    review = review_of(session, report)
    return report.reviewed(review) if review.findings else report


def write_report(format_name: str, report: DocumentReport, out: Path) -> None:
    """Write one document's report in a registered format (as `cnbudget check -f NAME -o OUT`)."""
    from cnbudget.render import formats

    writer = formats.get(format_name).open(out)
    try:
        writer.add(report)
        writer.close()
    except BaseException:
        writer.abort()
        raise


def write_annotated(stored: StoredFile, report: DocumentReport, out: Path) -> None:
    """The annotated copy of a PDF (as `cnbudget check --annotate OUT`)."""
    import pypdfium2 as pdfium

    from cnbudget.render.annotate import annotate_pdf

    try:
        annotate_pdf(str(stored.path), report, out)
    except (OSError, ValueError, pdfium.PdfiumError) as exc:
        raise ReportFailed(str(exc)) from None
