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
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, cast

from cnbudget.limits import to_decimal
from cnbudget.model import Amount, Cell, Grid, Indicator, Line, Location, PerformanceForm
from cnbudget.numbers import parse_amount, parse_percent, squash

Block = Line | Grid
FormKind = Literal["project_target", "overall_target", "project_self_eval", "overall_self_eval", "self_eval_summary"]

# ---------------------------------------------------------------------------------------------
# vocabulary
# ---------------------------------------------------------------------------------------------

_KEY_TABLE = str.maketrans({"（": "(", "）": ")", "：": ":", "“": "", "”": "", '"': "", "％": "%", "，": ","})


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """The form in which labels are compared: no whitespace, no quotes, half-width ( ) : %."""
    return squash(text).translate(_KEY_TABLE)


@dataclass(frozen=True)
class _Vocab:
    text_labels: dict[str, str]  # normalised label -> field (project / org / unit / dept / grade)
    amount_labels: dict[str, str]  # normalised synonym -> canonical amount key
    overall_amount_labels: dict[str, str]  # amount labels of a 整体绩效目标表 only (（3）其他支出)
    amount_groups: dict[str, str]
    amount_sublabels: frozenset[str]
    amount_prefixes: tuple[str, ...]
    money_units: dict[str, str]
    goal_labels: frozenset[str]  # 年度履职目标 / 年度总体目标
    task_labels: frozenset[str]  # 年度主要任务
    task_columns: dict[str, str]  # normalised header -> 任务名称 / 主要内容
    block_labels: frozenset[str]  # a label opening another block of the form (预算情况)
    matrix_columns: dict[str, str]
    matrix_total_rows: frozenset[str]
    execution_row_labels: frozenset[str]  # 项目资金: the funds block's row label (scrambled 分值/执行率/得分 before it)
    indicator_columns: dict[str, str]
    wide_columns: dict[str, str]
    summary_columns: frozenset[str]
    total_labels: frozenset[str]
    stop_re: re.Pattern[str]
    operators: tuple[tuple[str, str], ...]  # (printed form, normalised symbol), longest first
    units: frozenset[str]
    level1: frozenset[str]
    level2: frozenset[str]
    qualitative_words: tuple[str, ...]
    name_suffixes: tuple[str, ...]
    org_suffixes: tuple[str, ...]


def _invert(groups: dict[str, list[str]]) -> dict[str, str]:
    return {key(s): k for k, synonyms in groups.items() if not k.startswith("_") for s in synonyms}


@lru_cache(maxsize=1)
def vocab() -> _Vocab:
    """The vocabulary of ``specs/performance.json`` (read once)."""
    text = resources.files("cnbudget.specs").joinpath("performance.json").read_text(encoding="utf-8")
    d: dict[str, Any] = json.loads(text)
    ops = sorted(((w, sym) for sym, words in d["operators"].items() for w in words), key=lambda p: -len(p[0]))
    stops = "|".join(re.escape(s) for s in d["stop_prefixes"])
    return _Vocab(
        text_labels=_invert(d["text_labels"]),
        amount_labels=_invert(d["amount_labels"]),
        overall_amount_labels=_invert(d["overall_amount_labels"]),
        amount_groups=dict(d["amount_groups"]),
        amount_sublabels=frozenset(d["amount_sublabels"]),
        amount_prefixes=tuple(key(p) for p in d["amount_label_prefixes"]),
        money_units=dict(d["money_units"]),
        goal_labels=frozenset(key(s) for s in d["goal_labels"]),
        task_labels=frozenset(key(s) for s in d["task_labels"]),
        task_columns=_invert(d["task_columns"]),
        block_labels=frozenset(key(s) for s in d["block_labels"]),
        matrix_columns=_invert(d["matrix_columns"]),
        matrix_total_rows=frozenset(d["matrix_total_rows"]),
        execution_row_labels=frozenset(key(s) for s in d["execution_row_labels"]["labels"]),
        indicator_columns=_invert(d["indicator_columns"]),
        wide_columns=_invert(d["wide_columns"]),
        summary_columns=frozenset(key(s) for s in d["summary_columns"]),
        total_labels=frozenset(key(s) for s in d["total_labels"]),
        stop_re=re.compile(rf"^(?:{stops})(?:[:0-9.、]|$)"),
        operators=tuple((key(w), sym) for w, sym in ops),
        units=frozenset(d["units"]),
        level1=frozenset(key(s) for s in d["level1"]),
        level2=frozenset(key(s) for s in d["level2"]),
        qualitative_words=tuple(d["qualitative_words"]),
        name_suffixes=tuple(d["name_suffixes"]),
        org_suffixes=tuple(key(s) for s in d["org_suffixes"]),
    )


# ---------------------------------------------------------------------------------------------
# text and values
# ---------------------------------------------------------------------------------------------

_TAG_RE = re.compile(r"<[^>]*>")
_MD_ESCAPE_RE = re.compile(r"\\([*_#|\[\]()<>`])")  # markdown escapes left by the converter ('\*100%')
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
# whitespace the converter put inside a wrapped CJK cell ('医疗待 遇逐年 提高'); a space between two
# Latin words or numbers is kept
_CJK_GAP_RE = re.compile(rf"(?<=[{_CJK}])\s+(?=[^A-Za-z])|(?<=[^A-Za-z\s])\s+(?=[{_CJK}])")


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """Cell text without HTML fragments (<p>, <ol><li>) and without wrap whitespace."""
    t = html.unescape(_TAG_RE.sub(" ", text)) if "<" in text or "&" in text else text
    t = _MD_ESCAPE_RE.sub(r"\1", t)
    t = " ".join(t.split())
    return _CJK_GAP_RE.sub("", t)


_LEVEL_SCORE_RE = re.compile(r"\(\d+(?:\.\d+)?分\)$")


def is_level1(text: str) -> bool:
    """A known 一级指标 name ('项目产出 (50分)' included: the printed weight is not part of the name)."""
    return _LEVEL_SCORE_RE.sub("", key(text)) in vocab().level1


def is_level2(text: str) -> bool:
    return _LEVEL_SCORE_RE.sub("", key(text)) in vocab().level2


_NUMBER_RE = re.compile(r"^(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(.*)$")


@dataclass(frozen=True)
class Target:
    """An 指标值 read by the grammar ``operator? number unit?`` (or qualitative text)."""

    operator: str
    value: Decimal | None
    unit: str
    qualitative: bool


@lru_cache(maxsize=8192)
def parse_target(text: str) -> Target:
    """Read '>=30家', '≤5.09', '不低于800万', '明显遏制'. A number followed by anything but a
    known unit ('2023年12月', '12月底前') is a date or phrase: no number is taken from it."""
    t = key(clean(text))
    op = ""
    for word, sym in vocab().operators:
        if t.startswith(word):
            op, t = sym, t[len(word) :]
            break
    m = _NUMBER_RE.match(t)
    unit = m.group(2) if m else ""
    if unit[:1] == "(" and unit[-1:] == ")":  # '≥13459.00(平方米)': the unit in brackets
        unit = unit[1:-1]
    if m and (unit == "" or unit in vocab().units):
        parsed = parse_amount(m.group(1))
        if parsed is not None:
            return Target(op, parsed[0], unit, False)
    qualitative = bool(t) and t not in vocab().units and not any(ch.isdigit() for ch in t)
    return Target(op, None, "", qualitative)


def is_numeric_value(text: str) -> bool:
    return parse_target(text).value is not None


def looks_like_name(text: str) -> bool:
    """An indicator name rather than a value: '合同管理完备性', '医疗救助人数' (ends like a measure)."""
    return key(text).endswith(vocab().name_suffixes) and len(key(text)) > 3


def looks_qualitative(text: str) -> bool:
    """A short qualitative value: '健全', '明显遏制', '较往年减轻' (not a name ending in 率/性 …)."""
    k = key(text)
    if not k or len(k) > 8 or looks_like_name(k) or any(ch.isdigit() for ch in k):
        return False
    return len(k) <= 2 or any(w in k for w in vocab().qualitative_words)


def plain_number(text: str) -> Decimal | None:
    """A 分值 / 得分 cell: a bare number ('14.6', '100.00'); '-' and anything else give None."""
    parsed = parse_amount(key(text))
    return parsed[0] if parsed else None


_RULE_RE = re.compile(r"^:?-{3,}:?$")
_DASHES = frozenset({"-", "—", "－", "/", "——", "--"})


def money(text: str, unit: str) -> Amount | None:
    """A printed amount, with its own unit suffix ('5.2万元') taking precedence over ``unit``."""
    t = key(text)
    own = ""
    for suffix in sorted(vocab().money_units, key=len, reverse=True):
        if t.endswith(suffix):
            own, t = vocab().money_units[suffix], t[: -len(suffix)]
            break
    parsed = parse_amount(t)
    if parsed is None:
        return None
    value, places = parsed
    return Amount(printed=text.strip(), value=value, unit=cast(Any, own or unit), places=places)


_ORDINAL_PREFIX_RE = re.compile(r"^(?:\d+[、.．]|[一二三四五六七八九十]+、)")
_PAREN_ORDINAL_RE = re.compile(r"^\(\d+\)")
_UNIT_IN_LABEL_RE = re.compile(r"\((万元|元|亿元)\)")


def amount_label(text: str, overall: bool = False) -> tuple[str, str] | None:
    """(canonical key, unit printed in the label or '') for an amount label such as
    '1、资金来源:(1)财政性资金', '其中:财政拨款', '部门预算总额(万元)'; None for other text.
    ``overall``: the form is a 整体绩效目标表, whose 资金结构 may also print '(3)其他支出'."""
    t = key(text)
    unit = ""
    m = _UNIT_IN_LABEL_RE.search(t)
    if m:
        unit, t = m.group(1), _UNIT_IN_LABEL_RE.sub("", t)
    t = _ORDINAL_PREFIX_RE.sub("", t)
    for prefix in vocab().amount_prefixes:
        if t.startswith(prefix):
            t = t[len(prefix) :].lstrip(":")
    t = _PAREN_ORDINAL_RE.sub("", t).rstrip(":")
    for prefix in vocab().amount_prefixes:
        if t.startswith(prefix):
            t = t[len(prefix) :].lstrip(":")
    canonical = vocab().amount_labels.get(t) or (vocab().overall_amount_labels.get(t) if overall else None)
    return (canonical, unit) if canonical else None


def text_label(text: str) -> str | None:
    """The field ('project', 'org', 'unit', 'dept', 'grade') a printed label names, or None."""
    return vocab().text_labels.get(key(text).rstrip(":"))


def unit_of_label(text: str) -> str:
    m = _UNIT_IN_LABEL_RE.search(key(text))
    return m.group(1) if m else ""


def location(source: str, where: Cell | Line | Grid | None) -> Location:
    if where is None:
        return Location(source=source)
    conf = getattr(where, "ocr_confidence", None)
    return Location(source=source, page=where.page, line=where.line, bbox=where.bbox, ocr=conf is not None, ocr_confidence=conf)


# ---------------------------------------------------------------------------------------------
# aligning a row's cells to the printed columns
# ---------------------------------------------------------------------------------------------

_FORBIDDEN = 40  # content that cannot stand in a column
_DROP = 30  # leaving a cell out (it is then reported as unreadable)
_SHIFT = 3  # moving a cell one column from where the converter put it


def align(
    cells: Sequence[tuple[int, str]],
    columns: Sequence[tuple[int, str]],
    cost: Callable[[str, str], int],
    skip: Callable[[str, str], int] = lambda skipped, used: 0,
) -> list[str | None]:
    """Assign each non-empty cell (position, text) to a column (position, role), keeping their
    order, minimising ``_SHIFT`` × displacement + ``cost(text, role)`` + ``skip(skipped, used)``
    for each column passed over before a used one; a cell no column can take is None.

    This is what undoes the converter's shifts: '→→项目管理→合同管理完备性' puts 项目管理 under
    二级指标 because a level-2 name in the 三级指标 column costs more than a one-column shift."""
    n, m = len(cells), len(columns)
    inf = 10**9
    # best[i][j]: cost of placing the first i cells with column j-1 the last one used (j=0: none)
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0
    for i in range(1, n + 1):
        pos, text = cells[i - 1]
        for j in range(m + 1):
            # cell i dropped: the last used column stays j
            c, prev = best[i - 1][j] + _DROP, (i - 1, j)
            if j > 0:
                col, role = columns[j - 1]
                here = _SHIFT * abs(pos - col) + cost(text, role)
                passed = 0
                for k in range(j - 1, -1, -1):  # previous used column k-1 (k=0: none), skipping k..j-2
                    if best[i - 1][k] + here + passed < c:
                        c, prev = best[i - 1][k] + here + passed, (i - 1, -k - 1)
                    if k > 0:
                        passed += skip(columns[k - 1][1], role)
            best[i][j] = c
            back[i][j] = prev
    j = min(range(m + 1), key=lambda jj: best[n][jj])
    roles: list[str | None] = [None] * n
    i = n
    while i > 0:
        pi, pk = back[i][j]
        if pk < 0:  # cell i took column j-1; the previous used column is -pk-1
            roles[i - 1] = columns[j - 1][1]
            j = -pk - 1
        i = pi
    return roles


def indicator_skip(skipped: str, used: str) -> int:
    """Passing over 三级指标 / 指标值 to fill a later value column: a value without a name, or an
    actual without a target, is unlikely (a remark without them is not: level-only rows have one)."""
    if skipped == "name" and used in ("target", "actual", "weight", "score"):
        return 5
    if skipped == "target" and used == "actual":
        return 3
    return 0


@lru_cache(maxsize=16384)
def indicator_cost(text: str, role: str) -> int:
    """How badly a cell's content fits an indicator column (0 = fits; compare ``_SHIFT``).

    Only clear misfits cost more than a shift: a level name in the 三级指标 column, a number in
    the 二级指标 column, a long sentence as a 二级指标, a name ending in 率/性 as an 指标值."""
    numeric = is_numeric_value(text)
    lv1, lv2 = is_level1(text), is_level2(text)
    namey = looks_like_name(text)
    if role == "label":
        return _FORBIDDEN
    if role == "level1":
        return 0 if lv1 else _FORBIDDEN
    if role == "level2":
        if lv2:
            return 0
        if numeric:
            return 20
        if lv1 or namey:
            return 8
        return 5 if len(key(text)) <= 10 else 12
    if role == "name":
        if lv1 and not lv2:
            return 10
        if lv2:
            return 2 if namey else 8
        if numeric:
            return 8
        return 2 if looks_qualitative(text) else 0
    if role in ("target", "actual"):
        if numeric or looks_qualitative(text):
            return 0
        if lv1 or lv2:
            return 8
        return 4 if namey and len(key(text)) <= 12 else 1
    if role in ("weight", "score"):
        return 0 if plain_number(text) is not None or key(text) in _DASHES else _FORBIDDEN
    # note / description: a short value here more likely belongs to 指标值
    if lv1 or lv2:
        return 8
    if numeric and len(key(text)) <= 10:
        return 3
    return 4 if looks_qualitative(text) else 0


def matrix_cost(text: str, role: str) -> int:
    """Fit of a cell to a column of the 项目资金 block (年初预算数 … 执行率 / 得分)."""
    k = key(text)
    if k in _DASHES:
        return 0
    if role == "执行率":
        return 0 if parse_percent(k) else _FORBIDDEN
    if role == "备注":
        return 0
    return 0 if money(text, "万元") is not None else _FORBIDDEN


# ---------------------------------------------------------------------------------------------
# the form being read
# ---------------------------------------------------------------------------------------------


@dataclass
class _Draft:
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
class _Form:
    kind: FormKind
    title: str
    source: str
    unit: str
    where: Cell | Line | Grid | None = None
    texts: dict[str, list[tuple[str, Cell | Line]]] = field(default_factory=dict)
    amounts: dict[str, Amount] = field(default_factory=dict)
    amount_conflicts: set[str] = field(default_factory=set)
    budget: dict[str, str] = field(default_factory=dict)  # matrix column -> printed, for the total row
    indicators: list[_Draft] = field(default_factory=list)
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
            self.unreadable.append(f"{name}: '{text}' is not an amount")
            return
        old = self.amounts.get(name)
        if old is not None and old.value != amount.value:
            self.amount_conflicts.add(name)
            self.unreadable.append(f"{name}: printed twice with different values ({old.printed} / {amount.printed})")
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
            self.unreadable.append(f"{label}: printed with different values ({' / '.join(distinct)})")
            return ""
        return distinct[0] if distinct else ""

    # --- grid rows -----------------------------------------------------------------------------

    def read_row(self, row: list[Cell]) -> None:
        cells: Row = [(i, clean(c.text), c) for i, c in enumerate(row)]
        cells = [(i, t, c) for i, t, c in cells if t and not _RULE_RE.match(t)]
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
            self._indicator_row(cells)
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
                if nxt is not None and not _is_label(nxt[1], self.overall):
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
                if nxt is not None and not _is_label(nxt[1], self.overall):
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
        if _opens_block(cells[0][1]):
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
                self.unreadable.append(f"年度主要任务 row at line {c.line}: '{t}' fits no column")
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
                self.unreadable.append(f"{row_key}: '{t}' fits no column of the 项目资金 block")
                continue
            if role in ("年初预算数", "全年预算数", "全年执行数") and key(t) not in _DASHES:
                self.set_amount(f"{row_key}·{role}", t, unit, c)
            if total:
                self.budget[role] = t

    def _indicator_row(self, cells: Row) -> None:
        roles = align([(i, t) for i, t, _ in cells], self.columns, indicator_cost, indicator_skip)
        got: dict[str, tuple[str, Cell]] = {}
        for (_, t, c), role in zip(cells, roles, strict=True):
            if role is None:
                self.unreadable.append(f"indicator row at line {c.line}: '{t}' fits no column")
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
                self.unreadable.append(f"indicator row at line {c.line}: value '{t}' printed without an indicator name")
            return  # a row that only opens a level (or an empty template slot)
        where = cells[0][2]
        if len(got) == 1 and len(key(got["name"][0])) <= 1:
            self.unreadable.append(f"indicator row at line {where.line}: lone fragment '{got['name'][0]}'")
            return
        draft = _Draft(self.level1, self.level2, got.get("name", ("", where))[0], where=where)
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
                self.unreadable.append(f"总分 row: '{t}' fits no column")

    def _summary_row(self, cells: Row) -> None:
        cols = dict(self.summary)
        row: dict[str, str] = {}
        for i, t, _ in cells:
            if i in cols:
                row[cols[i]] = t
            else:
                self.unreadable.append(f"summary row: '{t}' is outside the printed columns")
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
        self._inline_label(t, line)

    def _inline_label(self, t: str, where: Line) -> bool:
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
        self.unreadable.append(
            "项目资金: 分值/得分 read before 项目资金 do not add up with the indicators' weights to the 总分's 分值; not used"
        )

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
        form.unreadable = list(dict.fromkeys(self.unreadable))
        return form


def _glued_weights_agree(form: _Form) -> bool:
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


def _is_label(text: str, overall: bool = False) -> bool:
    return text_label(text) is not None or amount_label(text, overall) is not None


def _opens_block(text: str) -> bool:
    """Text that starts another block of a 整体绩效目标表 (so it ends the 年度履职目标 / 年度主要任务)."""
    v = vocab()
    k = key(text).rstrip(":")
    return (
        k in v.goal_labels
        or k in v.task_labels
        or k in v.block_labels
        or k in v.indicator_columns
        or _is_label(text, overall=True)
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


# ---------------------------------------------------------------------------------------------
# flattened and scrambled text (no grids)
# ---------------------------------------------------------------------------------------------


@dataclass
class _Para:
    text: str  # lines joined with single spaces
    where: Line
    lines: list[str] = field(default_factory=list)  # the printed lines, whitespace-normalised


def paragraphs(lines: Sequence[Line]) -> list[_Para]:
    """Consecutive source lines form one paragraph: in a flattened table that is one cell
    ('投入' / '管理' / '指标' → '投入 管理 指标')."""
    out: list[_Para] = []
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
            out.append(_Para(text, ln, [text]))
        prev = ln
    return out


_TWO_NUMBERS_RE = re.compile(r"^(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)$")
_TOTAL_AFTER_RE = re.compile(r"^总分\s*(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)$")
_SCORE_TOTAL_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*分\s*总分$")
_TOTAL_BEFORE_RE = re.compile(r"^(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s*总分$")
_BUDGET_LABELS = ("年初预算数", "全年预算数", "全年执行数")


def _read_paragraphs(form: _Form, paras: list[_Para]) -> None:
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
        label = (k, "") if k in _BUDGET_LABELS else None
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
        if pending and not _is_label(p.text, form.overall) and parse_amount(k) is None and not parse_percent(k):
            form.set_text(pending.pop(0)[0], p.text, p.where)
    if header_at is not None:
        _flat_indicators(form, paras, header_at)


def _flat_goals_or_tasks(form: _Form, paras: list[_Para], idx: int, end: int) -> int:
    """年度履职目标 / 年度主要任务 flattened to one paragraph per cell (seed 000): the paragraphs up to
    the next block. A goal paragraph gives one item per printed line ('目标一：…' / '目标二：…'); task
    paragraphs after the 任务名称 / 主要内容 header are name, content, name, content … Returns the
    index of the last paragraph read."""
    v = vocab()
    j = idx + 1
    while j < end and not _opens_block(paras[j].text):
        j += 1
    items = paras[idx + 1 : j]
    if key(paras[idx].text) in v.goal_labels:
        form.goals.extend(c for p in items for ln in p.lines if (c := clean(ln)))
        return j - 1
    cells = [p for p in items if key(p.text) not in v.task_columns]
    for n in range(0, len(cells) - 1, 2):
        form.tasks.append({"任务名称": clean(cells[n].text), "主要内容": clean(cells[n + 1].text)})
    if len(cells) % 2:
        form.unreadable.append(f"年度主要任务: '{clean(cells[-1].text)}' has no 主要内容 (names and contents are read in pairs)")
    return j - 1


def _tie_number(form: _Form, name: str, unit: str, value: _Para) -> None:
    if name in _BUDGET_LABELS:
        form.budget[name] = value.text
    else:
        form.set_amount(name, value.text, unit or form.unit_from_label or "", value.where)


def _figures(m: re.Match[str]) -> tuple[Decimal, Decimal] | None:
    """分值 and 得分 of a two-number match, or None when either is beyond a computable figure."""
    weight, score = to_decimal(m.group(1)), to_decimal(m.group(2))
    return (weight, score) if weight is not None and score is not None else None


def _flat_total(form: _Form, paras: list[_Para], idx: int) -> bool:
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


def _flat_execution(form: _Form, p: _Para) -> bool:
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


def _flat_header(paras: list[_Para]) -> tuple[int, list[str]] | None:
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


def _flat_indicators(form: _Form, paras: list[_Para], header: tuple[int, list[str]]) -> None:
    """Indicator rows of a flattened table: each row starts at a 一级指标 paragraph; its cells are
    aligned to the header by order."""
    start, roles = header
    form.columns = list(enumerate(roles))
    form.section = "indicators"
    rows: list[list[_Para]] = []
    for p in paras[start + len(roles) :]:
        if key(p.text) in vocab().total_labels or vocab().stop_re.match(key(p.text)):
            break
        if is_level1(p.text) or not rows:
            rows.append([])
        rows[-1].append(p)
    for row in rows:
        cells: Row = [(i, clean(p.text), Cell(p.text, p.where.page, p.where.line, p.where.bbox)) for i, p in enumerate(row)]
        form._indicator_row(cells)


# ---------------------------------------------------------------------------------------------
# the wide table: one row per project (seed 002's 部门预算项目绩效目标表)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Wide:
    header_rows: tuple[int, ...]  # indices of header rows in the first grid
    code: int
    name: int
    money: tuple[tuple[int, str], ...]  # (column, printed label)
    pairs: tuple[tuple[int, int, str], ...]  # (name column, value column, 一级指标)
    width: int


def _wide_layout(grid: Grid) -> _Wide | None:
    """The layout of a wide project table, read from its header rows (None if it is not one)."""
    cols = vocab().wide_columns
    rows = [[key(clean(c.text)) for c in r] for r in grid.rows[:6]]
    for ri, r in enumerate(rows):
        names = [i for i, k in enumerate(r) if cols.get(k) == "pair_name"]
        values = [i for i, k in enumerate(r) if cols.get(k) == "pair_value"]
        if len(names) < 2 or len(values) < 2:
            continue
        top = next((i for i, rr in enumerate(rows[:ri]) if any(cols.get(k) == "code" for k in rr)), None)
        if top is None:
            return None
        code = next(i for i, k in enumerate(rows[top]) if cols.get(k) == "code")
        name = next((i for i, k in enumerate(rows[top]) if cols.get(k) == "name"), code + 1)
        pairs: list[tuple[int, int, str]] = []
        for n in names:
            v = n + 1 if n + 1 in values else None
            if v is None:
                return None
            level1 = ""
            for rr in rows[top:ri]:
                if n < len(rr) and is_level1(rr[n]):
                    level1 = rr[n]
            pairs.append((n, v, level1))
        first_pair = min(n for n, _, _ in pairs)
        money_cols = tuple((i, clean(grid.rows[ri][i].text)) for i in range(name + 1, first_pair) if rows[ri][i])
        width = max(len(r) for r in grid.rows[: ri + 1])
        return _Wide(tuple(range(top, ri + 1)), code, name, money_cols, tuple(pairs), width)
    return None


def _find_wide(blocks: Sequence[Block]) -> tuple[int, _Wide] | None:
    for bi, b in enumerate(blocks):
        if isinstance(b, Grid):
            layout = _wide_layout(b)
            if layout is not None:
                return bi, layout
    return None


_FIXED = 4  # code, name and the first two money columns keep their place in a shifted piece


def _realign(rows: list[list[Cell]], layout: _Wide) -> tuple[list[list[Cell]], int]:
    """Put the rows of one page piece back into the header's columns.

    Page pieces of the wide table lose a column (13 cells for 14 printed) or gain a trailing
    empty one; the shift is found from content: numeric 指标值 must land in value columns."""
    value_cols = {v for _, v, _ in layout.pairs}
    name_cols = {n for n, _, _ in layout.pairs}
    best: tuple[int, int] | None = None
    for d in (0, 1, 2):
        bad = 0
        for r in rows:
            for i, c in enumerate(r):
                t = clean(c.text)
                if not t or i < _FIXED:
                    continue
                j = i + d
                if j >= layout.width:
                    bad += 10
                elif j in name_cols and is_numeric_value(t):
                    bad += 3
                elif j not in value_cols and j not in name_cols and money(t, "万元") is None:
                    bad += 2
        if best is None or bad < best[0]:
            best = (bad, d)
    assert best is not None
    d = best[1]
    out: list[list[Cell]] = []
    for r in rows:
        anchor = r[0] if r else Cell("", None, 0)
        new = [Cell("", anchor.page, anchor.line) for _ in range(layout.width)]
        for i, c in enumerate(r):
            j = i if i < _FIXED else i + d
            if j < layout.width:
                new[j] = c
        out.append(new)
    return out, d


_PROJECT_CODE_RE = re.compile(r"^\d{12,}$")
_UNIT_CODE_RE = re.compile(r"^\d{3,9}$")


def _wide_rows(blocks: Sequence[Block], at: int, layout: _Wide) -> tuple[list[list[Cell]], list[list[Cell]], list[str]]:
    """(header rows, data rows realigned to the header, notes) of a wide table and its pieces."""
    first = cast(Grid, blocks[at])
    header = [first.rows[i] for i in layout.header_rows]
    pieces = [first.rows[layout.header_rows[-1] + 1 :]] + [b.rows for b in blocks[at + 1 :] if isinstance(b, Grid)]
    data: list[list[Cell]] = []
    notes: list[str] = []
    for piece in pieces:
        rows, d = _realign(piece, layout)
        if d:
            for r in rows:
                for c, _ in layout.money[2:]:
                    if c < len(r) and clean(r[c].text):
                        notes.append(f"line {r[c].line}: '{r[c].text}' in a page piece that lost a column; its money column is ambiguous")
                        r[c] = Cell("", r[c].page, r[c].line)
        data.extend(rows)
    return header, data, notes


def _split_wide(data: list[list[Cell]], layout: _Wide) -> list[list[list[Cell]]]:
    """Data rows grouped per project: [unit row?, project row, continuation rows …]."""
    groups: list[list[list[Cell]]] = []
    unit_row: list[Cell] | None = None
    for r in data:
        code = key(clean(r[layout.code].text))
        if _UNIT_CODE_RE.match(code):
            unit_row = r
            continue
        if _PROJECT_CODE_RE.match(code):
            groups.append(([unit_row] if unit_row is not None else []) + [r])
            continue
        if groups:
            groups[-1].append(r)
    return groups


def _read_wide_project(form: _Form, rows: list[list[Cell]], layout: _Wide, unit: str) -> None:
    """One project of the wide table: its row, then continuation rows (more indicators, or the
    wrapped remainder of cells cut by a line or page break)."""
    prev: dict[int, _Draft] = {}
    started = False
    for r in rows:
        code = key(clean(r[layout.code].text))
        name = clean(r[layout.name].text)
        if _UNIT_CODE_RE.match(code):
            if name:
                form.set_text("unit", name, r[layout.name])
            continue
        wrapped_row = False
        if _PROJECT_CODE_RE.match(code):
            started = True
            form.where = r[layout.code]
            form.set_text("project", name, r[layout.name])
            for col, label in layout.money:
                t = clean(r[col].text)
                if t:
                    canonical = amount_label(label)
                    form.set_amount(canonical[0] if canonical else key(label), t, unit, r[col])
        elif not started:
            continue
        elif name:
            # the project name wrapped onto this row: every cell of the row continues the one above
            wrapped_row = True
            texts = form.texts.get("project", [])
            if texts:
                texts[-1] = (texts[-1][0] + name, texts[-1][1])
        current: dict[int, _Draft] = {}
        for n, v, level1 in layout.pairs:
            nt, vt = clean(r[n].text), clean(r[v].text)
            if not nt and not vt:
                continue
            above = prev.get(n)
            if above is not None and (wrapped_row or (nt and not vt)):
                above.name += nt
                above.target_text += vt
                current[n] = above
                continue
            draft = _Draft(level1, "", nt, target_text=vt, where=r[n] if nt else r[v])
            form.indicators.append(draft)
            current[n] = draft
        prev = current


def _read_wide(kind: FormKind, title: str, blocks: Sequence[Block], source: str, unit: str) -> list[PerformanceForm]:
    found = _find_wide(blocks)
    if found is None:
        return []
    at, layout = found
    header, data, notes = _wide_rows(blocks, at, layout)
    # '项目金额（万元）' in the header gives the unit of every amount below it
    unit = next((u for r in header for c in r if (u := unit_of_label(clean(c.text)))), unit)
    forms: list[PerformanceForm] = []
    for group in _split_wide(data, layout):
        form = _Form(kind, title, source, unit)
        for b in blocks[:at]:
            if isinstance(b, Line):
                form._inline_label(clean(b.text), b)
        _read_wide_project(form, group, layout, unit)
        lines = {c.line for r in group for c in r}
        form.unreadable.extend(n for n in notes if any(f"line {ln}:" in n for ln in lines))
        forms.append(form.build())
    return forms


# ---------------------------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------------------------


def read_form(kind: str, title: str, blocks: list[Line | Grid], source: str, unit: str = "万元") -> PerformanceForm:
    """Read one printed form (one project, one department, or one 汇总表).

    ``blocks`` are the reader's blocks between the form's title and the next title. For a
    title followed by several projects use ``read_forms`` (or ``split_forms`` first)."""
    k = cast(FormKind, kind)
    wide = _read_wide(k, title, blocks, source, unit)
    if wide:
        if len(wide) > 1:
            wide[0].unreadable.append(f"{len(wide) - 1} more projects follow in this table; read them with read_forms")
        return wide[0]
    form = _Form(k, title, source, unit)
    if not any(isinstance(b, Grid) for b in blocks):
        paras = paragraphs([b for b in blocks if isinstance(b, Line)])
        _read_paragraphs(form, paras)
        _note_unread(form, paras)
        return form.build()
    for b in blocks:
        if isinstance(b, Grid):
            for row in b.rows:
                form.read_row(row)
        else:
            form.read_line(b)
    return form.build()


def _note_unread(form: _Form, paras: list[_Para]) -> None:
    """For a form read from text: say which printed labels could not be tied to a value."""
    printed = " ".join(key(p.text) for p in paras)
    if form.kind in ("project_self_eval", "overall_self_eval"):
        untied = [x for x in (*_BUDGET_LABELS, "分值", "执行率", "得分") if x in printed and x not in form.budget]
        if untied:
            form.unreadable.append(f"项目资金: {'/'.join(untied)} printed but not tied to a value (scrambled text)")
        if "总分" in printed and form.total_score is None:
            form.unreadable.append("总分: printed but not tied to a value (scrambled text)")
    if not form.columns and any(w in printed for w in ("三级指标", "一级指标", "指标值")):
        form.unreadable.append("绩效指标: the indicator table survives only as scrambled text; no indicator was read")


def split_forms(kind: str, blocks: list[Line | Grid]) -> list[list[Line | Grid]]:
    """Cut the blocks under one title into one block list per printed form.

    A wide project table (one row per project code) gives one list per project, each holding
    the header rows and that project's rows already put back into the header's columns. Other
    forms are cut where a new 项目名称 row or paragraph starts a second form."""
    found = _find_wide(blocks)
    if found is not None:
        at, layout = found
        header, data, _ = _wide_rows(blocks, at, layout)
        head = [b for b in blocks[:at] if isinstance(b, Line)]
        first = cast(Grid, blocks[at])
        return [
            [*head, Grid(rows=[*header, *group], page=first.page, line=first.line, bbox=first.bbox)] for group in _split_wide(data, layout)
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
    wide = _read_wide(cast(FormKind, kind), title, blocks, source, unit)
    if wide:
        return wide
    return [read_form(kind, title, part, source, unit) for part in split_forms(kind, blocks)]
