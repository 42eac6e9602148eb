"""The two shapes every part of cnbudget agrees on.

``Layout`` is what a reader (ingest/) produces from any source format: text lines and table
grids in reading order, each with its position. ``Disclosure`` is what recognition (recognize/)
makes of a Layout: meta, sections, standard tables, narrative facts and performance forms.
Rules, renderers, the publisher and the corpus read only the Disclosure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from cnbudget import i18n
from cnbudget.limits import MAX_AMOUNT_DIGITS, MAX_AMOUNT_PLACES, computable  # importing limits sets the one Decimal context

SCHEMA_VERSION = "1.0"

# ---------------------------------------------------------------------------------------------
# Layout: the reader's output (plain dataclasses: many thousands are built per document)
# ---------------------------------------------------------------------------------------------

BBox = tuple[float, float, float, float]
"""x0, top, x1, bottom in PDF points, origin at the page's top-left (pdfplumber's convention)."""


@dataclass(slots=True)
class Line:
    """One line of running text, as printed."""

    text: str
    page: int | None  # 1-based page number; None for a converted text with no page marks
    line: int  # 1-based line number in the source text file, or the line's index on its PDF page
    bbox: BBox | None = None
    ocr_confidence: float | None = None  # set only when the text came from OCR


@dataclass(slots=True)
class Cell:
    """One cell of a table grid. An empty string is a blank cell (or a merged-away position)."""

    text: str
    page: int | None
    line: int
    bbox: BBox | None = None
    ocr_confidence: float | None = None
    colspan: int = 1  # >1 only where the reader knows the cell was merged across columns
    rowspan: int = 1


@dataclass(slots=True)
class Grid:
    """A table as the reader found it: rows of cells, not yet interpreted.

    ``continued`` is set by a reader that knows this grid continues the previous one
    (for example a PDF table split over a page break); recognition may also decide so.
    """

    rows: list[list[Cell]]
    page: int | None
    line: int
    bbox: BBox | None = None
    continued: bool = False


Block = Line | Grid


@dataclass
class Layout:
    """Everything a reader saw in one source file, in reading order."""

    source: str
    format: Literal["text", "pdf", "docx", "doc", "xlsx", "xls", "html"]
    blocks: list[Block] = field(default_factory=list)
    page_count: int | None = None
    unread_pages: list[int] = field(default_factory=list)  # e.g. image-only pages with OCR off
    ocr_pages: list[int] = field(default_factory=list)
    # pages with no text, no image and no curve drawn: (page, whether ruling lines are drawn on it, the page's box)
    blank_pages: list[tuple[int, bool, BBox]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[Line]:
        return [b for b in self.blocks if isinstance(b, Line)]

    def grids(self) -> list[Grid]:
        return [b for b in self.blocks if isinstance(b, Grid)]


# ---------------------------------------------------------------------------------------------
# Disclosure: the canonical model (pydantic: it is serialised as the versioned JSON schema)
# ---------------------------------------------------------------------------------------------


def _computable(value: Decimal) -> Decimal:
    if not computable(value):
        why = i18n.t("model.figure_beyond_limits", value=f"{value:.6g}", digits=MAX_AMOUNT_DIGITS, places=MAX_AMOUNT_PLACES)
        raise ValueError(why)
    return value


Figure = Annotated[Decimal, AfterValidator(_computable)]
"""A figure the model holds: finite and within limits.py's digits. A reader never makes another (it keeps
such a print as unreadable text); a Disclosure JSON holding one is refused when loaded, never computed with."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Location(_Model):
    """Where a value or sentence was printed."""

    source: str
    page: int | None = None
    line: int | None = None
    bbox: BBox | None = None
    ocr: bool = False
    ocr_confidence: float | None = None

    @classmethod
    def of(cls, source: str, where: Line | Cell) -> Location:
        """The location of a reader's line or cell (OCR provenance carried along)."""
        return cls(
            source=source,
            page=where.page,
            line=where.line,
            bbox=where.bbox,
            ocr=where.ocr_confidence is not None,
            ocr_confidence=where.ocr_confidence,
        )


Unit = Literal["元", "万元", "亿元"]


class Amount(_Model):
    """A printed money amount: exact, with its unit and printed precision.

    ``printed`` keeps the text exactly as it stood (``1,200,000.0000``); ``value`` is its
    Decimal; ``places`` the number of printed decimals (tolerance is reasoned from it).
    """

    printed: str
    value: Figure
    unit: Unit
    places: int

    def in_wan(self) -> Decimal:
        """The amount in 万元, exactly (conversion is explicit, never implied)."""
        if self.unit == "万元":
            return self.value
        if self.unit == "元":
            return self.value / Decimal(10000)
        return self.value * Decimal(10000)


class Value(_Model):
    """One non-empty cell of a recognised table."""

    column: str  # canonical column key from the table spec, or the printed path if unknown
    path: str  # printed header path joined with '-', whitespace removed
    text: str  # exactly as printed
    amount: Amount | None = None  # set when the cell is a money amount
    number: Figure | None = None  # set for a non-money number (行次, %, count)
    unit: str = ""  # 元 / 万元 for amounts; % / 分 / printed unit otherwise
    location: Location


class Row(_Model):
    """A record of a table: keyed by classification code where the table has one."""

    code: str = ""  # 功能分类 3/5/7 digits or 经济分类 3/5(/7) digits; '' for item rows
    code_kind: Literal["", "function", "economic", "unit", "project"] = ""
    label: str = ""  # printed label, whitespace removed
    side: str = ""  # record stream within side-by-side tables (收入 / 支出, 人员经费 / 公用经费)
    line_no: str = ""  # the printed 行次, where the table numbers its rows
    values: list[Value] = Field(default_factory=list)
    location: Location

    def get(self, column: str) -> Value | None:
        for v in self.values:
            if v.column == column:
                return v
        return None


class Column(_Model):
    key: str  # canonical key (spec) or the printed path when the spec does not know it
    path: str  # printed header path
    side: str = ""
    role: Literal["value", "code", "label", "line_no", "note", "other"] = "value"
    mapped: bool = True  # False: a value column no spec names (explicitly unknown; set by recognize/verify.py)


class Table(_Model):
    """A recognised table: typed by a spec, not by a string match."""

    spec_id: str  # e.g. B1, F6, PERF_PROJECT, LOCAL
    name: str  # canonical short name (收支总表 …) or the printed title for a local table
    title: str  # as printed
    unit: Unit | None = None
    columns: list[Column] = Field(default_factory=list)
    rows: list[Row] = Field(default_factory=list)
    empty: bool = False  # printed with no data
    note: str = ""  # the note explaining an empty table: 说明：…故本表无数据
    notes: list[str] = Field(default_factory=list)  # every 注/说明 line printed with the table, as printed
    parts: int = 1  # how many printed pieces were joined
    # the structural self-check (recognize/verify.py): a table that is not understood is read by no rule
    understood: bool = True
    problems: list[str] = Field(default_factory=list)  # why it is not understood, one plain sentence each
    location: Location


class Paragraph(_Model):
    """A paragraph of running text, its wrapped lines joined, where its first line was printed."""

    text: str
    location: Location


class Section(_Model):
    """A heading of the narrative, with its paragraphs and its children."""

    number: str  # 第一部分 / 一 / （一） / 1
    title: str
    level: int
    location: Location
    paragraphs: list[Paragraph] = Field(default_factory=list)
    children: list[Section] = Field(default_factory=list)


class Fact(_Model):
    """A figure stated in the narrative, bound to its subject and sentence.

    ``kind``: amount | share | change | growth | completion | budget_vs_actual | count | rate
    """

    kind: str
    subject: str
    value: Figure | None = None
    unit: str = ""
    printed: str = ""
    # for change sentences: 增加/减少 A, 增长/下降 B%
    direction: str = ""
    change: Figure | None = None
    change_printed: str = ""
    percent: Figure | None = None
    percent_printed: str = ""
    # for completion sentences: 年初预算 A, 决算 B, 完成 C%
    budget: Figure | None = None
    actual: Figure | None = None
    sentence: str
    section: str = ""
    location: Location


class Indicator(_Model):
    """A performance indicator: (一级, 二级, 三级, operator, target, unit) or qualitative text."""

    level1: str = ""
    level2: str = ""
    name: str = ""
    target_text: str = ""
    operator: str = ""
    target: Figure | None = None
    target_unit: str = ""
    qualitative: bool = False
    actual_text: str = ""
    weight: Figure | None = None
    score: Figure | None = None
    note: str = ""
    location: Location


class PerformanceForm(_Model):
    """A 绩效目标表 or 绩效自评表 in structured form."""

    kind: Literal["project_target", "overall_target", "project_self_eval", "overall_self_eval", "self_eval_summary"]
    name: str = ""  # project name or department name
    unit_name: str = ""
    amounts: dict[str, Amount] = Field(default_factory=dict)  # 年度资金总额, 财政拨款, 其他资金 …
    # 年度履职目标 (年度总体目标) as printed, one item per printed line or cell, HTML stripped
    goals: list[str] = Field(default_factory=list)
    # 年度主要任务: one {"任务名称": …, "主要内容": …} per printed row
    tasks: list[dict[str, str]] = Field(default_factory=list)
    budget_initial: Figure | None = None  # 年初预算数
    budget_full_year: Figure | None = None  # 全年预算数
    executed: Figure | None = None  # 全年执行数
    execution_weight: Figure | None = None
    execution_rate_printed: str = ""
    execution_score: Figure | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    # a self-evaluation printed only as scrambled text: the rows whose 指标值, 实际完成值, 分值 and 得分 survive in
    # printed order on one line, their indicator name not tied to them (so not in ``indicators``), and how many
    # indicators the form prints (its numbered names 指标 1：… counted); None when not counted
    unnamed_indicators: list[Indicator] = Field(default_factory=list)
    indicator_count: int | None = None
    total_weight: Figure | None = None
    total_score: Figure | None = None
    grade: str = ""
    summary_rows: list[dict[str, str]] = Field(default_factory=list)  # for the 汇总表
    unreadable: list[str] = Field(default_factory=list)  # what could not be read unambiguously
    location: Location


Kind = Literal["预算", "决算"]
Scope = Literal["部门", "单位"]


class Meta(_Model):
    department: str = ""
    region: str = ""
    year: int | None = None
    kind: Kind | None = None
    scope: Scope | None = None
    standard: str = ""  # e.g. 财预〔2016〕143号 8-table set; 上海2024决算模板
    units: dict[str, str] = Field(default_factory=dict)  # table name -> 元 / 万元


AbsenceCode = Literal["not_printed", "listed", "attached", "images", "unread", "unread_in"]  # unread_in: pages of one file of several


class Absence(_Model):
    """Something a disclosure of this kind should contain that the reader did not find.

    Code decides on ``code`` (never on the wording); ``reason`` is the sentence in the language of the
    reading, and a report renders it again in its own from ``code`` and ``detail``."""

    what: str  # canonical table name or section
    reason: str  # not printed / listed in contents only / published beside it / images in the source
    location: Location | None = None
    code: AbsenceCode = "not_printed"
    detail: str = ""  # the printed words the reason quotes (目录 entry, the line naming attached tables, the part)


class BlankPage(_Model):
    """A page inside the document that prints nothing: no text, no image (so never an OCR'd page)."""

    location: Location
    ruled: bool = False  # it draws ruling lines only (an empty table row spilled onto the page)


PARTS_SEPARATOR = " + "
"""Joins the files of a disclosure published in several files in ``Disclosure.source``."""


def source_name(source: str) -> str:
    """The file name(s) of a source for people: 'a.pdf', or 'a.pdf + b.pdf' for a disclosure in parts."""
    from pathlib import PurePath

    return PARTS_SEPARATOR.join(PurePath(p).name for p in source.split(PARTS_SEPARATOR))


class Disclosure(_Model):
    schema_version: str = SCHEMA_VERSION
    source: str
    format: str
    meta: Meta
    sections: list[Section] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    performance: list[PerformanceForm] = Field(default_factory=list)
    contents: list[str] = Field(default_factory=list)  # table titles listed in 目录
    cover: list[Paragraph] = Field(default_factory=list)  # the cover's lines as printed (before the 目录 / first part)
    blank_pages: list[BlankPage] = Field(default_factory=list)
    absent: list[Absence] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    # pages whose text could not be read (only an image, with OCR off or refused; a text layer OCR could not replace):
    # what seems missing may be printed there
    unread_pages: list[int] = Field(default_factory=list)
    # a disclosure read from several files (recognize/parts.py): each file's unread pages, by its source;
    # unread_pages then holds them all, and what names a page names its file (a page number alone is ambiguous)
    unread_files: dict[str, list[int]] = Field(default_factory=dict)

    def table(self, name: str) -> Table | None:
        for t in self.tables:
            if t.name == name or t.spec_id == name:
                return t
        return None
