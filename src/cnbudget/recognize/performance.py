"""Performance forms (绩效目标表 / 绩效自评表) read into ``PerformanceForm``.

The forms reach us in several shapes: tab grids whose rows the converter shifted left or right,
markdown tables split at page breaks, one wide table listing many projects, a form flattened to
one cell per paragraph, and text so scrambled that only a few label/value pairs survive. One
reader handles them all by trusting content over position:

* a header row names the columns (一级指标, 三级指标, 分值 …); each data row's non-empty cells
  are then *aligned* to those columns by the least displacement that keeps every cell in a
  column that can hold it (a 分值 must be a number, a 一级指标 must be one of the known
  level-1 names …). A row shifted by the converter thus lands where it was printed;
* labels (项目名称, 年度资金总额 …) take the next non-empty cell as their value;
* nothing is inferred: a value that cannot be tied to its label or column stays unset and is
  described in ``unreadable``.

API: ``read_forms`` (every form under one title: one per project), ``split_forms`` (the blocks
of each of those forms) and ``read_form`` (one form).

``amounts`` keys: the canonical label (年度资金总额, 项目总金额, 部门预算总额, 财政性资金 …); a
财政拨款 / 其他资金 line under a 年度 or 实施期 total is prefixed with it (年度财政拨款); cells of
a self-evaluation's 项目资金 block are '<row>·<column>' (财政拨款·全年执行数), the 年度资金总额
row also filling budget_initial / budget_full_year / executed / execution_*. An 整体绩效目标表 also
gives ``goals`` (年度履职目标: one item per cell, or per printed line of a flattened cell) and
``tasks`` (年度主要任务: {任务名称, 主要内容} per row, aligned by content like the indicators), and
its 资金结构 may print 其他支出.

Vocabulary (labels, operators, units, level names) lives in ``specs/performance.json``.

The reading is split by job: ``performance_vocab`` (the vocabulary), ``performance_values`` (one
printed value: target, score, amount, label), ``performance_align`` (cells to columns by content),
``performance_form`` (the form read from grid rows and lines), ``performance_text`` (forms printed
without grids: flattened or scrambled), ``performance_scores`` (what a scrambled self-evaluation
still proves: indicator rows in printed order, the funds block's 执行率) and ``performance_wide``
(one row per project). This module is the API.
"""

from __future__ import annotations

from typing import cast

from cnbudget.model import Cell, Grid, Line, PerformanceForm
from cnbudget.recognize.performance_align import align, indicator_cost, indicator_skip
from cnbudget.recognize.performance_form import Block, Form, FormKind, unread
from cnbudget.recognize.performance_text import note_unread, paragraphs, read_paragraphs
from cnbudget.recognize.performance_values import Target, clean, parse_target, text_label
from cnbudget.recognize.performance_vocab import key, vocab
from cnbudget.recognize.performance_wide import find_wide, read_wide, split_wide, wide_rows

__all__ = [
    "Target",
    "align",
    "clean",
    "indicator_cost",
    "indicator_skip",
    "key",
    "parse_target",
    "read_form",
    "read_forms",
    "split_forms",
    "vocab",
]


def read_form(kind: str, title: str, blocks: list[Line | Grid], source: str, unit: str = "万元") -> PerformanceForm:
    """Read one printed form (one project, one department, or one 汇总表).

    ``blocks`` are the reader's blocks between the form's title and the next title. For a
    title followed by several projects use ``read_forms`` (or ``split_forms`` first)."""
    k = cast(FormKind, kind)
    wide = read_wide(k, title, blocks, source, unit)
    if wide:
        if len(wide) > 1:
            wide[0].unreadable.append(unread("more_projects", count=len(wide) - 1))
        return wide[0]
    form = Form(k, title, source, unit)
    if not any(isinstance(b, Grid) for b in blocks):
        paras = paragraphs([b for b in blocks if isinstance(b, Line)])
        read_paragraphs(form, paras)
        note_unread(form, paras)
        return form.build()
    for b in blocks:
        if isinstance(b, Grid):
            for row in b.rows:
                form.read_row(row)
        else:
            form.read_line(b)
    return form.build()



def split_forms(kind: str, blocks: list[Line | Grid]) -> list[list[Line | Grid]]:
    """Cut the blocks under one title into one block list per printed form.

    A wide project table (one row per project code) gives one list per project, each holding
    the header rows and that project's rows already put back into the header's columns. Other
    forms are cut where a new 项目名称 row or paragraph starts a second form."""
    found = find_wide(blocks)
    if found is not None:
        at, layout = found
        header, data, _ = wide_rows(blocks, at, layout)
        head = [b for b in blocks[:at] if isinstance(b, Line)]
        first = cast(Grid, blocks[at])
        return [
            [*head, Grid(rows=[*header, *group], page=first.page, line=first.line, bbox=first.bbox)] for group in split_wide(data, layout)
        ]
    if kind in ("overall_target", "overall_self_eval", "self_eval_summary"):
        return [list(blocks)]
    out: list[list[Block]] = [[]]
    seen = False
    for b in blocks:
        if isinstance(b, Grid):
            current: list[list[Cell]] = []
            for row in b.rows:
                texts = [clean(c.text) for c in row if clean(c.text)]
                if texts and text_label(texts[0]) == "project":
                    if seen:
                        if current:
                            out[-1].append(Grid(rows=current, page=b.page, line=current[0][0].line, bbox=None))
                        out.append([])
                        current = []
                    seen = True
                current.append(row)
            if current:
                out[-1].append(Grid(rows=current, page=b.page, line=current[0][0].line, bbox=b.bbox, continued=b.continued))
        else:
            if text_label(clean(b.text)) == "project":
                if seen:
                    out.append([])
                seen = True
            out[-1].append(b)
    return [part for part in out if part]


def read_forms(kind: str, title: str, blocks: list[Line | Grid], source: str, unit: str = "万元") -> list[PerformanceForm]:
    """Every form under one title: one PerformanceForm per project (wide table or stacked forms)."""
    wide = read_wide(cast(FormKind, kind), title, blocks, source, unit)
    if wide:
        return wide
    return [read_form(kind, title, part, source, unit) for part in split_forms(kind, blocks)]
