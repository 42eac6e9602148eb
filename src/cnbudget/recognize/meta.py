"""Department, region, year, kind and scope of a disclosure, from what it prints.

Each is taken from the most explicit place first (the cover and part headings), then from the
table titles and notes. What cannot be found stays empty: a guess would be a false fact.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from cnbudget.model import Kind, Line, Meta, Scope
from cnbudget.numbers import squash
from cnbudget.specs.reading import reading_hints

_ORG_SUFFIX = r"(?:局|委员会|委|办公室|办|中心|院|厅|部|署|馆|站|所|队|会|处|社|校)"
_FIELD_RE = re.compile(r"(?:单位名称|部门名称|部门\(单位\)名称|部门（单位）名称|单位|部门)[:：]\s*([^\s:：]{3,40}?" + _ORG_SUFFIX + r")")
# the whole name when the line goes on to the unit ('部门：江苏省政协办公厅 单位：万元'), not its first '办'
_FIELD_WHOLE_RE = re.compile(
    r"(?:单位名称|部门名称|部门\(单位\)名称|部门（单位）名称|单位|部门)[:：]\s*([^\s:：]{3,40}" + _ORG_SUFFIX + r")(?=(?:金额)?单位[:：]|$)"
)
_HEAD_FIELD_RE = re.compile(r"^(部门名称|部门|单位名称)[:：]")
_YEAR_RE = re.compile(r"[（(]?\s*(20\d{2})\s*[)）]?\s*年")
_REGION_RE = re.compile(r"^(.*?(?:省|自治区|市|自治州|州|盟|县|区|旗))(?=[^省市县区旗]*$)")
_OVERVIEW_RE = re.compile(r"第一部分\s*(\S{3,40}?" + _ORG_SUFFIX + r")(?:（本级）|\(本级\))?概况")
_COVER_ORG_RE = re.compile(
    r"^(?:20\d{2}年度?)?(\S{2,40}?" + _ORG_SUFFIX + r")(?:[（(]本级[)）])?(?:20\d{2}年度?)?(?:部门|单位)?(?:汇总)?(?:预算|决算)?(?:说明)?$"
)


@lru_cache(maxsize=1)
def _labelled_field_re() -> re.Pattern[str]:
    """'预算主管部门：X' and the other labels of specs/reading.json; the name is greedy up to the last
    organisation suffix before a digit, a colon or the end ('…办事处目录' → '…办事处')."""
    labels = sorted(reading_hints().department_fields, key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, labels)) + r")[:：]([^:：\d、，,。；;]{2,40}" + _ORG_SUFFIX + ")")


def labelled_department(text: str) -> str:
    """The department a labelled line names ('预算主管部门：上海市普陀区财政局'), or ''."""
    m = _labelled_field_re().search(squash(text))
    return _clean_department(m.group(1)) if m else ""


def _clean_department(name: str) -> str:
    name = re.sub(r"[（(]本级[)）]|本级$", "", squash(name))
    name = re.sub(r"^20\d{2}年度?", "", name)
    return name


def detect_kind(lines: list[Line], table_kinds: list[str]) -> Kind | None:
    """预算 or 决算: the cover says it; otherwise the standard tables found say it."""
    head = " ".join(squash(ln.text) for ln in lines[:15])
    m = re.search(r"(部门|单位|本级|汇总|年度)(预算|决算)", head) or re.search(r"(预算|决算)(说明|表|公开)?$", head)
    if m:
        return "决算" if "决算" in m.group(0) else "预算"
    counts = Counter(table_kinds)
    if counts:
        kind, _ = counts.most_common(1)[0]
        if kind in ("预算", "决算"):
            return kind  # type: ignore[return-value]
    return None


def detect_scope(lines: list[Line]) -> Scope | None:
    """部门 (a department's consolidated disclosure) or 单位 (one unit's): the cover decides,
    then the part headings and table titles."""
    for window in (lines[:15], lines[:120]):
        text = " ".join(squash(ln.text) for ln in window)
        unit = len(re.findall(r"单位(预|决)算(表|说明|情况)?|[（(]本级[)）](预|决)算", text))
        dept = len(re.findall(r"部门(汇总)?(预|决)算|部门收支|部门收入|部门支出", text))
        if unit or dept:
            return "单位" if unit > dept else "部门"
    # a tables file with no cover: the table headers name the 部门 ('部门：江苏省政协办公厅 单位：万元')
    heads = [m.group(1) for ln in lines[:200] if (m := _HEAD_FIELD_RE.match(squash(ln.text)))]
    if heads and all(h == heads[0] for h in heads):
        return "单位" if heads[0].startswith("单位") else "部门"
    return None


def detect_year(lines: list[Line]) -> int | None:
    """The budget year: printed on the cover, else the year most often named near titles."""
    for ln in lines[:12]:
        m = _YEAR_RE.search(ln.text)
        if m and ("预算" in ln.text or "决算" in ln.text or "年度" in ln.text or len(squash(ln.text)) <= 8):
            return int(m.group(1))
    years = Counter(int(m.group(1)) for ln in lines for m in _YEAR_RE.finditer(ln.text) if "表" in ln.text or "说明" in ln.text)
    if years:
        return years.most_common(1)[0][0]
    years = Counter(int(m.group(1)) for ln in lines for m in _YEAR_RE.finditer(ln.text))
    return years.most_common(1)[0][0] if years else None


def detect_department(lines: list[Line]) -> str:
    """The department a cover line names (预算主管部门：X), else the cover title; else the 概况 heading;
    else a labelled line near a table (编制部门：X, 单位名称：X)."""
    cover = [squash(ln.text) for ln in lines[:8]]
    for text in cover:
        found = labelled_department(text)
        if found:
            return found
    for i, text in enumerate(cover):
        if text.startswith("第") or "目录" in text or ":" in text or "：" in text:
            continue
        # a cover title may wrap: '上海市普陀区规划和自然' / '资源局'
        following = cover[i + 1] if i + 1 < len(cover) else ""
        joinable = following and ":" not in following and "：" not in following and not following.startswith("第")
        for candidate in (text, text + following if joinable else ""):
            m = _COVER_ORG_RE.match(candidate) if candidate else None
            if m:
                return _clean_department(m.group(1))
    for ln in lines[:80]:
        m = _OVERVIEW_RE.search(squash(ln.text))
        if m:
            return _clean_department(m.group(1))
    for ln in lines[:200]:
        found = labelled_department(ln.text)
        if found:
            return found
        m = _FIELD_WHOLE_RE.search(squash(ln.text)) or _FIELD_RE.search(squash(ln.text))
        if m:
            return _clean_department(m.group(1))
    return ""


def detect_region(department: str) -> str:
    m = _REGION_RE.match(department)
    if not m:
        return ""
    region = m.group(1)
    return region if len(region) < len(department) else ""


def detect_meta(lines: list[Line], table_kinds: list[str]) -> Meta:
    department = detect_department(lines)
    kind = detect_kind(lines, table_kinds)
    standard = ""
    if kind == "预算":
        standard = "部门预算公开：财预〔2016〕143号 8张表（另有国有资本经营预算支出表）"
    elif kind == "决算":
        standard = "部门决算公开：公开01–09表"
    return Meta(
        department=department,
        region=detect_region(department),
        year=detect_year(lines),
        kind=kind,
        scope=detect_scope(lines),
        standard=standard,
    )
