"""One registry of findings-report formats: name → writer.

A format is registered here once (name, what it is, where its writer lives, whether it must go to a
file); `cnbudget check --format` offers exactly the registered names, and the command never names a
format itself. Writers are loaded only when their format is used, so the light formats never import
openpyxl. Every writer takes each DocumentReport as soon as it is checked (``add``), hears of inputs
that could not be read (``unreadable``), and finishes with ``close`` (or ``abort`` after a failure).
Text, JSON and CSV write each document at once; HTML and xlsx need the whole batch for their overview
and collect it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cnbudget.rules.report import DocumentReport


class FindingsWriter(Protocol):
    def add(self, report: DocumentReport) -> None: ...

    def unreadable(self, source: str, error: str) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


@dataclass(frozen=True)
class ReportFormat:
    name: str
    description: str
    writer: str  # "module:callable", called with the output path (None: standard output)
    needs_file: bool = False
    suffix: str = ""  # the file name's ending when it is not the format's name (checklist → xlsx)

    def open(self, path: Path | None) -> FindingsWriter:
        """A writer for this format (OSError if the output cannot be created)."""
        module, name = self.writer.split(":")
        factory = getattr(import_module(module), name)
        writer: FindingsWriter = factory(path)
        return writer


FORMATS: dict[str, ReportFormat] = {}


def register(fmt: ReportFormat) -> ReportFormat:
    """Add a format (a later registration of the same name replaces the earlier one)."""
    FORMATS[fmt.name] = fmt
    return fmt


def get(name: str) -> ReportFormat:
    return FORMATS[name]


class NullWriter:
    """Writes nothing: ``--statistics`` without ``-o`` prints the counts instead of the report."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def add(self, report: DocumentReport) -> None:
        pass

    def unreadable(self, source: str, error: str) -> None:
        pass

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


class _Collecting:
    """HTML and xlsx: the overview needs every document, so the reports are kept until close."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.reports: list[DocumentReport] = []
        self.failed: list[tuple[str, str]] = []

    def add(self, report: DocumentReport) -> None:
        self.reports.append(report)

    def unreadable(self, source: str, error: str) -> None:
        self.failed.append((source, error))

    def abort(self) -> None:
        self.reports.clear()


class HtmlWriter(_Collecting):
    def close(self) -> None:
        from cnbudget.render.html import to_html
        from cnbudget.render.report import TextSink

        sink = TextSink(self.path)
        try:
            sink.write(to_html(self.reports, self.failed))
        except BaseException:
            sink.abort()
            raise
        sink.close()


class XlsxWriter(_Collecting):
    def close(self) -> None:
        from cnbudget.render.xlsx import write_xlsx

        assert self.path is not None  # needs_file
        write_xlsx(self.reports, self.path, self.failed)


class ChecklistWriter(_Collecting):
    def close(self) -> None:
        from cnbudget.render.checklist import write_checklist

        assert self.path is not None  # needs_file
        write_checklist(self.reports, self.path, self.failed)


register(ReportFormat("text", "terminal text grouped by table and narrative section", "cnbudget.render.report:TextWriter"))
register(ReportFormat("concise", "one finding per line: file:page:rule: message", "cnbudget.render.report:ConciseWriter"))
register(ReportFormat("json", 'JSON: {"documents": [{source, meta, findings}]}', "cnbudget.render.report:JsonWriter"))
register(ReportFormat("csv", "CSV, one row per finding", "cnbudget.render.report:CsvWriter"))
register(ReportFormat("html", "a self-contained HTML report", "cnbudget.render.formats:HtmlWriter"))
register(ReportFormat("xlsx", "an xlsx issue list", "cnbudget.render.formats:XlsxWriter", needs_file=True))
register(
    ReportFormat(
        "checklist",
        "the reviewer's 公开情况检查表 (xlsx, one sheet per document)",
        "cnbudget.render.formats:ChecklistWriter",
        needs_file=True,
        suffix="xlsx",
    )
)
