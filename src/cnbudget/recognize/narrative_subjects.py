"""Narrative, step 4: what a figure is about — its subject, from the words before it.

Years, the department's name, fillers and trailing noise are cut; the canonical subjects
(“三公”经费, 政府采购 …) come from a table of rules, the first full match wins.
"""

from __future__ import annotations

import re

from cnbudget.recognize.narrative_vocab import _CN, _TAIL_FILLER_RE

_ITEM_HEAD_END_RE = re.compile(r"[。，,；;：:]")  # where the leading words of an item end

_SANGONG_RE = re.compile(r"[\"“”]?三公[\"“”]?")  # '"三公"', '三公' → '“三公”'

_AMONG_RE = re.compile(r"(项目|单位)中$")  # '13个项目中' → '项目'

# Subject cleaning: what is cut from the words before a figure to leave what it is about.
_LEAD_MARKER_RE = re.compile(rf"^(?:第[{_CN}]+部分|[{_CN}]{{1,3}}[、．.]|[（(][{_CN}\d]{{1,3}}[)）]|\d{{1,2}}(?:、|[.．](?!\d)))")

_YEAR_CUT_RE = re.compile(r"^.*\d{4}\s*年(?:度)?(?:\d{1,2}月(?:\d{1,2}日)?)?(?:期末|年末|末|底)?")

_ORG_CUT_RE = re.compile(
    r"^[^（(）)，,、]{2,}?(?:局|委员会|中心|办公室)(?:[（(]本级[)）]|本级)?(?:部门|单位|[（(]单位[)）])*(?:等单位|所属各预算单位)?"
)

_LEAD_FILLER_RE = re.compile(
    r"^(?:其中|另外|以及|及|和|包括|主要是|主要用于以下方面|主要用于|分别是|共有|共计|共(?!同)|累计|涵盖|涉及|全年|我部门|我单位|本部门|本单位|[（(]含|含|为|是|截至|[，,、：:])+"
)

_CUT_WORD_RE = re.compile(r"涉及|包括|其中|共有|共计|累计|涵盖|分别是|主要是|安排")

_TRAILING_PAREN_RE = re.compile(r"[（(][^（）()]{2,}[）)]$")

_TRAILING_NOISE_RE = re.compile(r"(?:万元|元|增加|减少|增长|下降)$")

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
