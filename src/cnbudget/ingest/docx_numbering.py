"""The numbers Word prints before numbered paragraphs ("一、", "（二）", "3.") but does not store as text.

A heading such as 一、收入支出决算总体情况说明 is often an automatically numbered paragraph: its text
holds only 收入支出决算总体情况说明, and the 一、 comes from word/numbering.xml (a list definition,
level by level: the number format and a pattern such as "%1、"). Recognition needs the ordinal (it
opens a section), so the reader prints it as Word does: one counter per list and level, a level's
counter restarting when a level above it advances. Bullets are not ordinals and are left out.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from cnbudget.ingest.office import attr, has_part, local, parse_part

_CN = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def chinese(n: int) -> str:
    """27 → 二十七, 10 → 十, 105 → 一百零五 (as Word's chineseCounting prints, up to 9,999)."""
    if n <= 0 or n > 9999:
        return str(n)
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += ("" if digit == 1 and unit == "十" and not out else _CN[digit]) + unit
    return out


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def shown(n: int, fmt: str) -> str:
    """A counter in a Word number format; '' for a bullet or a format that prints nothing."""
    if fmt in ("bullet", "none"):
        return ""
    if fmt.startswith(("chineseCounting", "japaneseCounting", "ideographDigital", "taiwaneseCounting")):
        return chinese(n)
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    return str(n)


@dataclass(slots=True)
class _Level:
    fmt: str = "decimal"
    text: str = ""
    start: int = 1


@dataclass
class Numbering:
    """The list definitions of one document and the counters as its paragraphs are read in order."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId → level → definition
    style_numbers: dict[str, tuple[str, int]] = field(default_factory=dict)  # paragraph style → (numId, level)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def load(cls, archive: zipfile.ZipFile, name: str) -> Numbering:
        numbering = cls()
        if not has_part(archive, "word/numbering.xml"):
            return numbering
        root = parse_part(archive, "word/numbering.xml", name)
        abstract: dict[str, dict[int, _Level]] = {}
        for e in root:
            if local(e.tag) == "abstractNum":
                abstract[attr(e, "abstractNumId") or ""] = {_int(attr(lvl, "ilvl")): _level(lvl) for lvl in e if local(lvl.tag) == "lvl"}
        for e in root:
            if local(e.tag) != "num":
                continue
            base = next((attr(c, "val") or "" for c in e if local(c.tag) == "abstractNumId"), "")
            levels = dict(abstract.get(base, {}))
            for override in (c for c in e if local(c.tag) == "lvlOverride"):
                ilvl = _int(attr(override, "ilvl"))
                for c in override:
                    if local(c.tag) == "lvl":
                        levels[ilvl] = _level(c)
                    elif local(c.tag) == "startOverride" and ilvl in levels:
                        old = levels[ilvl]
                        levels[ilvl] = _Level(old.fmt, old.text, _int(attr(c, "val")))
            numbering.levels[attr(e, "numId") or ""] = levels
        if has_part(archive, "word/styles.xml"):
            numbering.style_numbers = _style_numbers(parse_part(archive, "word/styles.xml", name))
        return numbering

    def label(self, p: ET.Element) -> str:
        """The number Word prints before paragraph ``p`` ('' when it is not numbered); advances the counters."""
        if not self.levels:
            return ""
        found = _num_pr(p)
        if found is None:
            style = _paragraph_style(p)
            found = self.style_numbers.get(style) if style else None
        if found is None:
            return ""
        num_id, ilvl = found
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = levels[ilvl].text
        for k in range(ilvl + 1):
            level = levels.get(k, _Level())
            text = text.replace(f"%{k + 1}", shown(counters.get(k, level.start), level.fmt))
        return "" if levels[ilvl].fmt in ("bullet", "none") else text


def _int(text: str | None) -> int:
    try:
        return int(text or "0")
    except ValueError:
        return 0


def _level(lvl: ET.Element) -> _Level:
    level = _Level()
    for c in lvl:
        tag = local(c.tag)
        if tag == "numFmt":
            level.fmt = attr(c, "val") or "decimal"
        elif tag == "lvlText":
            level.text = attr(c, "val") or ""
        elif tag == "start":
            level.start = _int(attr(c, "val")) or 1
    return level


def _num_pr(p: ET.Element) -> tuple[str, int] | None:
    for ppr in p:
        if local(ppr.tag) != "pPr":
            continue
        for num_pr in ppr:
            if local(num_pr.tag) != "numPr":
                continue
            num_id, ilvl = "", 0
            for c in num_pr:
                if local(c.tag) == "numId":
                    num_id = attr(c, "val") or ""
                elif local(c.tag) == "ilvl":
                    ilvl = _int(attr(c, "val"))
            return (num_id, ilvl) if num_id and num_id != "0" else None
    return None


def _paragraph_style(p: ET.Element) -> str:
    for ppr in p:
        if local(ppr.tag) == "pPr":
            for c in ppr:
                if local(c.tag) == "pStyle":
                    return attr(c, "val") or ""
    return ""


def _style_numbers(root: ET.Element) -> dict[str, tuple[str, int]]:
    """Paragraph styles that number their paragraphs (a heading style tied to a list), following basedOn."""
    own: dict[str, tuple[str, int] | None] = {}
    based: dict[str, str] = {}
    for style in root:
        if local(style.tag) != "style" or attr(style, "type") != "paragraph":
            continue
        sid = attr(style, "styleId") or ""
        own[sid] = _num_pr(style)
        for c in style:
            if local(c.tag) == "basedOn":
                based[sid] = attr(c, "val") or ""
    out: dict[str, tuple[str, int]] = {}
    for sid in own:
        seen: set[str] = set()
        current: str | None = sid
        while current and current not in seen:
            seen.add(current)
            found = own.get(current)
            if found is not None:
                out[sid] = found
                break
            current = based.get(current)
    return out
