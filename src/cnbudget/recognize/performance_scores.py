"""What a self-evaluation printed only as scrambled text still proves (issue 10, family 8).

Seed 004's 项目支出绩效自评表 survive as text whose cells the converter scattered over lines in no
fixed order: an indicator's name, its values and its scores rarely share a line. Read here, and only
where one reading is possible:

* the funds block's 执行率: the template prints one percentage in that block (the 年度资金总额 row's
  执行率), so when the text before the 项目资金 label holds exactly one percentage, that is it;
* indicator rows whose 指标值, 实际完成值, 分值 and 得分 stand on one printed line in that column order
  ('3100人 完成 5 5', '100% 明显 2 1 指标若不能定量…'): the four cells of one printed row. Their name is
  not tied to them: a name glued after them ('5 5指标 1：居民医保政策') may be this row's or the next
  one's. A line whose 得分 exceeds its 分值 is not read (two rows' numbers may have met);
* the number of indicators: the numbered names (指标 1：…, 指标 2：…) counted when the numbering runs
  1, 2, … and restarts at 1 for each 二级指标, as the template prints it.

What stays unread is said by ``performance_text.note_unread``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

from cnbudget.limits import to_decimal
from cnbudget.model import Line
from cnbudget.recognize.performance_form import Draft, Form, unread
from cnbudget.recognize.performance_values import is_numeric_value, key, looks_qualitative, parse_target
from cnbudget.recognize.performance_vocab import vocab

_PERCENT_RE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?%")
# a line ending in two bare numbers (分值, 得分), then nothing, a remark or a name glued on ('5 5指标 1：…')
_SCORES_RE = re.compile(r"^(?P<head>.+?)\s+(?P<weight>\d+(?:\.\d+)?)\s+(?P<score>\d+(?:\.\d+)?)(?P<rest>\s*[^\d\s.%].*)?$")


@lru_cache(maxsize=1)
def _marker_re() -> re.Pattern[str]:
    """'指标 1：' / '指标 2 保障医疗待遇': the marker word, one digit, then a colon or a CJK character on the same line."""
    return re.compile(rf"{re.escape(vocab().indicator_marker)}[ \t]*([1-9])(?!\d)[ \t]*(?:[：:]|[\u4e00-\u9fff])")


def printed_lines(paras: Sequence[tuple[Line, list[str]]]) -> list[tuple[int, str]]:
    """(line number, text) of every printed line of the paragraphs (a paragraph's lines are consecutive)."""
    return [(where.line + i, text) for where, lines in paras for i, text in enumerate(lines)]


def funds_end(lines: Sequence[tuple[int, str]]) -> int:
    """Index of the line that ends with the funds block's 项目资金 label (glued figures before it or not); -1 if none."""
    labels = vocab().execution_row_labels
    for i, (_, text) in enumerate(lines):
        k = key(text)
        if any(k.endswith(label) for label in labels):
            return i
    return -1


def read_execution_rate(form: Form, lines: Sequence[tuple[int, str]], end: int) -> None:
    """The 执行率: the one percentage printed up to the 项目资金 label (none, or several, leave it unread)."""
    if "执行率" in form.budget:
        return
    found = [m.group(0) for _, text in lines[: end + 1] for m in _PERCENT_RE.finditer(text)]
    if len(found) == 1:
        form.budget["执行率"] = found[0]


def _head_cells(head: str) -> tuple[str, str] | None:
    """指标值 and 实际完成值 of a row's head: two cells, a number and its unit printed apart joined ('2400 人')."""
    tokens = head.split()
    if len(tokens) == 3 and tokens[1] in vocab().units and is_numeric_value(tokens[0] + tokens[1]):
        tokens = [tokens[0] + tokens[1], tokens[2]]
    if len(tokens) != 2:
        return None
    if not all(is_numeric_value(t) or looks_qualitative(t) for t in tokens):
        return None
    if parse_target(tokens[0]).unit == vocab().weight_unit:
        return None  # '10 分 完成 5 5': a level-1 weight glued before the row, not its 指标值
    return tokens[0], tokens[1]


def read_unnamed_rows(form: Form, lines: Sequence[tuple[int, str]], start: int, first: Line) -> None:
    """Indicator rows printed whole on one line after the funds block (their names not tied)."""
    for no, text in lines[start:]:
        m = _SCORES_RE.match(text.strip())
        if m is None:
            continue
        cells = _head_cells(m.group("head"))
        weight, score = to_decimal(m.group("weight")), to_decimal(m.group("score"))
        if cells is None or weight is None or score is None or weight <= 0:
            continue
        if score > weight:
            form.unreadable.append(unread("score_above_weight", line=no, text=text.strip()))
            continue
        where = Line(text=text, page=first.page, line=no)
        form.unnamed.append(Draft("", "", "", target_text=cells[0], actual_text=cells[1], weight=weight, score=score, where=where))


def count_indicators(lines: Sequence[tuple[int, str]]) -> int | None:
    """How many numbered indicator names the form prints; None when the numbering does not run 1, 2, … per group."""
    numbers = [int(m.group(1)) for _, text in lines for m in _marker_re().finditer(text)]
    previous = 0
    for n in numbers:
        if n != 1 and n != previous + 1:
            return None
        previous = n
    return len(numbers) or None


def read_scrambled_scores(form: Form, paras: Sequence[tuple[Line, list[str]]]) -> None:
    """A 项目支出绩效自评表 read from text with no indicator header: what its scores still prove."""
    if form.kind != "project_self_eval" or not paras:
        return
    lines = printed_lines(paras)
    end = funds_end(lines)
    if end < 0:
        return  # no funds block printed: not the template these readings know
    read_execution_rate(form, lines, end)
    read_unnamed_rows(form, lines, end + 1, paras[0][0])
    form.indicator_count = count_indicators(lines)
    read = sum((d.weight or Decimal(0) for d in form.unnamed), Decimal(0))
    if form.total_weight is not None and read > form.total_weight:
        form.unreadable.append(unread("weights_exceed", read=read, total=form.total_weight))
        form.unnamed.clear()
