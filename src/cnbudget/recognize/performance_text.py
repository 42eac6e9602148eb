"""Performance forms printed without grids: flattened to one paragraph per cell, or scrambled so
that only some label/value pairs survive."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cnbudget.limits import to_decimal
from cnbudget.model import Cell, Line
from cnbudget.numbers import parse_amount, parse_percent
from cnbudget.recognize.performance_form import Form, Row, is_label, opens_block, unread
from cnbudget.recognize.performance_scores import read_scrambled_scores
from cnbudget.recognize.performance_values import amount_label, clean, is_level1, key, text_label, unit_of_label
from cnbudget.recognize.performance_vocab import vocab


@dataclass
class Para:
    text: str  # lines joined with single spaces
    where: Line
    lines: list[str] = field(default_factory=list)  # the printed lines, whitespace-normalised


def paragraphs(lines: Sequence[Line]) -> list[Para]:
    """Consecutive source lines form one paragraph: in a flattened table that is one cell
    ('投入' / '管理' / '指标' → '投入 管理 指标')."""
    out: list[Para] = []
    prev: Line | None = None
    for ln in lines:
        text = " ".join(ln.text.split())
        if not text:
            prev = None
            continue
        if prev is not None and ln.page == prev.page and ln.line == prev.line + 1 and out:
            out[-1].text += " " + text
            out[-1].lines.append(text)
        else:
            out.append(Para(text, ln, [text]))
        prev = ln
    return out



_TWO_NUMBERS_RE = re.compile(r"^(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)$")
_TOTAL_AFTER_RE = re.compile(r"^总分\s*(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)$")
_SCORE_TOTAL_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*分\s*总分$")
_TOTAL_BEFORE_RE = re.compile(r"^(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s*总分$")
BUDGET_LABELS = ("年初预算数", "全年预算数", "全年执行数")


def read_paragraphs(form: Form, paras: list[Para]) -> None:
    """Read a form printed without grids: label paragraph → value paragraph, and a flattened
    indicator table when its header cells survive as clean paragraphs, in order."""
    pending: list[tuple[str, int]] = []  # text labels waiting for their value: (field, index)
    skip = -1
    header_at = _flat_header(paras)
    end = len(paras) if header_at is None else header_at[0]
    if paras and form.where is None:
        form.where = paras[0].where
    if form.kind == "project_self_eval":
        found = (_LEVEL1_WEIGHT_RE.match(ln) for p in paras for ln in p.lines)
        form.level1_weights = [w for m in found if m is not None and (w := to_decimal(m.group(1))) is not None]
    for idx in range(end):
        if idx <= skip:
            continue
        p = paras[idx]
        k = key(p.text)
        nxt = paras[idx + 1] if idx + 1 < len(paras) else None
        if form.kind == "overall_target" and (k in vocab().goal_labels or k in vocab().task_labels):
            skip = _flat_goals_or_tasks(form, paras, idx, end)
            continue
        if _flat_total(form, paras, idx):
            continue
        if _flat_execution(form, p):
            continue
        fld = text_label(p.text)
        if fld is not None:
            pending.append((fld, idx))
            continue
        # in a self-evaluation the funds rows (年度资金总额, 其他资金 …) head several columns, so a
        # number after a row label is not its value; only a column label (年初预算数 …) ties
        label = (k, "") if k in BUDGET_LABELS else None
        if label is None and form.kind in ("project_target", "overall_target"):
            label = amount_label(p.text, form.overall)
        if label is not None or amount_label(p.text, form.overall):
            if label is not None and nxt is not None and parse_amount(key(nxt.text)) is not None:
                _tie_number(form, label[0], label[1], nxt)
                skip = idx + 1
            continue
        if unit_of_label(p.text) and form.unit_from_label is None:
            form.unit_from_label = unit_of_label(p.text)
        # a label split over two paragraphs with its value inside the first ('部门（单 北关区医疗保障局' / '位）名称')
        tokens = p.text.split()
        if nxt is not None and len(tokens) >= 2 and text_label(tokens[0] + nxt.text.split()[0]) is not None:
            joined = text_label(tokens[0] + nxt.text.split()[0])
            assert joined is not None
            form.set_text(joined, " ".join(tokens[1:]), p.where)
            skip = idx + 1
            continue
        # labels inline with values ('北关区人民政府 实施单位 北关区医保局')
        if any(text_label(tok) for tok in tokens):
            value: list[str] = []
            for tok in [*tokens, ""]:
                tf = text_label(tok) if tok else None
                if tok and tf is None:
                    value.append(tok)
                    continue
                if value and pending:
                    form.set_text(pending.pop(0)[0], " ".join(value), p.where)
                value = []
                if tf is not None:
                    pending.append((tf, idx))
            continue
        pending = [(f, i) for f, i in pending if idx - i <= 4]
        if pending and not is_label(p.text, form.overall) and parse_amount(k) is None and not parse_percent(k):
            form.set_text(pending.pop(0)[0], p.text, p.where)
    if header_at is not None:
        _flat_indicators(form, paras, header_at)
    else:
        read_scrambled_scores(form, [(p.where, p.lines) for p in paras])


def _flat_goals_or_tasks(form: Form, paras: list[Para], idx: int, end: int) -> int:
    """年度履职目标 / 年度主要任务 flattened to one paragraph per cell (seed 000): the paragraphs up to
    the next block. A goal paragraph gives one item per printed line ('目标一：…' / '目标二：…'); task
    paragraphs after the 任务名称 / 主要内容 header are name, content, name, content … Returns the
    index of the last paragraph read."""
    v = vocab()
    j = idx + 1
    while j < end and not opens_block(paras[j].text):
        j += 1
    items = paras[idx + 1 : j]
    if key(paras[idx].text) in v.goal_labels:
        form.goals.extend(c for p in items for ln in p.lines if (c := clean(ln)))
        return j - 1
    cells = [p for p in items if key(p.text) not in v.task_columns]
    for n in range(0, len(cells) - 1, 2):
        form.tasks.append({"任务名称": clean(cells[n].text), "主要内容": clean(cells[n + 1].text)})
    if len(cells) % 2:
        form.unreadable.append(unread("task_without_content", text=clean(cells[-1].text)))
    return j - 1


def _tie_number(form: Form, name: str, unit: str, value: Para) -> None:
    if name in BUDGET_LABELS:
        form.budget[name] = value.text
    else:
        form.set_amount(name, value.text, unit or form.unit_from_label or "", value.where)


def _figures(m: re.Match[str]) -> tuple[Decimal, Decimal] | None:
    """分值 and 得分 of a two-number match, or None when either is beyond a computable figure."""
    weight, score = to_decimal(m.group(1)), to_decimal(m.group(2))
    return (weight, score) if weight is not None and score is not None else None


def _flat_total(form: Form, paras: list[Para], idx: int) -> bool:
    """总分 in scrambled text: '总分 100 94', or '100 97' right before '总分' (same or previous
    paragraph), or '97 分总分'. Two numbers are 分值 then 得分, in the printed column order."""
    t = " ".join(paras[idx].text.split())
    m = _TOTAL_AFTER_RE.match(t) or _TOTAL_BEFORE_RE.match(t)
    figures = _figures(m) if m else None
    if figures:
        form.total_weight, form.total_score = figures
        return True
    m = _SCORE_TOTAL_RE.match(t)
    if m and to_decimal(m.group(1)) is not None:
        form.total_score = to_decimal(m.group(1))
        return True
    if key(t) == "总分" and idx > 0:
        m = _TWO_NUMBERS_RE.match(paras[idx - 1].text.strip())
        figures = _figures(m) if m else None
        if figures:
            form.total_weight, form.total_score = figures
        return True
    return False


_LEVEL1_WEIGHT_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*分(?![值总])")  # '50 分' / '30分 完成': a level-1 indicator's weight
_GLUED_FIGURES_RE = re.compile(r"^((?:\d+(?:\.\d+)?%?\s*){2,3})([^\d\s%]\S*)$")


def _flat_execution(form: Form, p: Para) -> bool:
    """The funds block's 分值 / 执行率 / 得分 in scrambled text, glued before the 项目资金 label
    ('10 7项目资金', '10 0 0项目资金', '10 100%项目资金'): the template prints them in that column
    order on the 年度资金总额 row. Read only when that order is the only reading: two figures are
    分值 and 得分 unless the second is a percent (then 执行率), three are 分值, 执行率, 得分; a 得分
    above its 分值 or a percent where a score must stand leaves everything unread."""
    if form.kind != "project_self_eval" or not p.lines or "分值" in form.budget or "得分" in form.budget:
        return False
    m = _GLUED_FIGURES_RE.match(p.lines[0])
    if m is None or key(m.group(2)) not in vocab().execution_row_labels:
        return False
    figures = m.group(1).split()
    weight_text, *rest = figures
    rate = rest[0] if len(rest) == 2 or rest[0].endswith("%") else ""
    score_text = rest[-1] if not rest[-1].endswith("%") else ""
    weight, score = to_decimal(weight_text.rstrip("%")), to_decimal(score_text) if score_text else None
    if weight_text.endswith("%") or weight is None or (len(rest) == 2 and not score_text):
        return False
    if score is not None and score > weight:
        return False
    form.budget["分值"] = weight_text
    form.glued_execution = True
    if score_text:
        form.budget["得分"] = score_text
    if rate:
        form.budget["执行率"] = rate
    return True


def _flat_header(paras: list[Para]) -> tuple[int, list[str]] | None:
    """(index, roles) of an indicator header flattened to one paragraph per cell."""
    cols = vocab().indicator_columns
    for idx in range(len(paras)):
        roles: list[str] = []
        j = idx
        while j < len(paras) and key(paras[j].text) in cols:
            roles.append(cols[key(paras[j].text)])
            j += 1
        if len(roles) >= 3 and "name" in roles and "level1" in roles:
            return idx, roles
    return None


def _flat_indicators(form: Form, paras: list[Para], header: tuple[int, list[str]]) -> None:
    """Indicator rows of a flattened table: each row starts at a 一级指标 paragraph; its cells are
    aligned to the header by order."""
    start, roles = header
    form.columns = list(enumerate(roles))
    form.section = "indicators"
    rows: list[list[Para]] = []
    for p in paras[start + len(roles) :]:
        if key(p.text) in vocab().total_labels or vocab().stop_re.match(key(p.text)):
            break
        if is_level1(p.text) or not rows:
            rows.append([])
        rows[-1].append(p)
    for row in rows:
        cells: Row = [(i, clean(p.text), Cell(p.text, p.where.page, p.where.line, p.where.bbox)) for i, p in enumerate(row)]
        form.indicator_row(cells)



def note_unread(form: Form, paras: list[Para]) -> None:
    """For a form read from text: say which printed labels could not be tied to a value."""
    printed = " ".join(key(p.text) for p in paras)
    if form.kind in ("project_self_eval", "overall_self_eval"):
        untied = [x for x in (*BUDGET_LABELS, "分值", "执行率", "得分") if x in printed and x not in form.budget]
        if untied:
            form.unreadable.append(unread("funds_untied", labels="/".join(untied)))
        if "总分" in printed and form.total_score is None:
            form.unreadable.append(unread("total_untied"))
    if not form.columns and any(w in printed for w in ("三级指标", "一级指标", "指标值")):
        count = "" if form.indicator_count is None else unread("indicator_count", count=form.indicator_count)
        if form.unnamed:
            form.unreadable.append(unread("indicators_scrambled_some", rows=len(form.unnamed), count=count))
        else:
            form.unreadable.append(unread("indicators_scrambled_none", count=count))
