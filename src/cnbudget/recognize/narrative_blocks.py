"""Narrative, step 1: running-text lines → rows → headings and paragraphs, the 目录 set aside.

Converters and PDFs wrap lines mid-sentence and repeat the headings in a table of contents: rows
are rebuilt into paragraphs by how far each line reaches to the right, a heading is a marker
(第一部分, 一、, （一）, 1、) with a short figure-free title, and the contents' entries are dropped.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from cnbudget.model import Line, Location
from cnbudget.recognize.contents import is_toc_entry
from cnbudget.recognize.narrative_vocab import _CN, _FIGURE_RE, _ITEM_RE
from cnbudget.specs.reading import reading_hints

# Headings: 第一部分 (1), 一、 (2), （一） (3), 1、/1./1． (4).
_HEADING_RES: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^第([{_CN}]+)部分\s*(.*)$")),
    (2, re.compile(rf"^([{_CN}]{{1,3}})[、．.]\s*(.*)$")),
    (3, re.compile(rf"^[（(]\s*([{_CN}]{{1,3}})\s*[)）]\s*(.*)$")),
    (4, re.compile(r"^(\d{1,2})(?:、|[.．](?!\d))\s*(.*)$")),
)

# Lines that stand alone: figure captions, unit lines, table codes.
_STANDALONE_RE = re.compile(r"^(?:目录$|图\s*\d+[：:]|(?:金额)?单位[：:]|公开\s*\d+\s*表$|预算\s*\d+\s*表$)")

_PAGE_NUMBER_RE = re.compile(r"^(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?)$")

_BULLET_RE = re.compile(r"^[-•·●▪]\s+")

_INNER_SPACE_RE = re.compile(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])")  # keep spaces only between ASCII words

_SPACE_RUN_RE = re.compile(r"\s+")

_ANY_SPACE_RE = re.compile(r"\s")

_CJK_PERIOD_RE = re.compile(r"(?<=[\u4e00-\u9fff])\.(?=[\u4e00-\u9fff])")  # '1 万元.决算数' ends a sentence

_CONTENTS_RE = re.compile(r"^目录$")

# What a heading title ends with (used when a line could be a wrapped sentence instead).
_HEADING_END_RE = re.compile(r"(?:情况|说明|概况|职能|职责|构成|设置|解释|结果|事项|附件|目录|表|结构)$")

# A heading title followed by its text on the same line: '（一）总体情况。2021年度…'.
_HEADING_WITH_TEXT_RE = re.compile(r"^(.{2,38}?(?:情况|说明|概况|职能|职责|构成|设置|结果|事项))[。：:](.+)$")

# A 科目 path ('…（类）…（款）…（项）') is the subject of an enumerated item, never a heading.
_SUBJECT_PATH_RE = re.compile(r"[（(][类款项][)）]")

# Table text that leaked into running text: a bare decimal or a second row label ('收入9746.50一、…').
_TABLE_ROW_RE = re.compile(rf"\d\.\d|.[{_CN}]{{1,3}}、")

_CONTINUATION_START_RE = re.compile(r"^(?:[，。、；：）)%％,;:]|万元|元)")

_SENTENCE_PUNCT_RE = re.compile(r"[。；;：:，,！？!?]")

_TERMINALS = ("。", "！", "？", "!", "?")

_CONNECTIVE_ENDS = ("和", "的", "及", "与", "或", "等", "、", "并", "对", "在")  # a title does not end mid-phrase


@dataclass(slots=True)
class _Row:
    """A cleaned, non-empty line with how far it reaches to the right (to tell wrapped lines)."""

    text: str
    src: Line
    extent: float
    char: float  # one CJK character in the same measure as extent


@dataclass(slots=True)
class _Heading:
    level: int
    number: str
    title: str
    src: Line


@dataclass
class _Para:
    """A paragraph rebuilt from wrapped lines, remembering where each line starts."""

    parts: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    srcs: list[Line] = field(default_factory=list)
    size: int = 0
    _text: str | None = None

    def add(self, row: _Row) -> None:
        self.parts.append(row.text)
        self.starts.append(self.size)
        self.srcs.append(row.src)
        self.size += len(row.text)
        self._text = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self.parts)
        return self._text

    def ends_sentence(self) -> bool:
        return bool(self.parts) and self.parts[-1].endswith(_TERMINALS)

    def line_at(self, offset: int) -> Line:
        return self.srcs[max(0, bisect.bisect_right(self.starts, offset) - 1)]


_Block = _Heading | _Para


def _clean(text: str) -> str:
    """Drop markdown bold, bullets and the spaces converters put between CJK text and numbers."""
    t = text.strip()
    if "*" in t:
        t = t.replace("**", "")
    if t[:1] in "-•·●▪":
        t = _BULLET_RE.sub("", t)
    if _ANY_SPACE_RE.search(t):
        t = _SPACE_RUN_RE.sub(" ", _INNER_SPACE_RE.sub("", t))
    if "." in t:
        t = _CJK_PERIOD_RE.sub("。", t)
    return t


def _width(text: str) -> int:
    """Display width: CJK characters count two (three UTF-8 bytes each, ASCII one)."""
    return len(text) + (len(text.encode("utf-8")) - len(text)) // 2


def _rows(lines: list[Line]) -> list[_Row]:
    rows: list[_Row] = []
    for ln in lines:
        text = _clean(ln.text)
        if not text or _PAGE_NUMBER_RE.match(text):
            continue
        if ln.bbox is not None:
            rows.append(_Row(text, ln, ln.bbox[2], max(ln.bbox[3] - ln.bbox[1], 1.0)))
        else:
            rows.append(_Row(text, ln, float(_width(text)), 2.0))
    return rows


def _marker(text: str) -> tuple[int, str, str] | None:
    """(level, number, title) if the text starts like a heading."""
    for level, pattern in _HEADING_RES:
        m = pattern.match(text)
        if m:
            number = m.group(1)
            if level == 1:
                number = f"第{number}部分"
            elif level == 3:
                number = f"（{number}）"
            return level, number, m.group(2).strip()
    return None


def _is_full(rows: list[_Row], i: int) -> bool:
    """Does row i reach the right margin of its neighbours (so it may be a wrapped line)?"""
    reach = [r.extent for r in rows[max(0, i - 6) : i + 7] if r is not rows[i]]
    if not reach:
        return False
    return rows[i].extent >= max(reach) - 3 * rows[i].char


def _has_figure(text: str) -> bool:
    return _FIGURE_RE.search(text) is not None


def _heading_title_ok(rows: list[_Row], i: int, level: int, title: str) -> bool:
    """A short, figure-free title that is neither a sentence nor the first line of a wrapped one."""
    if level == 1:
        return not _has_figure(title) and not _SENTENCE_PUNCT_RE.search(title.rstrip("。"))
    if not title or len(title) > 40 or _has_figure(title) or _SUBJECT_PATH_RE.search(title) or _TABLE_ROW_RE.search(title):
        return False
    body = title[:-1] if title.endswith("。") else title
    if _SENTENCE_PUNCT_RE.search(body) or body.endswith(_CONNECTIVE_ENDS):
        return False
    ends_like_heading = _HEADING_END_RE.search(body) is not None
    if title.endswith("。") and not ends_like_heading:
        return False
    if i + 1 < len(rows) and _CONTINUATION_START_RE.match(rows[i + 1].text):
        return False
    return ends_like_heading or not _is_full(rows, i)


def _title_line(text: str, max_len: int) -> bool:
    """A line that can continue a 第X部分 title."""
    return (
        len(text) <= max_len
        and not _ITEM_RE.match(text)
        and _marker(text) is None
        and not _has_figure(text)
        and not _SENTENCE_PUNCT_RE.search(text)
    )


def _blocks(rows: list[_Row]) -> list[_Block]:
    """Headings and paragraphs, in order."""
    blocks: list[_Block] = []
    para: _Para | None = None
    i = 0
    while i < len(rows):
        row = rows[i]
        mk = _marker(row.text)
        if mk and _heading_title_ok(rows, i, mk[0], mk[2]):
            level, number, title = mk
            if level == 1:  # the title may stand on the next line(s): '第二部分' / '…部门预算' / '情况说明'
                if not title and i + 1 < len(rows) and _title_line(rows[i + 1].text, 40):
                    i += 1
                    title = rows[i].text
                if title and not _HEADING_END_RE.search(title) and i + 1 < len(rows) and _title_line(rows[i + 1].text, 10):
                    i += 1
                    title += rows[i].text
            blocks.append(_Heading(level, number, title.rstrip("。"), row.src))
            para = None
            i += 1
            continue
        if mk is None and reading_hints().part_heading.match(_ANY_SPACE_RE.sub("", row.text)):
            # a part heading printed without an ordinal ('名词解释', 'X主要职能'): a level-1 section
            blocks.append(_Heading(1, "", row.text.strip(), row.src))
            para = None
            i += 1
            continue
        split = _HEADING_WITH_TEXT_RE.match(mk[2]) if mk and mk[0] in (2, 3) else None
        if mk and split and not _has_figure(split.group(1)) and not _SENTENCE_PUNCT_RE.search(split.group(1)):
            # '（一）机关运行经费支出情况。2021年机关运行经费…': a heading and its first paragraph on one line
            blocks.append(_Heading(mk[0], mk[1], split.group(1), row.src))
            para = _Para()
            blocks.append(para)
            para.add(_Row(split.group(2), row.src, row.extent, row.char))
            i += 1
            continue
        standalone = _STANDALONE_RE.match(row.text) is not None
        if para is None or para.ends_sentence() or _ITEM_RE.match(row.text) or standalone:
            para = _Para()
            blocks.append(para)
        para.add(row)
        if standalone:
            para = None
        i += 1
    return blocks


def _is_body_text(block: _Block) -> bool:
    """A paragraph that can only be body text, not a contents entry."""
    if not isinstance(block, _Para) or block.text.startswith("附件") or is_toc_entry(block.text):
        return False
    t = block.text
    return t.endswith(("。", "；", "：", ":", ";")) or _has_figure(t) or len(t) > 60


def _page(block: _Block) -> int | None:
    if isinstance(block, _Heading):
        return block.src.page
    return block.srcs[0].page if isinstance(block, _Para) and block.srcs else None


def _ends(block: _Block) -> bool:
    """A paragraph ending as a sentence does (on the 目录's own page, entries glued together do not)."""
    return isinstance(block, _Para) and block.text.endswith(("。", "；", ";"))


def _drop_contents(blocks: list[_Block]) -> list[_Block]:
    """Remove the table of contents: its entries are followed by other entries, never by body text.

    After a 目录 line, the body starts again at the top-level heading just before the first body
    paragraph. Without a 目录 line, a first heading printed again before any body text marks the
    same thing.
    """
    start = next((k for k, b in enumerate(blocks) if isinstance(b, _Para) and _CONTENTS_RE.match(b.text)), None)
    if start is None:
        first = next((k for k, b in enumerate(blocks) if isinstance(b, _Heading)), None)
        if first is None:
            return blocks
        h0 = blocks[first]
        for k in range(first + 1, len(blocks)):
            b = blocks[k]
            if _is_body_text(b):
                return blocks
            if isinstance(b, _Heading) and isinstance(h0, _Heading) and (b.level, b.number) == (h0.level, h0.number):
                return blocks[:first] + blocks[k:]
        return blocks
    first_entry = next((b for b in blocks[start + 1 :] if isinstance(b, _Heading)), None)
    page = _page(blocks[start])
    body = next(
        (
            k
            for k in range(start + 1, len(blocks))
            if _is_body_text(blocks[k]) and (page is None or _page(blocks[k]) != page or _ends(blocks[k]))
        ),
        None,
    )
    if first_entry is None or body is None:
        return blocks[:start] + blocks[start + 1 :]
    resume = body
    k = body - 1
    while k > start:
        heading = blocks[k]
        if not isinstance(heading, _Heading):
            break
        resume = k
        if heading.level <= first_entry.level:
            break
        k -= 1
    return blocks[:start] + blocks[resume:]


def _location(src: Line, source: str) -> Location:
    return Location.of(source, src)
