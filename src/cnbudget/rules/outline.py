"""What a checked document contains, kept with its report: sections, tables, the 目录.

The reviewer's checklist (render/checklist.py) decides items such as 主要职能 or a standard table by
whether the document prints them and where, but a report must stay small (a batch keeps hundreds of
them until the end), so only this outline of the Disclosure travels with the findings.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnbudget.i18n import Message
from cnbudget.model import Disclosure, Section


@dataclass(frozen=True)
class OutlineSection:
    path: str  # titles from the top, joined with '/', as a finding's Where.section names it
    title: str
    page: int | None
    line: int | None


@dataclass(frozen=True)
class OutlineTable:
    spec_id: str
    name: str
    title: str  # as printed
    page: int | None
    line: int | None
    empty: bool
    understood: bool
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outline:
    sections: tuple[OutlineSection, ...] = ()
    tables: tuple[OutlineTable, ...] = ()
    contents: tuple[str, ...] = ()  # table titles the 目录 lists
    absent: tuple[tuple[str, str], ...] = ()  # (what, reason) the reader looked for and did not find


def _walk(sections: list[Section], prefix: str, out: list[OutlineSection]) -> None:
    for s in sections:
        path = f"{prefix}/{s.title}" if prefix else s.title
        out.append(OutlineSection(path, s.title, s.location.page, s.location.line))
        _walk(s.children, path, out)


def outline(d: Disclosure) -> Outline:
    """The outline of one Disclosure."""
    sections: list[OutlineSection] = []
    _walk(d.sections, "", sections)
    tables = tuple(
        OutlineTable(t.spec_id, t.name, t.title, t.location.page, t.location.line, t.empty, t.understood, tuple(t.problems))
        for t in d.tables
    )
    absent = tuple((a.what, Message(f"absence.{a.code}", detail=a.detail)) for a in d.absent)
    return Outline(tuple(sections), tables, tuple(d.contents), absent)
