"""The narrative (情况说明) reader: section headings and the figures stated in running text.

Input is the document's running-text lines in reading order, with table grids already removed.
Converters and PDFs wrap lines mid-sentence, split numbers from their units and repeat the
headings in a table of contents, so the reader first rebuilds paragraphs, then finds headings,
then reads each sentence figure by figure: what kind of figure it is is decided by the words
just before it (占… → share, 比上年增加 → change, 年初预算为 → budget …), what it is about by the
words before those (收入总计, 基本支出 …), carried over from the previous clause when omitted.

The steps live in their own modules, each importing only those before it:

    narrative_vocab     patterns and word lists several steps read
    narrative_blocks    lines → rows → headings and paragraphs; the 目录 set aside
    narrative_figures   sentences, and the figures in each with the words that lead to them
    narrative_subjects  what a figure is about
    narrative_facts     the figures of one unit bound into facts
    narrative_sections  the section tree; which paragraphs are read for facts

Vocabularies and cue patterns are module-level tables, so that a new document variant is
handled by adding a row, not a branch.
"""

from __future__ import annotations

from cnbudget.model import Fact, Line, Section
from cnbudget.recognize.narrative_blocks import _blocks, _drop_contents, _rows
from cnbudget.recognize.narrative_sections import _path_part as _path_part  # re-exported: rules/sentences.py
from cnbudget.recognize.narrative_sections import _walk
from cnbudget.recognize.narrative_vocab import _FIGURE_RE as _FIGURE_RE  # re-exported: the figure pattern


def read_narrative(lines: list[Line], source: str) -> tuple[list[Section], list[Fact]]:
    """Read the section tree and the stated figures of a disclosure's running text."""
    rows = _rows(lines)
    blocks = _drop_contents(_blocks(rows))
    return _walk(blocks, source)
