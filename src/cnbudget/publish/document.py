"""The document every renderer prints: cover, headings, paragraphs, tables and forms, in order."""

from __future__ import annotations

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
class Document:
    title: str  # cover: 峄城区医疗保障局2020年度决算
    subtitle: str  # cover: 部门决算公开
    contents: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    not_printed: list[str] = field(default_factory=list)  # titles of source tables the model cannot re-print
