"""BudgetData → the standard tables of the canonical model (预算 B1–B9 + PROJ, 决算 F1–F9).

Only 项 lines, 款 of the economic classification and (预算) the projects come from the workbook;
every 类/款 row, 合计, side total and 总计 is a sum computed here, so the tables are consistent by
construction (the 其他运转类 / 特定目标类 columns are the projects of each 项, which the workbook
check has matched against the 项's 项目支出).
Column keys are the canonical keys of specs/tables.json, found from the printed header path
exactly as the reader finds them, so a table built here equals the table read back from print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cnbudget.model import Amount, Column, Location, Row, Table, Unit, Value
from cnbudget.numbers import chinese_int
from cnbudget.publish.inputs import PROJECT_AMOUNTS, BudgetData, FuncLine
from cnbudget.publish.money import ZERO, amount_text, q2
from cnbudget.publish.spec import PrintSpec, tables_spec
from cnbudget.specs import normalise, specs

_CN_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三 (the row numbers of the 收支总表 class rows)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return f"{head}十{_CN_DIGITS[ones] if ones else ''}"


assert chinese_int(chinese_ordinal(23)) == 23


@dataclass(frozen=True)
class Leaf:
    """A printed column: its header path, canonical key, role and side."""

    index: int
    path: str
    key: str
    role: str  # code / label / value
    side: str


def header_grid(ps: PrintSpec) -> list[list[tuple[str, int, int] | None]]:
    """The header cells placed on a grid: an anchor holds (text, colspan, rowspan), covered positions None."""
    width = sum(c[1] for c in ps.header[0])
    grid: list[list[tuple[str, int, int] | None]] = [[None] * width for _ in ps.header]
    taken = [[False] * width for _ in ps.header]
    for r, row in enumerate(ps.header):
        c = 0
        for text, colspan, rowspan in row:
            while c < width and taken[r][c]:
                c += 1
            grid[r][c] = (text, colspan, rowspan)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[r + dr][c + dc] = True
            c += colspan
    return grid


def leaves(ps: PrintSpec) -> list[Leaf]:
    """The leaf columns of a printed table with the path the reader will see for each."""
    grid = header_grid(ps)
    width = len(grid[0])
    owner: list[list[str]] = [[""] * width for _ in grid]
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            text, colspan, rowspan = cell
            for dr in range(rowspan):
                for dc in range(colspan):
                    owner[r + dr][c + dc] = text
    table_spec = specs().by_id(ps.id)
    roles = specs().roles
    out: list[Leaf] = []
    for c in range(width):
        parts: list[str] = []
        for r in range(len(grid)):
            t = owner[r][c]
            if t and (not parts or parts[-1] != t):
                parts.append(t)
        path = "-".join(parts)
        last = normalise(parts[-1])
        role = "value"
        if last in roles["code"] or normalise(path) in roles["code"]:
            role = "code"
        elif last in roles["label"] or normalise(path) in roles["label"]:
            role = "label"
        key = table_spec.column_key(normalise(path)) if role == "value" else None
        side = parts[0] if ps.layout in ("sides", "econ") else ""
        out.append(Leaf(index=c, path=path, key=key or path, role=role, side=side))
    return out


# ---------------------------------------------------------------------------------------------
# Quantities
# ---------------------------------------------------------------------------------------------


class Figures:
    """Named totals of a BudgetData: line quantities, balances, 三公 and side totals."""

    def __init__(self, data: BudgetData) -> None:
        self.data = data
        self.b = data.balances

    def line(self, quantity: str, lines: list[FuncLine] | None = None) -> Decimal:
        return self.data.total(quantity, lines)

    def bal(self, key: str) -> Decimal:
        return self.b.get(key, ZERO)

    def begin(self) -> Decimal:
        return self.bal("gen.begin") + self.line("bal.fund.begin") + self.line("bal.soe.begin") + self.bal("other.begin")

    def end(self) -> Decimal:
        return self.bal("gen.end") + self.line("bal.fund.end") + self.line("bal.soe.end") + self.bal("other.end")

    def fiscal_begin(self) -> Decimal:
        return self.bal("gen.begin") + self.line("bal.fund.begin") + self.line("bal.soe.begin")

    def fiscal_end(self) -> Decimal:
        return self.bal("gen.end") + self.line("bal.fund.end") + self.line("bal.soe.end")

    def carry(self) -> Decimal:
        return self.bal("carry.gen") + self.bal("carry.fund") + self.bal("carry.soe")

    def sangong(self, column: str, item: str) -> Decimal:
        def get(row: str) -> Decimal:
            v = self.data.sangong.get(row, {}).get(column)
            return v if isinstance(v, Decimal) else ZERO

        if item == "total":
            return sum((get(r) for r in ("abroad", "car_purchase", "car_running", "reception")), ZERO)
        if item == "car":
            return get("car_purchase") + get("car_running")
        return get(item)

    def scalar(self, quantity: str, lines: list[FuncLine] | None = None) -> Decimal:
        """A named figure; line quantities are restricted to ``lines`` when given."""
        named = {
            "bal.use_other_surplus": lambda: self.bal("use_other_surplus"),
            "bal.distribution": lambda: self.bal("distribution"),
            "bal.begin": self.begin,
            "bal.end": self.end,
            "bal.fiscal.begin": self.fiscal_begin,
            "bal.gen.begin": lambda: self.bal("gen.begin"),
            "bal.carry": self.carry,
            "bal.carry.gen": lambda: self.bal("carry.gen"),
            "bal.carry.fund": lambda: self.bal("carry.fund"),
            "bal.carry.soe": lambda: self.bal("carry.soe"),
            "bal.year_end": lambda: self.bal("year_end"),
            "total.income": lambda: self.line("inc.total") + self.bal("use_other_surplus") + self.begin(),
            "total.expense": self.total_expense,
            "total.fiscal.income": self.fiscal_income_total,
        }
        if lines is None and quantity in named:
            return named[quantity]()
        if quantity.startswith(("budget.", "actual.", "prior.")) and lines is None:
            column, item = quantity.split(".", 1)
            return self.sangong(column, item)
        return self.line(quantity, lines)

    # --- whether a figure was entered: a blank cell prints blank, an entered 0 prints 0.00 -------

    def given_line(self, quantity: str, lines: list[FuncLine] | None = None) -> bool:
        keys = tables_spec().quantities.get(quantity, (quantity,))
        return any(k in ln.values for ln in (self.data.lines if lines is None else lines) for k in keys)

    def given(self, quantity: str, lines: list[FuncLine] | None = None) -> bool:
        """True when any cell the figure sums was entered (the mirror of ``scalar``)."""
        final = self.data.kind == "决算"
        bal = self.b.__contains__
        line = self.given_line

        def begin() -> bool:
            return bal("gen.begin") or line("bal.fund.begin") or line("bal.soe.begin") or bal("other.begin")

        def end() -> bool:
            return bal("gen.end") or line("bal.fund.end") or line("bal.soe.end") or bal("other.end")

        def carry() -> bool:
            return bal("carry.gen") or bal("carry.fund") or bal("carry.soe")

        named = {
            "bal.use_other_surplus": lambda: bal("use_other_surplus"),
            "bal.distribution": lambda: bal("distribution"),
            "bal.begin": begin,
            "bal.end": end,
            "bal.fiscal.begin": lambda: bal("gen.begin") or line("bal.fund.begin") or line("bal.soe.begin"),
            "bal.gen.begin": lambda: bal("gen.begin"),
            "bal.carry": carry,
            "bal.carry.gen": lambda: bal("carry.gen"),
            "bal.carry.fund": lambda: bal("carry.fund"),
            "bal.carry.soe": lambda: bal("carry.soe"),
            "bal.year_end": lambda: bal("year_end"),
            "total.income": lambda: line("inc.total") or bal("use_other_surplus") or begin(),
            "total.expense": lambda: line("exp.total") or (bal("distribution") or end() if final else bal("year_end")),
            "total.fiscal.income": lambda: line("inc.fiscal") or (
                (bal("gen.begin") or line("bal.fund.begin") or line("bal.soe.begin")) if final else carry()
            ),
        }
        if lines is None and quantity in named:
            return named[quantity]()
        if quantity.startswith(("budget.", "actual.", "prior.")) and lines is None:
            column, item = quantity.split(".", 1)
            rows = {"total": ("abroad", "car_purchase", "car_running", "reception"), "car": ("car_purchase", "car_running")}
            return any(isinstance(self.data.sangong.get(r, {}).get(column), Decimal) for r in rows.get(item, (item,)))
        return line(quantity, lines)

    def given_end_by_fund(self) -> list[bool]:
        if self.data.kind == "决算":
            b = self.b.__contains__
            fund, soe = self.given_line("bal.fund.end"), self.given_line("bal.soe.end")
            return [b("gen.end") or fund or soe or b("other.end"), b("gen.end"), fund, soe]
        return [False, False, False, False]

    def total_expense(self) -> Decimal:
        if self.data.kind == "决算":
            return self.line("exp.total") + self.bal("distribution") + self.end()
        return self.line("exp.total") + self.bal("year_end")

    def fiscal_income_total(self) -> Decimal:
        if self.data.kind == "决算":
            return self.line("inc.fiscal") + self.fiscal_begin()
        return self.line("inc.fiscal") + self.carry()

    def fiscal_end_by_fund(self) -> list[Decimal]:
        if self.data.kind == "决算":
            return [self.fiscal_end(), self.bal("gen.end"), self.line("bal.fund.end"), self.line("bal.soe.end")]
        return [ZERO, ZERO, ZERO, ZERO]


# ---------------------------------------------------------------------------------------------
# Building tables
# ---------------------------------------------------------------------------------------------


class _Builder:
    def __init__(self, data: BudgetData) -> None:
        self.data = data
        self.fig = Figures(data)
        self.unit: Unit = "元" if data.unit == "元" else "万元"
        self.where = Location(source=f"{data.source}#功能分类")
        self.econ_where = Location(source=f"{data.source}#基本支出经济分类")
        self.sangong_where = Location(source=f"{data.source}#三公经费")

    def value(self, leaf: Leaf, amount: Decimal, where: Location) -> Value:
        rounded = q2(amount)
        text = amount_text(rounded)
        return Value(
            column=leaf.key,
            path=leaf.path,
            text=text,
            amount=Amount(printed=text, value=rounded, unit=self.unit, places=2),
            unit=self.unit,
            location=where,
        )

    def table(self, ps: PrintSpec, cols: list[Leaf], rows: list[Row], empty: bool) -> Table:
        return Table(
            spec_id=ps.id,
            name=specs().by_id(ps.id).name,
            title=ps.title,
            unit=self.unit,
            columns=[Column(key=c.key, path=c.path, side=c.side, role=c.role) for c in cols],  # type: ignore[arg-type]
            rows=rows,
            empty=empty,
            note=ps.empty_note if empty else "",
            location=Location(source=self.data.source),
        )

    # --- classes ------------------------------------------------------------------------------

    def classes(self) -> list[tuple[str, str]]:
        """(code, printed label) of the class rows of a 收支总表, numbered as the kind's template does."""
        out: list[tuple[str, str]] = []
        scheme = tables_spec().class_ordinal[self.data.kind]
        for code in tables_spec().class_rows:
            name = self.data.names.get(code)
            if not name:
                continue
            n = len(out) + 1 if scheme == "consecutive" else int(code) - 200
            out.append((code, f"{chinese_ordinal(n)}、{name}"))
        return out

    def class_lines(self, code: str) -> list[FuncLine]:
        return [ln for ln in self.data.lines if ln.code.startswith(code)]

    # --- layouts ------------------------------------------------------------------------------

    def sides(self, ps: PrintSpec) -> Table:
        cols = leaves(ps)
        streams: list[tuple[list[Row], list[Row]]] = []  # (item rows, summary rows) of each side
        for side in ps.sides:
            value_cols = [c for c in cols if c.side == side.name and c.role == "value"]
            items: list[Row] = []
            summary: list[Row] = []
            target = items
            for label, quantity in side.rows:
                if label == "@pad":
                    target = summary
                    continue
                if label == "@classes":
                    for code, printed in self.classes():
                        lines = self.class_lines(code)
                        quantities = side.values or (quantity,)
                        amounts = [self.fig.scalar(q, lines) for q in quantities]
                        given = [self.fig.given(q, lines) for q in quantities]
                        items.append(self.side_row(side.name, printed, value_cols, amounts, given))
                    target = summary
                    continue
                if side.values:
                    amounts, given = self.multi(side.values, quantity), self.multi_given(side.values, quantity)
                else:
                    amounts, given = [self.fig.scalar(quantity)], [self.fig.given(quantity)]
                target.append(self.side_row(side.name, label, value_cols, amounts, given))
            streams.append((items, summary))
        return self.table(ps, cols, _printed_order(streams), empty=False)

    def multi(self, quantities: tuple[str, ...], marker: str) -> list[Decimal]:
        totals = [self.fig.scalar(q) for q in quantities]
        if marker == "@end":
            return self.fig.fiscal_end_by_fund()
        if marker == "@total":
            return [t + e for t, e in zip(totals, self.fig.fiscal_end_by_fund(), strict=True)]
        return totals

    def multi_given(self, quantities: tuple[str, ...], marker: str) -> list[bool]:
        given = [self.fig.given(q) for q in quantities]
        if marker == "@end":
            return self.fig.given_end_by_fund()
        if marker == "@total":
            return [g or e for g, e in zip(given, self.fig.given_end_by_fund(), strict=True)]
        return given

    def side_row(self, side: str, label: str, cols: list[Leaf], amounts: list[Decimal], given: list[bool]) -> Row:
        """A row of a side-by-side table; a figure no entered cell makes is left blank (absent)."""
        return Row(
            label=label,
            side=side,
            values=[self.value(c, a, self.where) for c, a, g in zip(cols, amounts, given, strict=True) if g],
            location=self.where,
        )

    def tree(self, ps: PrintSpec) -> Table:
        cols = leaves(ps)
        value_cols = [c for c in cols if c.role == "value"]
        lines = [ln for ln in self.data.lines if any(self.fig.scalar(q, [ln]) != 0 for q in ps.values)]
        if not lines:
            return self.table(ps, cols, [], empty=True)
        rows = [self.tree_row("", "合计", value_cols, ps.values, lines, self.where)]
        seen: set[str] = set()
        for ln in lines:
            for code in (ln.code[:3], ln.code[:5]):
                if code not in seen:
                    seen.add(code)
                    group = [x for x in lines if x.code.startswith(code)]
                    rows.append(self.tree_row(code, self.data.names.get(code, ""), value_cols, ps.values, group, self.where))
            here = Location(source=self.where.source, line=ln.row)
            rows.append(self.tree_row(ln.code, ln.name, value_cols, ps.values, [ln], here))
        return self.table(ps, cols, rows, empty=False)

    def tree_row(self, code: str, label: str, cols: list[Leaf], quantities: tuple[str, ...], lines: list[FuncLine], where: Location) -> Row:
        return Row(
            code=code,
            code_kind="function" if code else "",
            label=label,
            values=[
                self.value(c, self.fig.scalar(q, lines), where) for c, q in zip(cols, quantities, strict=True) if self.fig.given(q, lines)
            ],
            location=where,
        )

    def econ_amount(self, code: str, which: str) -> Decimal:
        return sum((getattr(e, which) for e in self.data.econ if e.code.startswith(code)), ZERO)

    def econ_given(self, code: str, which: str) -> bool:
        return any(which in e.given for e in self.data.econ if e.code.startswith(code))

    def econ(self, ps: PrintSpec) -> Table:
        cols = leaves(ps)
        value_cols = [c for c in cols if c.role == "value"]
        groups = [list(g.codes) for g in ps.groups]
        listed = {c for codes in groups for c in codes}
        for e in self.data.econ:  # a 款 the template does not list goes to the group of its 类
            if e.code not in listed:
                for codes in groups:
                    if e.code[:3] in codes:
                        codes.append(e.code)
                        listed.add(e.code)
                        break
        streams: list[list[Row]] = []
        for g, codes, col in zip(ps.groups, groups, value_cols, strict=True):
            rows = []
            for code in codes:
                amount = self.econ_amount(code, g.value)
                rows.append(
                    Row(
                        code=code,
                        code_kind="economic",
                        label=self.data.names.get(code, ""),
                        side=g.side,
                        values=[self.value(col, amount, self.econ_where)] if self.econ_given(code, g.value) else [],
                        location=self.econ_where,
                    )
                )
            streams.append(rows)
        interleaved: list[Row] = []
        for i in range(max(len(s) for s in streams)):
            for s in streams:
                if i < len(s):
                    interleaved.append(s[i])
        for label, which, group in ps.totals:
            col = value_cols[-1] if group > 0 else value_cols[0]
            interleaved.append(
                Row(
                    label=label,
                    side=ps.groups[group].side,
                    values=[self.value(col, self.econ_amount("3", which), self.econ_where)] if self.econ_given("3", which) else [],
                    location=self.econ_where,
                )
            )
        return self.table(ps, cols, interleaved, empty=False)

    def econ_list(self, ps: PrintSpec) -> Table:
        cols = leaves(ps)
        value_cols = [c for c in cols if c.role == "value"]
        used = [e for e in self.data.econ if e.personnel != 0 or e.public != 0]
        if not used:
            return self.table(ps, cols, [], empty=True)

        def row(code: str, label: str) -> Row:
            prefix = code or "3"
            p = self.econ_amount(prefix, "personnel")
            q = self.econ_amount(prefix, "public")
            amounts = [p + q, p, q]
            gp, gq = self.econ_given(prefix, "personnel"), self.econ_given(prefix, "public")
            given = [gp or gq, gp, gq]
            return Row(
                code=code,
                code_kind="economic" if code else "",
                label=label,
                values=[self.value(c, a, self.econ_where) for c, a, g in zip(value_cols, amounts, given, strict=True) if g],
                location=self.econ_where,
            )

        rows = [row("", "合计")]
        seen: set[str] = set()
        for e in used:
            if e.code[:3] not in seen:
                seen.add(e.code[:3])
                rows.append(row(e.code[:3], self.data.names.get(e.code[:3], "")))
            rows.append(row(e.code, e.name))
        return self.table(ps, cols, rows, empty=False)

    def projects(self, ps: PrintSpec) -> Table:
        """项目支出预算表: a 合计 row, then one row per project (rows of the same name, charged to
        several 项, are one project), each with its 类型 and 项目单位 as text values."""
        cols = leaves(ps)
        value_cols = [c for c in cols if c.role == "value" and c.key not in ("类型", "项目单位")]
        where = Location(source=f"{self.data.source}#项目绩效")
        groups = project_groups(self.data)
        if not groups:
            return self.table(ps, cols, [], empty=True)

        def amounts(projects: list[dict[str, Any]]) -> list[Decimal]:
            per_key = {k: sum((p[k] for p in projects if isinstance(p.get(k), Decimal)), ZERO) for k in PROJECT_AMOUNTS}
            return [sum(per_key.values(), ZERO) if q == "total" else per_key[q] for q in ps.values]

        everything = [p for g in groups for p in g]
        totals = [self.value(c, a, where) for c, a in zip(value_cols, amounts(everything), strict=True)]
        rows = [Row(label="合计", values=totals, location=where)]
        for g in groups:
            head = g[0]
            here = Location(source=where.source, line=head["_row"])
            texts = {"类型": str(head.get("category", "")), "项目单位": project_unit(self.data, head)}
            values = [Value(column=k, path=k, text=t, location=here) for k, t in texts.items() if t]
            values += [self.value(c, a, here) for c, a in zip(value_cols, amounts(g), strict=True)]
            rows.append(Row(label=squash_label(str(head["name"])), values=values, location=here))
        return self.table(ps, cols, rows, empty=False)

    def single(self, ps: PrintSpec) -> Table:
        cols = leaves(ps)
        amounts = [self.fig.scalar(q) for q in ps.values]
        given = [self.fig.given(q) for q in ps.values]
        values = [self.value(c, a, self.sangong_where) for c, a, g in zip(cols, amounts, given, strict=True) if g]
        row = Row(values=values, location=self.sangong_where)
        return self.table(ps, cols, [row], empty=False)


_SPACE = re.compile(r"\s+")


def squash_label(text: str) -> str:
    """A label as the model keeps it: whitespace removed."""
    return _SPACE.sub("", text)


def project_unit(data: BudgetData, project: dict[str, Any]) -> str:
    return squash_label(str(project.get("unit_name") or data.department))


def project_groups(data: BudgetData) -> list[list[dict[str, Any]]]:
    """预算 projects in workbook order, the rows of one project (same name) together."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for p in data.projects:
        groups.setdefault(squash_label(str(p["name"])), []).append(p)
    return list(groups.values())


def _printed_order(streams: list[tuple[list[Row], list[Row]]]) -> list[Row]:
    """Rows of side-by-side streams in the order they are printed, line by line: item rows
    first, then the summary rows from the top, each side's 总计 on the last line."""
    n_items = max(len(i) for i, _ in streams)
    n_summary = max(len(s) for _, s in streams)
    out: list[Row] = []
    for k in range(n_items):
        out.extend(items[k] for items, _ in streams if k < len(items))
    for k in range(n_summary):
        for _, summary in streams:
            if k == n_summary - 1 and summary:
                out.append(summary[-1])
            elif k < len(summary) - 1:
                out.append(summary[k])
    return out


def build_tables(data: BudgetData) -> list[Table]:
    """Every standard table of the data's kind, in the order of the kind's standard."""
    b = _Builder(data)
    out: list[Table] = []
    for ps in tables_spec().sets[data.kind]:
        if ps.layout == "sides":
            out.append(b.sides(ps))
        elif ps.layout == "tree":
            out.append(b.tree(ps))
        elif ps.layout == "econ":
            out.append(b.econ(ps))
        elif ps.layout == "econ_list":
            out.append(b.econ_list(ps))
        elif ps.layout == "projects":
            out.append(b.projects(ps))
        else:
            out.append(b.single(ps))
    return out


def print_spec(spec_id: str, kind: str) -> PrintSpec | None:
    for ps in tables_spec().sets.get(kind, ()):
        if ps.id == spec_id:
            return ps
    return None
