"""The narrative (情况说明) reader: section headings and the figures stated in running text.

Input is the document's running-text lines in reading order, with table grids already removed.
Converters and PDFs wrap lines mid-sentence, split numbers from their units and repeat the
headings in a table of contents, so the reader first rebuilds paragraphs, then finds headings,
then reads each sentence figure by figure: what kind of figure it is is decided by the words
just before it (占… → share, 比上年增加 → change, 年初预算为 → budget …), what it is about by the
words before those (收入总计, 基本支出 …), carried over from the previous clause when omitted.

Vocabularies and cue patterns are module-level tables, so that a new document variant is
handled by adding a row, not a branch.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal

from cnbudget.limits import MAX_SENTENCE_CHARS
from cnbudget.model import Fact, Line, Location, Paragraph, Section
from cnbudget.numbers import chinese_int, parse_amount
from cnbudget.recognize.contents import is_toc_entry
from cnbudget.specs.reading import reading_hints

# ---------------------------------------------------------------------------------------------
# Vocabulary and patterns (data)
# ---------------------------------------------------------------------------------------------

_CN = "一二三四五六七八九十"

# Headings: 第一部分 (1), 一、 (2), （一） (3), 1、/1./1． (4).
_HEADING_RES: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^第([{_CN}]+)部分\s*(.*)$")),
    (2, re.compile(rf"^([{_CN}]{{1,3}})[、．.]\s*(.*)$")),
    (3, re.compile(rf"^[（(]\s*([{_CN}]{{1,3}})\s*[)）]\s*(.*)$")),
    (4, re.compile(r"^(\d{1,2})(?:、|[.．](?!\d))\s*(.*)$")),
)
# Enumerators that start a new item (and so a new paragraph) without being headings.
_ITEM_RE = re.compile(rf"^(?:[{_CN}]{{1,3}}[、．.]|[（(][{_CN}\d]{{1,3}}[)）]|\d{{1,2}}(?:、|[.．](?!\d))|注[：:]|说明[：:]|附件[：:])")
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
# Sections whose text is not narrative: glossary, attachments, the table part.
_NON_NARRATIVE_RE = re.compile(r"名词解释|^附件|附表|^附\s*件")

_TERMINALS = ("。", "！", "？", "!", "?")
_CONNECTIVE_ENDS = ("和", "的", "及", "与", "或", "等", "、", "并", "对", "在")  # a title does not end mid-phrase

# Figures: a number and its unit. Money, percentages, counts and scores.
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# U+FFFD stands for a character the source does not map to text (ingest/sanitize.py): a figure touching one
# has lost a digit or a unit, so it is not read ('1,6�54.71万元' is not 54.71万元)
_UNREADABLE = "\ufffd"
_FIGURE_RE = re.compile(
    rf"(?<![\d.{_UNREADABLE}])(?<!\d,)(?P<num>{_NUM})\s*(?P<unit>%|％|亿元|万元|元|万人|万(?![人元])|人次|批次|台[（(]套[)）]|辆|个(?!百分点)|台|套|项(?!目)|家|名|户|人(?![民员])|次|分(?![钟类析配别期值数]))(?!{_UNREADABLE})"
)
_CN_FIGURE_RE = re.compile(
    rf"(?<![第统唯之逐同每单{_CN}两零〇百千])(?P<num>[{_CN}两零〇百千]+)(?P<unit>人次|批次|台[（(]套[)）]|辆|个(?!百分点)|项(?!目|规定)|台|家|名|户)"
)
# A figure that is a threshold ('单价50万元以上通用设备') belongs to a subject, it is not a fact.
_THRESHOLD_AFTER_RE = re.compile(r"^\s*(?:[（(]含[)）])?\s*(?:及|或)?\s*(?:以上|以下)|^及\s*\d[\d,.]*\s*万?元\s*(?:[（(]含[)）])?以上")
_MONEY_UNITS = {"亿元", "万元", "元", "万"}
_UNIT_SPELLINGS = {"台(套)": "台（套）", "台（套)": "台（套）", "台(套）": "台（套）", "％": "%"}

# 'X与上年持平' / '与2019年决算数相同': a change of zero stated in words.
_FLAT_RE = re.compile(r"(?:与|同|较|比)(?P<base>[^，,；;。]*?)(?:基本)?(?:持平|相同|无增减)")
_FLAT_AFTER_RE = re.compile(
    r"(?:与|同|较)(?P<base>[^，,；;。]*?)相比[，,][^，,；;。]*?(?P<verb>(?:基本)?(?:持平|相同|无增减))"
)  # '与上年相比，X持平'

_YEAR_REF_RE = re.compile(r"\d{4}|上年|上一年|去年|上一度")

# Clause delimiters; '、' in '收、支总计' is part of the subject.
_DELIM_RE = re.compile(r"[，,；;：:]|(?<!收)、")

# Cues at the end of the words before a figure.
_SHARE_CUE_RE = re.compile(r"^[（(]?占")
_COMPLETION_CUE_RE = re.compile(r"完成(?:年初)?预算(?:数)?的$|(?:完成|执行)率(?:为|是)?$")
_CHANGE_CUE_RE = re.compile(
    r"^(?P<pre>.*?)(?:(?:比|较|同比)(?P<base>.*?)|(?:与|和)(?P<base2>.*?)相比)?"
    r"(?P<dir>增加|减少|新增|增长|下降|降低|上升|减)了?(?:[（(][^）)]*[）)])?$"
)
_BUDGET_CUE_RE = re.compile(r"(?P<cue>(?P<early>年初)?预算(?P<shu>数)?(?P<wei>为|是)?)$")
_ACTUAL_CUE_RE = re.compile(r"(?P<cue>决算(?:数)?(?:为|是)?)$")
_CHANGED_CLAUSE_RE = re.compile(r"(?:增加|减少|增长|下降)$")  # '项目支出增加，较上年增加A万元'
_DIRECTIONS = {"增加": "增加", "增长": "增加", "上升": "增加", "新增": "新增", "减少": "减少", "下降": "减少", "降低": "减少", "减": "减少"}

_SENTENCE_END_RE = re.compile(r"[。！？!?]")
_AFTER_STOP_RE = re.compile(r"[。！？\d]")  # where the noun after a count ends
_ITEM_HEAD_END_RE = re.compile(r"[。，,；;：:]")  # where the leading words of an item end
_SANGONG_RE = re.compile(r"[\"“”]?三公[\"“”]?")  # '"三公"', '三公' → '“三公”'
_AMONG_RE = re.compile(r"(项目|单位)中$")  # '13个项目中' → '项目'
_SCORE_WORD_RE = re.compile(r"(?:自评|评价|绩效)?(?:得分|评分|分数)")

# Subject cleaning: what is cut from the words before a figure to leave what it is about.
_LEAD_MARKER_RE = re.compile(rf"^(?:第[{_CN}]+部分|[{_CN}]{{1,3}}[、．.]|[（(][{_CN}\d]{{1,3}}[)）]|\d{{1,2}}(?:、|[.．](?!\d)))")
_YEAR_CUT_RE = re.compile(r"^.*\d{4}\s*年(?:度)?(?:\d{1,2}月(?:\d{1,2}日)?)?(?:期末|年末|末|底)?")
_ORG_CUT_RE = re.compile(
    r"^[^（(）)，,、]{2,}?(?:局|委员会|中心|办公室)(?:[（(]本级[)）]|本级)?(?:部门|单位|[（(]单位[)）])*(?:等单位|所属各预算单位)?"
)
_LEAD_FILLER_RE = re.compile(
    r"^(?:其中|另外|以及|及|和|包括|主要是|主要用于以下方面|主要用于|分别是|共有|共计|共(?!同)|累计|涵盖|涉及|全年|我部门|我单位|本部门|本单位|[（(]含|含|为|是|截至|[，,、：:])+"
)
_TAIL_FILLER_RE = re.compile(r"(?:均为|分别为|为|是|共有|共计|共|达|约|近|各|累计|[，,、：:])+$")
_CUT_WORD_RE = re.compile(r"涉及|包括|其中|共有|共计|累计|涵盖|分别是|主要是|安排")
_TRAILING_PAREN_RE = re.compile(r"[（(][^（）()]{2,}[）)]$")
_TRAILING_NOISE_RE = re.compile(r"(?:万元|元|增加|减少|增长|下降)$")
_COUNT_VERB_END_RE = re.compile(r"(?:设|有|包括|以及|和|及|下属|内设|的|涵盖|涉及|开展|安排|完成|等|为|是)$")

# Canonical subjects: first full match wins.
_SUBJECT_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r".*“三公”经费(?:财政拨款)?(?:支出)?(?:年初)?(预算)?(?:决算)?数?", r"“三公”经费\1"),
        (r"机关运行经费.*", "机关运行经费"),
        (r"政府采购(?:预算安排|支出总额|金额|总额|预算|支出)?", "政府采购"),
        (r"政府采购(货物|工程|服务)(?:预算|支出)?", r"政府采购\1"),
        (r"(货物|工程|服务)采购金额", r"政府采购\1"),
        (r".*(?:等级|评级)为“?(优|良|中|差|合格|不合格)”?(?:的项目)?", r"\1"),
        (r"(.+(?<!缴)费)(?:支出)?(?:决算|预算)?数?", r"\1"),
    )
)
# Subjects printed short for a total named just before ('收入增加…' after '收入总计…').
_ABBREVIATED_SUBJECTS = frozenset({"收入", "支出", "收支"})
# Subjects that name nothing by themselves: the figure is about the previous subject.
_GENERIC_SUBJECTS = frozenset(
    {"", "预算数", "决算数", "预算", "决算", "支出", "收入", "金额", "支出决算", "年初预算", "年初预算数", "合计", "总额", "其中"}
)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def read_narrative(lines: list[Line], source: str) -> tuple[list[Section], list[Fact]]:
    """Read the section tree and the stated figures of a disclosure's running text."""
    rows = _rows(lines)
    blocks = _drop_contents(_blocks(rows))
    return _walk(blocks, source)


# ---------------------------------------------------------------------------------------------
# Lines → rows → headings and paragraphs
# ---------------------------------------------------------------------------------------------


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
    body = next((k for k in range(start + 1, len(blocks)) if _is_body_text(blocks[k])), None)
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


# ---------------------------------------------------------------------------------------------
# Sections, and which paragraphs are read for facts
# ---------------------------------------------------------------------------------------------


def _location(src: Line, source: str) -> Location:
    return Location.of(source, src)


def _path_part(s: Section) -> str:
    if s.level == 1:
        return s.number
    if s.level == 3:
        return f"{s.number}{s.title}"
    return f"{s.number}、{s.title}"


def _narrative(stack: list[Section]) -> bool:
    """Facts are read in the body, not in the glossary, the attachments or the table part."""
    for s in stack:
        if _NON_NARRATIVE_RE.search(s.title):
            return False
        if s.level == 1 and s.title.endswith("表"):
            return False
    return True  # text before the first heading (a cover) is read too: it rarely states figures


def _walk(blocks: list[_Block], source: str) -> tuple[list[Section], list[Fact]]:
    top: list[Section] = []
    stack: list[Section] = []
    facts: list[tuple[tuple[int, int, int], Fact]] = []
    unit: list[_Para] = []
    path = ""
    para_index = 0

    def flush() -> None:
        nonlocal para_index
        if unit and _narrative(stack):
            facts.extend(_UnitReader(source, path, para_index).read(unit))
        para_index += len(unit)
        unit.clear()

    for block in blocks:
        if isinstance(block, _Heading):
            flush()
            section = Section(number=block.number, title=block.title, level=block.level, location=_location(block.src, source))
            while stack and stack[-1].level >= section.level:
                stack.pop()
            (stack[-1].children if stack else top).append(section)
            stack.append(section)
            path = "/".join(_path_part(s) for s in stack)
            continue
        if _ITEM_RE.match(block.text):
            flush()
        unit.append(block)
        if stack:
            stack[-1].paragraphs.append(Paragraph(text=block.text, location=_location(block.srcs[0], source)))
    flush()
    facts.sort(key=lambda kf: kf[0])
    return top, [f for _, f in facts]


# ---------------------------------------------------------------------------------------------
# Figures in a sentence
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Tok:
    """A figure (or a '持平' phrase) in a sentence, with the words that lead to it."""

    start: int
    end: int
    kind: str  # money | pct | count | score | flat
    value: Decimal
    printed: str
    unit: str
    lead: str = ""  # from the clause start (or the previous figure) to the figure
    prev_clause: str = ""  # the figure-free clause before the lead, if any
    after: str = ""  # the words after a count ('2个行政股室')
    base: str = ""  # what a '持平' compares with


def _tokens(sentence: str) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _FIGURE_RE.finditer(sentence):
        if _THRESHOLD_AFTER_RE.match(sentence[m.end() :]) or sentence[max(0, m.start() - 1) : m.start()] == "第":
            continue
        parsed = parse_amount(m.group("num"))
        if parsed is None:
            continue
        unit = _UNIT_SPELLINGS.get(m.group("unit"), m.group("unit"))
        kind = "money" if unit in _MONEY_UNITS else "pct" if unit == "%" else "score" if unit == "分" else "count"
        toks.append(_Tok(m.start(), m.end(), kind, parsed[0], m.group("num"), unit))
    for m in _CN_FIGURE_RE.finditer(sentence):
        n = chinese_int(m.group("num"))
        if n is None or any(t.start <= m.start() < t.end for t in toks):
            continue
        unit = _UNIT_SPELLINGS.get(m.group("unit"), m.group("unit"))
        toks.append(_Tok(m.start(), m.end(), "count", Decimal(n), m.group("num"), unit))
    for m in _FLAT_RE.finditer(sentence):
        toks.append(_Tok(m.start(), m.end(), "flat", Decimal(0), "", "", base=m.group("base")))
    for m in _FLAT_AFTER_RE.finditer(sentence):  # the subject stands between '相比，' and '持平'
        toks.append(_Tok(m.start("verb"), m.end(), "flat", Decimal(0), "", "", base=m.group("base")))
    toks.sort(key=lambda t: t.start)
    delims = [m.start() for m in _DELIM_RE.finditer(sentence)]
    prev_end = 0
    for t in toks:
        k = bisect.bisect_left(delims, t.start)
        clause_start = delims[k - 1] + 1 if k > 0 else 0
        lead_start = max(clause_start, prev_end)
        t.lead = sentence[lead_start : t.start]
        if lead_start == clause_start and k > 0:
            prev_start = delims[k - 2] + 1 if k > 1 else 0
            if prev_start >= prev_end:
                t.prev_clause = sentence[prev_start : delims[k - 1]]
        if t.kind == "count":
            t.after = _after_words(sentence[t.end :])
        prev_end = t.end
    return toks


def _after_words(text: str) -> str:
    """The noun after a count ('2个行政股室（…）' → '行政股室'), or '' if punctuation follows."""
    if not text or not ("\u4e00" <= text[0] <= "\u9fff"):
        return ""
    m = _DELIM_RE.search(text)
    words = text[: m.start()] if m else text
    words = _AFTER_STOP_RE.split(words, maxsplit=1)[0]
    if words.count("（") > words.count("）"):
        words = words[: words.rfind("（")]
    if words.count("(") > words.count(")"):
        words = words[: words.rfind("(")]
    return words


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; a sentence ends at 。！？."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        out.append((start, text[start : m.end()]))
        start = m.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


# ---------------------------------------------------------------------------------------------
# Subjects
# ---------------------------------------------------------------------------------------------


def _strip_fillers(s: str) -> str:
    while True:
        t = _TAIL_FILLER_RE.sub("", _LEAD_FILLER_RE.sub("", s))
        if t == s:
            return s
        s = t


def _subject(raw: str, count: bool = False) -> str:
    """What a figure is about, from the words before it: drop years, the department, fillers."""
    s = _LEAD_MARKER_RE.sub("", raw.strip(" .,;:"))
    s = _YEAR_CUT_RE.sub("", s)
    org = _ORG_CUT_RE.match(s)
    if org and org.end() < len(s):
        s = s[org.end() :]
    s = _strip_fillers(s)
    cuts = [m.end() for m in _CUT_WORD_RE.finditer(s) if _strip_fillers(s[m.end() :])]
    if cuts:
        s = _strip_fillers(s[cuts[-1] :])
    for pattern in (_TRAILING_PAREN_RE, _TRAILING_NOISE_RE):
        s = pattern.sub("", s)
    s = s.replace("(", "（").replace(")", "）")
    s = _SANGONG_RE.sub("“三公”", s)
    for pattern, repl in _SUBJECT_RULES:
        m = pattern.fullmatch(s)
        if m:
            return m.expand(repl)
    if count:  # '财政拨款开支运行维护费的公务用车保有量' → '公务用车保有量'
        k = s.rfind("的")
        if 0 <= k < len(s) - 1:
            s = s[k + 1 :]
        s = _AMONG_RE.sub(r"\1", s)
    return s


def _item_subject(text: str) -> str:
    """The leading words of an enumerated item ('1、社会保障和就业支出（类）…（项）。年初预算为…')."""
    body = _LEAD_MARKER_RE.sub("", text)
    head = _ITEM_HEAD_END_RE.split(body, maxsplit=1)[0]
    if not head or any(c.isdigit() for c in head) or len(head) > 80:
        return ""
    return head.replace("(", "（").replace(")", "）")


# ---------------------------------------------------------------------------------------------
# Reading a unit: one enumerated item (or a plain paragraph) and its continuation paragraphs
# ---------------------------------------------------------------------------------------------


@dataclass
class _Group:
    """Budget, actual and completion figures of one subject, which may span sentences."""

    subject: str
    key: tuple[int, int, int]
    src: Line
    sentences: list[str] = field(default_factory=list)
    budget: _Tok | None = None
    budget_lead: str = ""
    actual: _Tok | None = None
    actual_subject: str = ""
    pct: _Tok | None = None
    vs: _Tok | None = None
    vs_direction: str = ""
    vs_pct: _Tok | None = None
    flat: bool = False
    shared: bool = False  # the actual was stated with its share ('决算0万元，占0%'): that fact says it


class _UnitReader:
    """Turns the figures of one unit into facts, keeping what later clauses refer back to."""

    def __init__(self, source: str, section: str, para_index: int) -> None:
        self.source = source
        self.section = section
        self.para_index = para_index
        self.out: list[tuple[tuple[int, int, int], Fact]] = []
        self.amounts: dict[str, tuple[Decimal, str]] = {}  # subject → (value, printed) stated so far
        self.last_subject = ""
        self.last_count_subject = ""
        self.item_subject = ""
        self.group: _Group | None = None
        # where we are
        self.para = _Para()
        self.p = 0
        self.offset = 0
        self.sentence = ""
        self.prev: tuple[str, Fact | None] = ("", None)  # role of the previous figure in the sentence, and its fact
        self.amount_like: tuple[_Tok, str] | None = None  # the last amount (or actual) in the sentence, and its subject

    # -- driving -------------------------------------------------------------------------------

    def read(self, paras: list[_Para]) -> list[tuple[tuple[int, int, int], Fact]]:
        self.item_subject = _item_subject(paras[0].text) if _ITEM_RE.match(paras[0].text) else ""
        for p, para in enumerate(paras):
            self.para, self.p = para, p
            self.last_subject = ""  # an unnamed subject is carried within a paragraph only
            for offset, sentence in _sentences(para.text):
                if len(sentence) > MAX_SENTENCE_CHARS:
                    continue  # no real sentence is this long: its figures are not read (each fact would carry all of it)
                self.sentence, self.offset = sentence, offset
                self.prev, self.amount_like = ("", None), None
                for tok in _tokens(sentence):
                    if tok.kind == "money":
                        self._money(tok)
                    elif tok.kind == "pct":
                        self._pct(tok)
                    elif tok.kind == "count":
                        self._count(tok)
                    elif tok.kind == "score":
                        self._score(tok)
                    else:
                        self._flat(tok)
        self._flush_group()
        return self.out

    # -- helpers -------------------------------------------------------------------------------

    def _key(self, tok: _Tok, rank: int = 1) -> tuple[int, int, int]:
        """Facts are ordered by where their figure stands; a completion before the share it holds."""
        return (self.para_index + self.p, self.offset + tok.start, rank)

    def _src(self, tok: _Tok) -> Line:
        return self.para.line_at(self.offset + tok.start)

    def _new(self, tok: _Tok, kind: str, subject: str, **fields: object) -> Fact:
        """A fact stated at tok, in the current sentence and section."""
        fact = Fact.model_validate(
            {
                "kind": kind,
                "subject": subject,
                "sentence": self.sentence,
                "section": self.section,
                "location": _location(self._src(tok), self.source),
                **fields,
            }
        )
        self.out.append((self._key(tok), fact))
        return fact

    def _new_change(self, tok: _Tok, subject: str, direction: str, **fields: object) -> Fact:
        """A change on last year; its value is the subject's current amount if the paragraph stated it."""
        value, printed = self.amounts.get(subject, (None, ""))
        return self._new(tok, "change", subject, value=value, unit="万元", printed=printed, direction=direction, **fields)

    def _resolve(self, subject: str) -> str:
        """An explicit subject, completed from the paragraph ('收入' → '收入总计'), or the carried one."""
        if subject in _ABBREVIATED_SUBJECTS:
            for known in reversed(list(self.amounts)):
                if known.startswith(subject):
                    return known
        if subject in _GENERIC_SUBJECTS:
            return self.last_subject or self.item_subject
        return subject

    def _fallback_subject(self, tok: _Tok) -> str:
        """For a figure with no subject words: the figure-free clause before it, else the carried one."""
        prev = _subject(tok.prev_clause)
        if prev and prev not in _GENERIC_SUBJECTS:
            return prev
        return self.last_subject or self.item_subject

    def _change_subject(self, tok: _Tok, pre: str) -> str:
        """The subject of '…增加A万元': named before the verb, or in a clause like '项目支出增加，', or carried."""
        subject = _subject(pre)
        if not subject and _CHANGED_CLAUSE_RE.search(tok.prev_clause) and not _has_figure(tok.prev_clause):
            subject = _subject(tok.prev_clause)
        return self._resolve(subject)

    def _remember(self, subject: str, tok: _Tok) -> None:
        self.amounts[subject] = (tok.value, tok.printed)
        self.last_subject = subject

    # -- money ---------------------------------------------------------------------------------

    def _money(self, tok: _Tok) -> None:
        lead = tok.lead
        change = _CHANGE_CUE_RE.match(lead)
        if change:
            base = change.group("base") or change.group("base2") or ""
            direction = _DIRECTIONS[change.group("dir")]
            if "预算" in base and not _YEAR_REF_RE.search(base):  # '比年初预算减少0.55万元': against the budget
                group = self._group_slot(tok, "vs", None)
                group.vs_direction = direction
                self.prev = ("vs", None)
                return
            subject = self._change_subject(tok, change.group("pre"))
            fact = self._new_change(tok, subject, direction, change=tok.value, change_printed=tok.printed)
            self.prev = ("change", fact)
            return
        actual = _ACTUAL_CUE_RE.search(lead)
        if actual:
            named = _subject(lead[: actual.start()])
            group = self._group_slot(tok, "actual", named if named not in _GENERIC_SUBJECTS else None)
            group.actual_subject = named or group.subject
            self._remember(group.subject, tok)
            self.amount_like = (tok, group.subject)
            self.prev = ("actual", None)
            return
        budget = _BUDGET_CUE_RE.search(lead)
        if budget and (budget.group("early") or budget.group("shu") or budget.group("wei")):
            named = _subject(lead[: budget.start()])
            group = self._group_slot(tok, "budget", named if named not in _GENERIC_SUBJECTS else None)
            group.budget_lead = lead
            full = _subject(lead)  # '“三公”经费预算' if nothing else follows
            if full not in _GENERIC_SUBJECTS:
                self._remember(full, tok)
            self.prev = ("budget", None)
            return
        subject = _subject(lead)
        if subject in _GENERIC_SUBJECTS:
            subject = self._fallback_subject(tok)
        fact = self._new(tok, "amount", subject, value=tok.value, unit=tok.unit, printed=tok.printed)
        self._remember(subject, tok)
        self.amount_like = (tok, subject)
        self.prev = ("amount", fact)

    # -- percentages ---------------------------------------------------------------------------

    def _pct(self, tok: _Tok) -> None:
        lead = tok.lead
        if _SHARE_CUE_RE.match(lead):
            self._share(tok)
            return
        if _COMPLETION_CUE_RE.search(lead):
            self._group_slot(tok, "pct", None)
            self.prev = ("pct", None)
            return
        change = _CHANGE_CUE_RE.match(lead)
        if change:
            kind, fact = self.prev
            if kind == "change" and fact is not None and fact.percent is None:
                fact.percent, fact.percent_printed = tok.value, tok.printed
                return
            if kind == "vs" and self.group is not None and self.group.vs_pct is None:
                self.group.vs_pct = tok
                return
            subject = self._change_subject(tok, change.group("pre"))
            fact = self._new_change(tok, subject, _DIRECTIONS[change.group("dir")], percent=tok.value, percent_printed=tok.printed)
            self.prev = ("change_pct", fact)
            return
        subject = _subject(lead)
        if subject in _GENERIC_SUBJECTS:
            subject = self._fallback_subject(tok)
        self._new_percent(tok, subject)

    def _new_percent(self, tok: _Tok, subject: str) -> None:
        self._new(tok, "percent", subject, value=tok.value, unit="%", printed=tok.printed, percent=tok.value, percent_printed=tok.printed)
        self.prev = ("percent", None)

    def _share(self, tok: _Tok) -> None:
        """'a万元，占p%': the share of the amount just stated; a bare '占p%' keeps its subject."""
        kind, fact = self.prev
        if kind == "amount" and fact is not None and fact.percent is None:
            fact.kind, fact.percent, fact.percent_printed = "share", tok.value, tok.printed
            self.prev = ("share", fact)
            return
        if self.amount_like is not None and kind in ("pct", "actual"):  # '支出决算0万元，完成预算的0%，占0%'
            at, subject = self.amount_like
            if self.group is not None and self.group.actual is at:
                self.group.shared = True
            self._new(
                at, "share", subject, value=at.value, unit=at.unit, printed=at.printed, percent=tok.value, percent_printed=tok.printed
            )
            self.prev = ("share", None)
            return
        self._new_percent(tok, self._fallback_subject(tok))

    # -- counts, scores and 持平 -----------------------------------------------------------------

    def _score(self, tok: _Tok) -> None:
        """'自评得分99分' in an enumerated project item is that project's score."""
        subject = _subject(tok.lead)
        if (not subject or _SCORE_WORD_RE.fullmatch(subject)) and self.item_subject:
            subject = self.item_subject
        self._new(tok, "score", subject, value=tok.value, unit="分", printed=tok.printed)
        self.prev = ("score", None)

    def _count(self, tok: _Tok) -> None:
        """'共有车辆1辆' names its subject before; '包括2个行政股室' after."""
        before = _subject(tok.lead, count=True)
        verb_ended = _COUNT_VERB_END_RE.search(_TAIL_FILLER_RE.sub("", tok.lead)) is not None
        after = _subject(tok.after, count=True) if tok.after else ""
        subject = after if (not before or verb_ended) and after else before or self.last_count_subject or self._fallback_subject(tok)
        self._new(tok, "count", subject, value=tok.value, unit=tok.unit, printed=tok.printed)
        self.last_count_subject = subject
        self.prev = ("count", None)

    def _flat(self, tok: _Tok) -> None:
        """'与2020年持平' is a change of nothing; '决算与预算持平' belongs to the completion."""
        if "预算" in tok.base and self.group is not None:
            self.group.flat = True
            return
        if not _YEAR_REF_RE.search(tok.base):
            return
        self._new_change(tok, self._resolve(_subject(tok.lead)), "持平")
        self.prev = ("flat", None)

    # -- completion groups ---------------------------------------------------------------------

    def _group_slot(self, tok: _Tok, slot: str, named: str | None) -> _Group:
        """Put a budget / actual / completion figure into the open group, or start a new one."""
        g = self.group
        if g is not None and ((named and named != g.subject) or getattr(g, slot) is not None):
            self._flush_group()
            g = None
        if g is None:
            subject = named or self.item_subject or self.last_subject
            g = self.group = _Group(subject=subject, key=self._key(tok, 0), src=self._src(tok), sentences=[self.sentence])
        setattr(g, slot, tok)
        if g.sentences[-1] != self.sentence:
            g.sentences.append(self.sentence)
        return g

    def _flush_group(self) -> None:
        g, self.group = self.group, None
        if g is None:
            return
        sentence, loc = "".join(g.sentences), _location(g.src, self.source)
        if g.actual is None and g.pct is None and g.vs is None and g.budget is not None:
            # a budget figure on its own is a plain amount: '“三公”经费预算为2.5万元'
            subject = _subject(g.budget_lead) or g.subject
            fact = Fact(
                kind="amount",
                subject=subject,
                value=g.budget.value,
                unit=g.budget.unit,
                printed=g.budget.printed,
                sentence=sentence,
                section=self.section,
                location=loc,
            )
        elif g.budget is None and g.pct is None and g.vs is None and g.actual is not None:
            if g.shared:
                return
            subject = _subject(g.actual_subject) or g.subject
            fact = Fact(
                kind="amount",
                subject=subject,
                value=g.actual.value,
                unit=g.actual.unit,
                printed=g.actual.printed,
                sentence=sentence,
                section=self.section,
                location=loc,
            )
        else:
            value, printed = (g.actual.value, g.actual.printed) if g.actual else self.amounts.get(g.subject, (None, ""))
            completion = g.pct is not None or ("年初" in g.budget_lead and g.actual is not None and g.vs is None)
            pct = g.pct or g.vs_pct
            fact = Fact(
                kind="completion" if completion else "budget_vs_actual",
                subject=g.subject,
                value=value,
                unit="万元",
                printed=printed,
                budget=g.budget.value if g.budget else None,
                actual=value,
                percent=pct.value if pct else None,
                percent_printed=pct.printed if pct else "",
                direction=g.vs_direction or ("持平" if g.flat else ""),
                change=g.vs.value if g.vs else None,
                change_printed=g.vs.printed if g.vs else "",
                sentence=sentence,
                section=self.section,
                location=loc,
            )
        self.out.append((g.key, fact))
