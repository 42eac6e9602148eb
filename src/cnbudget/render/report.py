"""Findings rendered for people (terminal text) and machines (JSON, CSV), one document at a time.

Each format has a writer that receives one DocumentReport as soon as it is checked and writes it out
at once (``render.formats`` registers them), so a batch never holds all its reports. The JSON shape
is the contract other tools read::

    {"documents": [{"source": …, "meta": {…},
                    "findings": [{"id", "rule", "category", "severity", "message",
                                  "location": {"file", "page", "table", "section", "row", "column", "bbox"},
                                  "expected", "actual", ["instances": [{…}]]}],
                    "coverage": [{"rule", "status": "ran" | "not checked" | "not applicable", "reason", "reason_code", "reason_codes"}],
                    # only when a review file applied (rules/review.py):
                    "confirmed": [id], "dismissed": [{…finding, "review": {status, reason, who, when, …}}],
                    "fixed": [{"id", "review": {…}}]}]}
"""

from __future__ import annotations

import csv
import io
import json
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, TextIO

from rich.console import Console

from cnbudget.i18n import t
from cnbudget.model import source_name
from cnbudget.outfile import is_special
from cnbudget.render import coverage
from cnbudget.rules.findings import SEVERITY_ORDER, Finding, file_shown
from cnbudget.rules.report import DocumentReport
from cnbudget.safe_text import shown

GroupKind = Literal["table", "section", "document"]

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


class TextSink:
    """Where a text report goes: standard output, or a file written beside its final name and moved there on close.

    A report is never left half-written under its real name.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._part = path.with_name(path.name + ".part") if path is not None and not is_special(path) else None
        if path is not None and self._part is None:  # a device or pipe (-o /dev/null): written in place
            self.stream: TextIO = path.open("w", encoding="utf-8", newline="")
        else:
            self.stream = sys.stdout if self._part is None else self._part.open("w", encoding="utf-8", newline="")

    def write(self, text: str) -> None:
        self.stream.write(text)

    def close(self) -> None:
        if self._part is None:
            self.stream.flush()
            if self.stream is not sys.stdout:
                self.stream.close()
            return
        self.stream.close()
        assert self.path is not None
        self._part.replace(self.path)

    def abort(self) -> None:
        if self.stream is not sys.stdout:
            self.stream.close()
        if self._part is not None:
            self._part.unlink(missing_ok=True)


class _StreamingWriter:
    """Shared by the writers that write each document as it arrives; unreadable inputs are on stderr only."""

    def __init__(self, path: Path | None) -> None:
        self.sink = TextSink(path)

    def unreadable(self, source: str, error: str) -> None:
        """Text, JSON and CSV list only what was checked; the command prints each unreadable input on stderr."""

    def abort(self) -> None:
        self.sink.abort()


# --- JSON ---------------------------------------------------------------------------------------


def document_json(r: DocumentReport) -> dict[str, Any]:
    return {
        "source": r.source,
        "meta": r.meta.model_dump(mode="json"),
        "findings": [f.as_dict() for f in r.findings],
        "coverage": coverage.coverage_json(r.coverage),
        **review_json(r),
    }


def review_json(r: DocumentReport) -> dict[str, Any]:
    """The review state of a document (only when a review file applied): dismissed and fixed findings."""
    if not (r.dismissed or r.fixed or r.confirmed):
        return {}
    return {
        "confirmed": sorted(r.confirmed),
        "dismissed": [
            {**(x.finding.as_dict() if x.finding else {"id": x.id}), "review": x.entry.model_dump(mode="json")} for x in r.dismissed
        ],
        "fixed": [{"id": x.id, "review": x.entry.model_dump(mode="json")} for x in r.fixed],
    }


class JsonWriter(_StreamingWriter):
    """``{"documents": [...]}``, byte for byte as ``json.dumps(indent=1)`` of the whole, written one document at a time."""

    def __init__(self, path: Path | None) -> None:
        super().__init__(path)
        self.count = 0

    def add(self, report: DocumentReport) -> None:
        body = textwrap.indent(json.dumps(document_json(report), ensure_ascii=False, indent=1), "  ")
        self.sink.write(('{\n "documents": [\n' if self.count == 0 else ",\n") + body)
        self.count += 1

    def close(self) -> None:
        self.sink.write('{\n "documents": []\n}\n' if self.count == 0 else "\n ]\n}\n")
        self.sink.close()


def to_json(reports: Sequence[DocumentReport]) -> str:
    data = {"documents": [document_json(r) for r in reports]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


# --- CSV ----------------------------------------------------------------------------------------

BOM = "\ufeff"

CSV_COLUMNS = (
    "source",
    "rule",
    "category",
    "severity",
    "message",
    "page",
    "line",
    "table",
    "section",
    "row",
    "column",
    "bbox",
    "expected",
    "actual",
    "id",
    "department",
    "year",
    "kind",
    "status",
    "reason",
    "file",  # the file the finding's page or line is in (``source`` is the document, which may join several)
)


def csv_header() -> list[str]:
    """The header row in the reader's language (messages/<lang>/report.toml [csv])."""
    return [t(f"csv.{c}") for c in CSV_COLUMNS]


def csv_rows(r: DocumentReport) -> list[list[Any]]:
    """One row per finding (spreadsheet-friendly: finance staff sort and filter these)."""
    rows: list[list[Any]] = []
    m = r.meta
    doc = [m.department, m.year if m.year is not None else "", m.kind or ""]
    status: list[tuple[Finding, str, str]] = [(f, "confirmed" if f.id in r.confirmed else "", "") for f in r.findings]
    status += [(x.finding, "dismissed", x.entry.reason) for x in r.dismissed if x.finding is not None]
    for f, state, reason in status:
        loc = f.location
        bbox = ",".join(f"{x:.1f}" for x in loc.bbox) if loc.bbox else ""
        rows.append(
            [
                r.source,
                f.rule,
                f.category,
                f.severity,
                f.text(),
                loc.page if loc.page is not None else "",
                loc.line if loc.line is not None else "",
                loc.table,
                loc.section,
                loc.row,
                loc.column,
                bbox,
                f.expected,
                f.actual,
                f.id,
                *doc,
                state,
                reason,
                loc.file,
            ]
        )
    for x in r.fixed:
        row: list[Any] = [r.source, x.entry.rule, "", "", x.entry.message]
        rows.append(row + [""] * (len(CSV_COLUMNS) - len(row) - 7) + [x.id, *doc, "fixed", x.entry.reason, ""])
    rows += coverage.csv_rows(r.source, r.coverage, len(CSV_COLUMNS))
    return rows


class CsvWriter(_StreamingWriter):
    """A CSV file starts with a BOM, so that Excel on Chinese Windows reads it as UTF-8 (standard output has none)."""

    def __init__(self, path: Path | None) -> None:
        super().__init__(path)
        if path is not None:
            self.sink.write(BOM)
        self.csv = csv.writer(self.sink.stream, lineterminator="\n")
        self.csv.writerow(csv_header())

    def add(self, report: DocumentReport) -> None:
        self.csv.writerows(csv_rows(report))

    def close(self) -> None:
        self.sink.close()


def to_csv(reports: Sequence[DocumentReport]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header())
    for r in reports:
        writer.writerows(csv_rows(r))
    return out.getvalue()


# --- terminal text ------------------------------------------------------------------------------

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def group_of(f: Finding) -> tuple[GroupKind, str]:
    """What a finding is grouped under in a report: its table, else its narrative section, else the document."""
    loc = f.location
    if loc.table:
        return "table", loc.table
    if loc.section:
        return "section", loc.section
    return "document", ""


def _group(f: Finding) -> str:
    kind, name = group_of(f)
    if kind == "table":
        return name
    if kind == "section":
        return t("report.in_section", section=name)
    return t("report.document")


def place_of(f: Finding, source: str = "") -> str:
    """Page (PDF) or line (converted text), row and [column], as one short string; the page's file
    first when the document ``source`` was read from several files."""
    loc = f.location
    file = file_shown(loc, source)
    parts = [file] if file else []
    if loc.page is not None:
        parts.append(t("finding.page", page=loc.page))
    elif loc.line is not None:
        parts.append(t("finding.line", line=loc.line))
    if loc.row:
        parts.append(loc.row)
    if loc.column:
        parts.append(f"[{loc.column}]")
    return " ".join(parts)


def render_text(reports: Sequence[DocumentReport], console: Console) -> None:
    """Per document: a summary line, then findings grouped by table / narrative section."""
    for r in reports:
        m = r.meta
        counts = r.counts()
        title = " ".join(x for x in (m.department, str(m.year or ""), m.kind or "") if x)
        console.print(f"[bold]{shown(source_name(r.source))}[/]  {shown(title)}")
        summary = t("report.separator").join(
            t(f"report.count_one.{s}" if counts.get(s, 0) == 1 else f"report.count.{s}", n=counts.get(s, 0)) for s in SEVERITY_ORDER
        )
        console.print(f"  {summary}")
        groups: dict[str, list[Finding]] = {}
        for f in r.findings:
            groups.setdefault(_group(f), []).append(f)
        for name, found in groups.items():
            console.print(f"\n  [bold underline]{shown(name)}[/]")
            for f in sorted(found, key=lambda x: (SEVERITY_ORDER[x.severity], x.location.line or 0)):
                style = STYLE[f.severity]
                place = place_of(f, r.source)
                label = t(f"severity.{f.severity}")
                mark = f" [green]{shown(t('review.confirmed_mark'))}[/]" if f.id in r.confirmed else ""
                head = f"  [{style}]{shown(label)}{' ' * max(0, 7 - _width(label))}[/] [bold]{shown(f.rule)}[/] [dim]{shown(f.id)}[/]{mark}"
                console.print(f"{head} {shown(place)}" if place else head)
                console.print(f"           {shown(f.text())}", highlight=False)
        render_review_text(r, console)
        coverage.render_text(r.coverage, console)
        console.print()


def render_review_text(r: DocumentReport, console: Console) -> None:
    """The findings the review set aside (dismissed, with the reason) and those a re-check no longer finds (fixed)."""
    if r.dismissed:
        console.print(f"\n  [bold underline]{shown(t('review.dismissed_heading', count=len(r.dismissed)))}[/]")
        for x in r.dismissed:
            rule = x.finding.rule if x.finding else x.entry.rule
            place = place_of(x.finding, r.source) if x.finding else ""
            console.print(f"  [dim]{shown(rule)} {shown(x.id)}[/] {shown(place)}", highlight=False)
            console.print(f"           {shown(x.finding.message if x.finding else x.entry.message)}", highlight=False)
            why = t("review.reason_line", reason=x.entry.reason or "—", who=x.entry.who or "—", when=x.entry.when)
            console.print(f"           {shown(why)}", highlight=False)
    if r.fixed:
        console.print(f"\n  [bold underline]{shown(t('review.fixed_heading', count=len(r.fixed)))}[/]")
        for x in r.fixed:
            console.print(f"  [green]{shown(x.entry.rule)} {shown(x.id)}[/] {shown(x.entry.message)}", highlight=False)


# --- concise and statistics ---------------------------------------------------------------------


def concise_lines(r: DocumentReport) -> list[str]:
    """``file:page:rule: message``, one line per counted finding (the line number for a converted text);
    in a document read from several files, the file is the one the page is in."""
    name = source_name(r.source)
    out = []
    for f in r.findings:
        loc = f.location
        where = loc.page if loc.page is not None else (loc.line if loc.line is not None else "")
        message = " ".join(f.message.split())
        out.append(f"{file_shown(loc, r.source) or name}:{where}:{f.rule}: [{t(f'severity.{f.severity}')}] {message} ({f.id})")
    return out


class ConciseWriter(_StreamingWriter):
    """One finding per line, never wrapped (grep, editors and CI read it); dismissed findings are left out."""

    def add(self, report: DocumentReport) -> None:
        lines = concise_lines(report)
        if lines:
            self.sink.write("\n".join(lines) + "\n")

    def close(self) -> None:
        self.sink.close()


def write_statistics(per_rule: dict[tuple[str, str], int], stream: TextIO | None = None) -> None:
    """Counts per rule and severity, most frequent first, as plain aligned lines."""
    from cnbudget.rules.registry import rule

    out = stream or sys.stdout
    total = 0
    for (rid, severity), count in sorted(per_rule.items(), key=lambda x: (-x[1], x[0])):
        try:
            title = rule(rid).name()
        except KeyError:
            title = ""
        label = t(f"severity.{severity}")
        out.write(f"{count:>6}  {rid:<14} {label}{' ' * max(1, 9 - _width(label))}{title}\n")
        total += count
    out.write(t("check.statistics_total", total=total, rules=len({r for r, _ in per_rule})) + "\n")


def _width(text: str) -> int:
    """Columns a text takes in a terminal (a Chinese character takes two)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


class TextWriter(_StreamingWriter):
    """Coloured on a terminal; plain text, 120 columns wide, in a file."""

    def __init__(self, path: Path | None) -> None:
        super().__init__(path)
        self.terminal = Console() if path is None else None

    def add(self, report: DocumentReport) -> None:
        if self.terminal is not None:
            render_text([report], self.terminal)
            return
        buffer = Console(record=True, width=120, file=io.StringIO())
        render_text([report], buffer)
        self.sink.write(buffer.export_text())

    def close(self) -> None:
        self.sink.close()
