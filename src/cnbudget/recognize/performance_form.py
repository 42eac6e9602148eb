"""The performance form being read from grid rows and lines (``Form``), and what it builds into a
``PerformanceForm``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from cnbudget.i18n import Message
from cnbudget.model import Amount, Cell, Grid, Indicator, Line, PerformanceForm
from cnbudget.recognize.performance_align import align, indicator_cost, indicator_skip, matrix_cost
from cnbudget.recognize.performance_values import (
    DASHES,
    RULE_RE,
    amount_label,
    clean,
    is_level1,
    key,
    location,
    money,
    parse_target,
    plain_number,
    text_label,
    unit_of_label,
)
from cnbudget.recognize.performance_vocab import vocab

Block = Line | Grid
FormKind = Literal["project_target", "overall_target", "project_self_eval", "overall_self_eval", "self_eval_summary"]


def unread(key: str, /, **values: object) -> Message:
    """What a form printed and could not be read unambiguously (messages/<lang>/performance_unread.toml)."""
    return Message(f"performance.unread.{key}", **values)


@dataclass
class Draft:
    """An indicator while its cells are still being gathered (wrapped cells are appended)."""

    level1: str
    level2: str
    name: str
    target_text: str = ""
    actual_text: str = ""
    weight: Decimal | None = None
    score: Decimal | None = None
    note: str = ""
    where: Cell | Line | None = None

    def build(self, source: str) -> Indicator:
        t = parse_target(self.target_text)
        return Indicator(
            level1=self.level1,
            level2=self.level2,
            name=self.name,
            target_text=self.target_text,
            operator=t.operator,
            target=t.value,
            target_unit=t.unit,
            qualitative=t.qualitative,
            actual_text=self.actual_text,
            weight=self.weight,
            score=self.score,
            note=self.note,
            location=location(source, self.where),
        )


Row = list[tuple[int, str, Cell]]  # non-empty cells: (column, cleaned text, cell)


@dataclass
class Form:
    kind: FormKind
    title: str
    source: str
    unit: str
    where: Cell | Line | Grid | None = None
    texts: dict[str, list[tuple[str, Cell | Line]]] = field(default_factory=dict)
    amounts: dict[str, Amount] = field(default_factory=dict)
    amount_conflicts: set[str] = field(default_factory=set)
    budget: dict[str, str] = field(default_factory=dict)  # matrix column -> printed, for the total row
    indicators: list[Draft] = field(default_factory=list)
    unnamed: list[Draft] = field(default_factory=list)  # scrambled text: rows read whole on one line, no name tied
    indicator_count: int | None = None  # scrambled text: the numbered indicator names counted
    total_weight: Decimal | None = None
    total_score: Decimal | None = None
    summary_rows: list[dict[str, str]] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    tasks: list[dict[str, str]] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    # reading state
    columns: list[tuple[int, str]] = field(default_factory=list)  # indicator header
    matrix: list[tuple[int, str]] = field(default_factory=list)  # 项目资金 header
    summary: list[tuple[int, str]] = field(default_factory=list)
    task_columns: list[tuple[int, str]] = field(default_factory=list)  # 年度主要任务 header: 任务名称 / 主要内容
    section: str = "head"
    level1: str = ""
    level2: str = ""
    groups: dict[int, str] = field(default_factory=dict)  # label-pair index -> 年度 / 实施期
    unit_from_label: str | None = None  # '(万元)' in a label or '单位：万元' above the grid
    # scrambled text: the funds row's 分值/得分 read glued before 项目资金, and the level-1 weights ('50 分')
    glued_execution: bool = False
    level1_weights: list[Decimal] = field(default_factory=list)

    @property
    def overall(self) -> bool:
        """A 整体绩效目标表: 年度履职目标, 年度主要任务 and 资金结构 （3）其他支出 are read."""
        return self.kind == "overall_target"

    # --- values -------------------------------------------------------------------------------

    def set_text(self, fld: str, value: str, where: Cell | Line) -> None:
        value = clean(value)
        if value:
            self.texts.setdefault(fld, []).append((value, where))

    def set_amount(self, name: str, text: str, unit: str, where: Cell | Line) -> None:
        amount = money(text, unit or self.unit)
        if amount is None:
            self.unreadable.append(unread("not_amount", name=name, text=text))
            return
        old = self.amounts.get(name)
        if old is not None and old.value != amount.value:
            self.amount_conflicts.add(name)
            self.unreadable.append(unread("printed_twice", name=name, one=old.printed, other=amount.printed))
            return
        self.amounts[name] = amount
        if self.where is None:
            self.where = where

    def text(self, fld: str) -> str:
        """The value of a text field; '' (and a note) when it was printed with different values."""
        values = self.texts.get(fld, [])
        distinct = list(dict.fromkeys(v for v, _ in values))
        if len(distinct) > 1:
            label = {"unit": "实施单位/单位名称", "org": "部门(单位)名称", "project": "项目名称"}.get(fld, fld)
            self.unreadable.append(unread("different_values", label=label, values=" / ".join(distinct)))
            return ""
        return distinct[0] if distinct else ""

    # --- grid rows -----------------------------------------------------------------------------

    def read_row(self, row: list[Cell]) -> None:
        cells: Row = [(i, clean(c.text), c) for i, c in enumerate(row)]
        cells = [(i, t, c) for i, t, c in cells if t and not RULE_RE.match(t)]
        if not cells:
            return  # an empty row, or a markdown '|---|' rule the reader kept
        keys = [key(t) for _, t, _ in cells]
        if self.where is None:
            self.where = cells[0][2]
        if self._header(cells, keys, len(row)):
            return
        if self.overall and self.section in ("head", "goals", "tasks") and self._goals_or_tasks(cells, keys):
            return
        first = keys[0]
        if self.section == "indicators":
            if vocab().stop_re.match(first) and cells[0][0] <= 1:
                self.section = "done"
                return
            if first.rstrip(":") in vocab().total_labels:
                self._total_row(cells)
                return
            self.indicator_row(cells)
            return
        if self.section == "summary":
            self._summary_row(cells)
            return
        if self.section == "matrix" and amount_label(cells[0][1]):
            self._matrix_row(cells)
            return
        if self.section == "matrix":
            self.section = "head"
        if self.section == "head":
            self._label_row(cells)

    def _header(self, cells: Row, keys: list[str], width: int) -> bool:
        """Recognise a header row (indicator table, 项目资金 block or 汇总表) and remember its columns."""
        v = vocab()
        ind = [(i, v.indicator_columns[k]) for (i, _, _), k in zip(cells, keys, strict=True) if k in v.indicator_columns]
        roles = {r for _, r in ind}
        if "name" in roles and ("target" in roles or "level1" in roles) and len(ind) >= 3:
            if "note" not in roles and ind[-1][0] + 1 < width:
                ind.append((ind[-1][0] + 1, "note"))  # an unlabelled last column holds 指标值说明 / remarks
            self.columns = ind
            self.section = "indicators"
            return True
        mat = [(i, v.matrix_columns[k]) for (i, _, _), k in zip(cells, keys, strict=True) if k in v.matrix_columns]
        if len({r for _, r in mat} & {"年初预算数", "全年预算数", "全年执行数"}) >= 2:
            self.matrix = mat
            self.section = "matrix"
            for _, t, _ in cells:
                if unit_of_label(t):
                    self.unit_from_label = unit_of_label(t)
            return True
        if len(set(keys) & v.summary_columns) >= 3:
            self.summary = [(i, k) for (i, _, _), k in zip(cells, keys, strict=True)]
            self.section = "summary"
            return True
        return False

    def _label_row(self, cells: Row) -> None:
        """Label → next non-empty cell, for every label in the row (several per row occur)."""
        pair = 0
        idx = 0
        while idx < len(cells):
            t = cells[idx][1]
            nxt = cells[idx + 1] if idx + 1 < len(cells) else None
            label_unit = unit_of_label(t)
            if label_unit:
                self.unit_from_label = label_unit
            fld = text_label(t)
            amt = amount_label(t, self.overall)
            if fld is not None:
                if nxt is not None and not is_label(nxt[1], self.overall):
                    self.set_text(fld, nxt[1], nxt[2])
                    idx += 2
                else:
                    idx += 1
                pair += 1
                continue
            if amt is not None:
                name, unit = amt
                if name in vocab().amount_groups:
                    self.groups[pair] = vocab().amount_groups[name]
                elif name in vocab().amount_sublabels and pair in self.groups:
                    name = self.groups[pair] + name
                if nxt is not None and not is_label(nxt[1], self.overall):
                    self.set_amount(name, nxt[1], unit or self.unit_from_label or "", nxt[2])
                    idx += 2
                else:
                    idx += 1
                pair += 1
                continue
            idx += 1

    def _goals_or_tasks(self, cells: Row, keys: list[str]) -> bool:
        """年度履职目标 (each cell after the label one item, and so each cell of the rows below it)
        and 年度主要任务 (a 任务名称 / 主要内容 header, then one task per row), until a row opens
        another block (预算情况, an amount or text label, the indicator header). False: not such a row."""
        v = vocab()
        first = keys[0].rstrip(":")
        if first in v.goal_labels:
            self.section = "goals"
            self.goals.extend(t for _, t, _ in cells[1:])
            return True
        if first in v.task_labels:
            self.section = "tasks"
            header = [(i, v.task_columns[k]) for (i, _, _), k in zip(cells[1:], keys[1:], strict=True) if k in v.task_columns]
            if header:
                self.task_columns = header
            rest = [c for c, k in zip(cells[1:], keys[1:], strict=True) if k not in v.task_columns]
            if rest:
                self._task_row(rest)
            return True
        if self.section == "head":
            return False
        if opens_block(cells[0][1]):
            self.section = "head"
            return False
        if self.section == "goals":
            self.goals.extend(t for _, t, _ in cells)
        else:
            self._task_row(cells)
        return True

    def _task_row(self, cells: Row) -> None:
        """One task: its cells aligned to the 任务名称 / 主要内容 columns (a row the converter shifted
        left lands where it was printed). A row with a 主要内容 only continues the task above."""
        columns = self.task_columns or [(1, "任务名称"), (2, "主要内容")]
        roles = align([(i, t) for i, t, _ in cells], columns, lambda _text, _role: 0)
        got: dict[str, str] = {}
        for (_, t, c), role in zip(cells, roles, strict=True):
            if role is None:
                self.unreadable.append(unread("task_row", line=c.line, text=t))
            else:
                got[role] = t
        if not got:
            return
        if "任务名称" not in got and self.tasks:
            self.tasks[-1]["主要内容"] += got["主要内容"]
            return
        self.tasks.append({"任务名称": got.get("任务名称", ""), "主要内容": got.get("主要内容", "")})

    def _matrix_row(self, cells: Row) -> None:
        """A row of the 项目资金 block: 年度资金总额 / 其中：财政拨款 / 其他资金 × 年初预算数 …"""
        if not cells:
            return
        label = amount_label(cells[0][1])
        if label is None:
            return
        row_key = label[0]
        values = cells[1:]
        roles = align([(i, t) for i, t, _ in values], self.matrix, matrix_cost)
        total = row_key in vocab().matrix_total_rows
        unit = label[1] or self.unit_from_label or ""
        for (_, t, c), role in zip(values, roles, strict=True):
            if role is None:
                self.unreadable.append(unread("funds_row", row=row_key, text=t))
                continue
            if role in ("年初预算数", "全年预算数", "全年执行数") and key(t) not in DASHES:
                self.set_amount(f"{row_key}·{role}", t, unit, c)
            if total:
                self.budget[role] = t

    def indicator_row(self, cells: Row) -> None:
        roles = align([(i, t) for i, t, _ in cells], self.columns, indicator_cost, indicator_skip)
        got: dict[str, tuple[str, Cell]] = {}
        for (_, t, c), role in zip(cells, roles, strict=True):
            if role is None:
                self.unreadable.append(unread("indicator_row", line=c.line, text=t))
            elif role != "label":
                got[role] = (t, c)
        if "level1" in got:
            new1 = key(got["level1"][0])
            if new1 != self.level1:
                self.level2 = ""
            self.level1 = new1
        if "level2" in got:
            self.level2 = key(got["level2"][0])
        if "name" not in got:
            if "target" in got:
                t, c = got["target"]
                self.unreadable.append(unread("indicator_unnamed", line=c.line, text=t))
            return  # a row that only opens a level (or an empty template slot)
        where = cells[0][2]
        if len(got) == 1 and len(key(got["name"][0])) <= 1:
            self.unreadable.append(unread("indicator_fragment", line=where.line, text=got["name"][0]))
            return
        draft = Draft(self.level1, self.level2, got.get("name", ("", where))[0], where=where)
        draft.target_text = got.get("target", ("", where))[0]
        draft.actual_text = got.get("actual", ("", where))[0]
        draft.note = got.get("note", ("", where))[0]
        if "weight" in got:
            draft.weight = plain_number(got["weight"][0])
        if "score" in got:
            draft.score = plain_number(got["score"][0])
        self.indicators.append(draft)

    def _total_row(self, cells: Row) -> None:
        cols = [(i, r) for i, r in self.columns if r in ("weight", "score", "note")]
        if not cols:
            return
        rest = cells[1:]
        roles = align([(i, t) for i, t, _ in rest], cols, indicator_cost)
        for (_, t, _), role in zip(rest, roles, strict=True):
            if role == "weight":
                self.total_weight = plain_number(t)
            elif role == "score":
                self.total_score = plain_number(t)
            elif role is None:
                self.unreadable.append(unread("total_row", text=t))

    def _summary_row(self, cells: Row) -> None:
        cols = dict(self.summary)
        row: dict[str, str] = {}
        for i, t, _ in cells:
            if i in cols:
                row[cols[i]] = t
            else:
                self.unreadable.append(unread("summary_row", text=t))
        if row:
            self.summary_rows.append(row)

    # --- lines ---------------------------------------------------------------------------------

    def read_line(self, line: Line) -> None:
        """A Line between grids: a 单位 note, an inline 'label：value', or a level-1 name that the
        converter lifted out of the indicator grid ('影响力目标')."""
        t = clean(line.text)
        if not t:
            return
        if self.section == "indicators" and is_level1(t):
            self.level1, self.level2 = key(t), ""
            return
        self.inline_label(t, line)

    def inline_label(self, t: str, where: Line) -> bool:
        m = re.match(r"^(.{1,12}?)[:：]\s*(.+)$", t)
        if not m:
            return False
        label, value = m.group(1), m.group(2).strip()
        if key(label) in ("单位", "金额单位"):
            if key(value) in vocab().money_units:
                self.unit_from_label = vocab().money_units[key(value)]
            elif self.kind == "self_eval_summary" or not value[:1].isdigit():
                self.set_text("unit", value, where)
            return True
        fld = text_label(label)
        if fld is not None:
            self.set_text(fld, value, where)
            return True
        return False

    # --- result --------------------------------------------------------------------------------

    def _check_glued_execution(self) -> None:
        if _glued_weights_agree(self):
            return
        for k in ("分值", "执行率", "得分"):
            self.budget.pop(k, None)
        self.unreadable.append(unread("glued_execution"))

    def build(self) -> PerformanceForm:
        project, org, unit = self.text("project"), self.text("org"), self.text("unit")
        overall = self.kind in ("overall_target", "overall_self_eval")
        name = (org or unit) if overall else project
        unit_name = "" if overall else (unit or org)
        if not unit_name and not overall:
            unit_name = _org_from_title(self.title)
        unit_name = re.sub(r"^\[\d+\]\s*", "", unit_name)
        grade = self.text("grade")
        form = PerformanceForm(
            kind=self.kind,
            name=name,
            unit_name=unit_name,
            amounts={k: v for k, v in self.amounts.items() if k not in self.amount_conflicts},
            total_weight=self.total_weight,
            total_score=self.total_score,
            grade=grade,
            summary_rows=self.summary_rows,
            goals=self.goals,
            tasks=self.tasks,
            location=location(self.source, self.where),
        )
        self._check_glued_execution()
        b = self.budget
        form.budget_initial = _budget_number(b.get("年初预算数"))
        form.budget_full_year = _budget_number(b.get("全年预算数"))
        form.executed = _budget_number(b.get("全年执行数"))
        form.execution_weight = plain_number(b["分值"]) if "分值" in b else None
        form.execution_rate_printed = b.get("执行率", "")
        form.execution_score = plain_number(b["得分"]) if "得分" in b else None
        form.indicators = [d.build(self.source) for d in self.indicators]
        form.unnamed_indicators = [d.build(self.source) for d in self.unnamed]
        form.indicator_count = self.indicator_count
        form.unreadable = list(dict.fromkeys(self.unreadable))
        return form


def _glued_weights_agree(form: Form) -> bool:
    """A glued execution reading is kept only if the weights add up: the execution 分值 plus the
    level-1 weights printed ('50 分', '30 分', '10 分') is the total 分值, when those are read."""
    weight = plain_number(form.budget.get("分值", ""))
    if not form.glued_execution or weight is None or form.total_weight is None or not form.level1_weights:
        return True
    return weight + sum(form.level1_weights, Decimal(0)) == form.total_weight


def _budget_number(text: str | None) -> Decimal | None:
    if text is None:
        return None
    amount = money(text, "万元")
    return amount.value if amount else None


def is_label(text: str, overall: bool = False) -> bool:
    return text_label(text) is not None or amount_label(text, overall) is not None


def opens_block(text: str) -> bool:
    """Text that starts another block of a 整体绩效目标表 (so it ends the 年度履职目标 / 年度主要任务)."""
    v = vocab()
    k = key(text).rstrip(":")
    return (
        k in v.goal_labels
        or k in v.task_labels
        or k in v.block_labels
        or k in v.indicator_columns
        or is_label(text, overall=True)
        or bool(v.stop_re.match(k))
    )


def _org_from_title(title: str) -> str:
    """'济源市社会医疗保险中心（参照）支出项目绩效目标表' → the unit; '' unless the prefix ends like
    an organisation's name (局, 中心, （参照） …)."""
    t = key(title)
    m = re.match(r"^(.+?)(?:支出)?项目(?:支出)?绩效目", t)
    if not m:
        return ""
    prefix = m.group(1)
    return prefix if prefix.endswith(vocab().org_suffixes) else ""
