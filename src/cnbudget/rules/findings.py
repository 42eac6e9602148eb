"""What a rule reports: a Finding, with the place in the document it is about.

A finding states what was printed (``actual``) and what the rule expected (``expected``), both as
text exactly as a reviewer would write them down, and points at the table, row and column (or the
narrative section) so that a report, an annotated PDF or a spreadsheet can show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from cnbudget.i18n import Joined, Message, render
from cnbudget.model import PARTS_SEPARATOR, BBox, Location, Row, Table, Value, source_name

Severity = Literal["error", "warning", "info"]
Category = Literal["completeness", "arithmetic", "cross_table", "narrative", "classification", "performance_score", "year_over_year"]

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
CATEGORIES: tuple[Category, ...] = (
    "completeness",
    "arithmetic",
    "cross_table",
    "narrative",
    "classification",
    "performance_score",
    "year_over_year",
)
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Where:
    """The place a finding is about. Every field is optional: a missing table is nowhere."""

    page: int | None = None
    table: str = ""  # 'B5 一般公共预算支出表' (spec id + canonical name): stable across documents
    section: str = ""  # narrative section, for narrative findings
    row: str = ""  # '2210201 住房公积金', or the printed label
    column: str = ""  # printed header path
    bbox: BBox | None = None
    line: int | None = None  # line in a converted text file (text sources have no page)
    # the file the page or line is in (``Location.source``): a page alone names no page of a disclosure
    # read from several files. Not part of the finding id (rules/identity.py), which names no file.
    file: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of a location (the keys of the report format; ``line`` is kept out of it)."""
        return {
            "file": self.file,
            "page": self.page,
            "table": self.table,
            "section": self.section,
            "row": self.row,
            "column": self.column,
            "bbox": list(self.bbox) if self.bbox is not None else None,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    category: Category
    severity: Severity
    message: str
    location: Where = field(default_factory=Where)
    expected: str = ""
    actual: str = ""
    # findings of one rule with the same non-empty cause are reported once, listing the instances
    cause: str = field(default="", compare=False)
    instances: tuple[Finding, ...] = field(default=(), compare=False)
    # the stable id (rules/identity.py), set once the document is checked; "" before
    id: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        """The catalog key of the message ('' for a message that is plain text)."""
        return self.message.key if isinstance(self.message, Message) else ""

    @property
    def params(self) -> dict[str, object]:
        """The values the message template is filled with."""
        return dict(self.message.values) if isinstance(self.message, Message) else {}

    def text(self, lang_code: str | None = None) -> str:
        """The message in ``lang_code`` (default: the language in force), for every output."""
        return render(self.message, lang_code)

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity, instances=tuple(replace(i, severity=severity) for i in self.instances))

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            **({"id": self.id} if self.id else {}),
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.text(),
            "location": self.location.as_dict(),
            "expected": render(self.expected),
            "actual": render(self.actual),
        }
        if self.instances:
            out["instances"] = [
                {"message": i.text(), "location": i.location.as_dict(), "expected": i.expected, "actual": i.actual}
                for i in self.instances
            ]
        return out


def group_findings(findings: list[Finding]) -> list[Finding]:
    """One finding per root cause: findings with the same rule, severity and cause become the first of
    them, listing every one as an instance (an unfilled template, one imbalance seen at 类, 款 and 项)."""
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    out: list[Finding | tuple[str, str, str]] = []
    for f in findings:
        if not f.cause:
            out.append(f)
            continue
        key = (f.rule, f.severity, f.cause)
        if key not in groups:
            groups[key] = []
            out.append(key)
        groups[key].append(f)
    result: list[Finding] = []
    for item in out:
        if isinstance(item, Finding):
            result.append(item)
            continue
        members = groups[item]
        first = members[0]
        if len(members) == 1:
            result.append(first)
            continue
        more = len(members) - 1
        places = [_short_place(m.location, first.location) for m in members[1:]]
        shown: Joined | Message = Joined("; ", tuple(places[:_LISTED]))
        if len(places) > _LISTED:
            shown = Message("finding.places_more", places=shown, more=len(places) - _LISTED)
        said = "finding.same_cause_one" if more == 1 else "finding.same_cause"
        result.append(replace(first, message=Message(said, message=first.message, more=more, places=shown), instances=tuple(members)))
    return result


_LISTED = 12  # instances named in a grouped finding's message (all are in ``instances``)


def _short_place(loc: Where, first: Where) -> Joined | Message:
    """Where an instance is, as briefly as it can be told apart from the first one."""
    parts: list[str | Message] = [
        loc.table if loc.table and loc.table != first.table else "",
        loc.section if loc.section != first.section else "",
    ]
    if loc.row:
        parts.append(loc.row)
    if loc.column and loc.column != first.column:
        parts.append(f"[{loc.column}]")
    if loc.file and first.file and loc.file != first.file:  # only in a disclosure read from several files
        parts.append(source_name(loc.file))
    if loc.page is not None:
        parts.append(Message("finding.page", page=loc.page))
    elif loc.line is not None:
        parts.append(Message("finding.line", line=loc.line))
    shown = tuple(p for p in parts if p)
    return Joined(" ", shown) if shown else Message("finding.same_place")


def table_name(table: Table) -> str:
    return f"{table.spec_id} {table.name}" if table.spec_id not in ("LOCAL", "") else table.name


def row_name(row: Row) -> str:
    if row.code and row.label:
        return f"{row.code} {row.label}"
    return row.code or row.label or (f"行次 {row.line_no}" if row.line_no else "")


def where(
    table: Table | None = None,
    row: Row | None = None,
    value: Value | None = None,
    column: str = "",
    location: Location | None = None,
    section: str = "",
) -> Where:
    """A location from the most precise model object at hand (a value beats a row beats a table)."""
    loc = location or (value.location if value is not None else None) or (row.location if row is not None else None)
    if loc is None and table is not None:
        loc = table.location
    return Where(
        page=loc.page if loc else None,
        table=table_name(table) if table is not None else "",
        section=section,
        row=row_name(row) if row is not None else "",
        column=column or (value.path if value is not None else ""),
        bbox=loc.bbox if loc else None,
        line=loc.line if loc else None,
        file=loc.source if loc else "",
    )


def in_parts(source: str) -> bool:
    """Whether a document was read from several files (its source joins their names)."""
    return PARTS_SEPARATOR in source


def file_shown(loc: Where, source: str) -> str:
    """The file name to show beside a finding's page: only in a document read from several files, so
    that a single-file report reads as it always has."""
    return source_name(loc.file) if loc.file and in_parts(source) else ""
