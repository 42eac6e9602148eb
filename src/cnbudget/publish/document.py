"""The document every renderer prints: cover, headings, paragraphs, tables and forms, in order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cnbudget.publish.printed import PrintedTable


@dataclass
class Heading:
    level: int  # 1 = 第X部分, 2 = 一、, 3 = （一）
    number: str
    title: str

    @property
    def text(self) -> str:
        if self.level == 1:
            return f"{self.number} {self.title}" if self.number else self.title  # an unnumbered part: no leading space
        if self.level == 2:
            return f"{self.number}、{self.title}"
        return f"{self.number}{self.title}"


@dataclass
class Paragraph:
    text: str


@dataclass
class TableBlock:
    table: PrintedTable
    department: str = ""
    new_page: bool = True  # standard tables start a page; forms follow each other where they fit


@dataclass
class PageBreak:
    pass


Block = Heading | Paragraph | TableBlock | PageBreak


@dataclass
class CoverLine:
    text: str
    sub: bool = False  # in the smaller face (预算主管部门：…)


@dataclass
class Document:
    title: str  # cover: 峄城区医疗保障局2020年度决算
    subtitle: str  # cover: 部门决算公开
    cover: list[CoverLine] = field(default_factory=list)  # a re-printed source's own cover lines, instead of title and subtitle
    contents: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    not_printed: list[str] = field(default_factory=list)  # titles of source tables the model cannot re-print


_NUMBERING = re.compile(r"^[\s　]*(?:[一二三四五六七八九十百]+、|\d+[.．]\s*)")


def unnumbered(entry: str) -> str:
    """A 目录 entry without the number only the 目录 prints (一、 over an unnumbered heading, 1. before
    a table's title): the text of the heading or title it names."""
    return _NUMBERING.sub("", entry).strip("　 ")
