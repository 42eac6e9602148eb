"""Narrative, step 2: the section tree, and which paragraphs are read for facts.

Headings nest by level; the paragraphs under each are kept; an enumerated item with its
continuation paragraphs is one unit handed to the fact reader (narrative_facts), except in the
glossary, the attachments and the table part.
"""

from __future__ import annotations

import re

from cnbudget.model import Fact, Paragraph, Section
from cnbudget.recognize.narrative_blocks import _Block, _Heading, _location, _Para
from cnbudget.recognize.narrative_facts import _UnitReader
from cnbudget.recognize.narrative_vocab import _ITEM_RE

# Sections whose text is not narrative: glossary, attachments, the table part.
_NON_NARRATIVE_RE = re.compile(r"名词解释|^附件|附表|^附\s*件")


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
