"""Read and check a filled workbook: BudgetData, or a list of issues that point at sheet and cell.

Nothing is built from a workbook with an error. An error is something the officer must fix: a
missing sheet, an unknown code, text in an amount cell, totals that cannot balance. A difference
within the rounding the one tolerance policy allows (``rules.tolerance.allowance``: 0.01 of the
unit per summed term beyond the first, none in 元 to the fen; the 尾数差异 that converting 元
figures to 万元 produces) is a warning: the build goes on and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cnbudget import i18n
from cnbudget.errors import InputError
from cnbudget.i18n import Message
from cnbudget.ingest.formulas import cells_text, formula_cells
from cnbudget.publish.learned_codes import learned_names
from cnbudget.publish.money import ZERO, NotComputable, amount_text, parse_decimal
from cnbudget.publish.spec import Field, SheetSpec, tables_spec, workbook_spec
from cnbudget.publish.workbook import FIELD_KEY_COLUMN, form_key_column
from cnbudget.publish.workbook_limits import check_archive, check_extent
from cnbudget.reasons import zip_reason
from cnbudget.rules.tolerance import ROUNDING, allowance
from cnbudget.safe_text import plain
from cnbudget.specs import economic_catalog, function_catalog

REQUIRED_SHEETS = ("meta", "function", "economic", "sangong")
AMOUNT_PLACES = 2  # amounts are entered and built to two decimals of the workbook's unit
# 预算 projects: the workbook columns of each fund (本年拨款 + 财政拨款结转结余; 其他 = 财政专户 + 单位资金),
# matching the 功能分类 columns exp.<fund>.project, and the project types of the 2021 templates.
PROJECT_FUNDS: dict[str, tuple[str, ...]] = {
    "gen": ("alloc.gen", "carry.gen"),
    "fund": ("alloc.fund", "carry.fund"),
    "soe": ("alloc.soe", "carry.soe"),
    "other": ("special", "unit_funds"),
}
PROJECT_AMOUNTS = tuple(k for keys in PROJECT_FUNDS.values() for k in keys)
PROJECT_TYPES = {"其他运转类": "running", "特定目标类": "specific"}
_CODE_SPACES = re.compile(r"[\s　]+")


@dataclass(frozen=True)
class Issue:
    severity: Literal["error", "warning", "note"]
    sheet: str
    cell: str  # 'C7', 'C6:C40', '' for the whole sheet
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        severity = i18n.t(f"errors.publish.more.{self.severity}")
        return i18n.t("errors.publish.more.issue", severity=severity, where=where, message=self.message)


class WorkbookInvalid(InputError):
    """The workbook has errors; ``issues`` lists every one (and the warnings)."""

    def __init__(self, issues: list[Issue]) -> None:
        errors = [i for i in issues if i.severity == "error"]
        super().__init__(i18n.Message("errors.publish.more.workbook_invalid", count=len(errors)))
        self.issues = issues


@dataclass
class FuncLine:
    """One 项 line of the 功能分类 sheet."""

    code: str
    name: str
    values: dict[str, Decimal]
    reason: str
    row: int

    def get(self, key: str) -> Decimal:
        return self.values.get(key, ZERO)


@dataclass
class EconLine:
    code: str
    name: str
    personnel: Decimal
    public: Decimal
    row: int
    given: set[str] = field(default_factory=set)  # the columns entered (personnel / public): a blank prints blank


@dataclass
class BudgetData:
    """Everything the workbook says, typed and checked."""

    source: str
    kind: str
    year: int
    department: str
    region: str = ""
    scope: str = "部门"
    unit: str = "万元"
    meta: dict[str, str] = field(default_factory=dict)
    lines: list[FuncLine] = field(default_factory=list)
    econ: list[EconLine] = field(default_factory=list)
    sangong: dict[str, dict[str, Decimal | str]] = field(default_factory=dict)  # row key -> column key -> value
    balances: dict[str, Decimal] = field(default_factory=dict)
    prior: dict[str, Decimal] = field(default_factory=dict)
    facts: dict[str, Decimal | str] = field(default_factory=dict)
    projects: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    overall: dict[str, Any] = field(default_factory=dict)  # 预算 整体绩效目标: goal, tasks, indicators
    names: dict[str, str] = field(default_factory=dict)  # every code used (类/款/项) -> name for the year
    warnings: list[Issue] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)  # what the build report mentions: unknown codes, empty parts

    def total(self, quantity: str, lines: list[FuncLine] | None = None) -> Decimal:
        """A quantity (a line column or a sum defined in publish_tables.json) summed over lines."""
        keys = tables_spec().quantities.get(quantity, (quantity,))
        return sum((ln.get(k) for ln in (self.lines if lines is None else lines) for k in keys), ZERO)

    def project_amount(self, project: dict[str, Any], fund: str = "") -> Decimal:
        """A 预算 project's amount from one fund (gen / fund / soe / other), or from all of them."""
        keys = PROJECT_FUNDS[fund] if fund else PROJECT_AMOUNTS
        return sum((v for k in keys if isinstance(v := project.get(k), Decimal)), ZERO)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.issues: list[Issue] = []
        self.notes: list[Issue] = []
        check_archive(path)
        try:
            self.wb = load_workbook(path, data_only=False)
        except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
            raise InputError(Message("errors.publish.not_xlsx", name=plain(path.name), error=zip_reason(exc))) from None
        check_extent(self.wb, path)
        self.spec = workbook_spec()
        self.computed = formula_cells(path)  # a formula the officer typed counts as what Excel computed
        self.uncalculated: dict[str, list[str]] = {}  # sheet → read cells whose formula was never computed

    def error(self, sheet: str, cell: str, message: Message) -> None:
        self.issues.append(Issue("error", sheet, cell, message))

    def note(self, sheet: str, cell: str, message: Message) -> None:
        """For the build report only: never a reason to refuse, kept apart from errors and warnings."""
        self.notes.append(Issue("note", sheet, cell, message))

    def warn(self, sheet: str, cell: str, message: Message) -> None:
        self.issues.append(Issue("warning", sheet, cell, message))

    def sheet(self, spec: SheetSpec) -> Worksheet | None:
        if spec.title in self.wb.sheetnames:
            ws = self.wb[spec.title]
            assert isinstance(ws, Worksheet)
            return ws
        if spec.id in REQUIRED_SHEETS:
            self.error(spec.title, "", _say("sheet_missing", sheet=spec.title))
        return None

    # --- cell values -------------------------------------------------------------------------

    def _raw(self, ws: Worksheet, row: int, col: int, derived: bool = False) -> Any:
        """A cell's value; a formula gives what Excel computed (a derived cell, the template's own name
        lookup, gives nothing: the program derives it). One never computed is listed for an error."""
        value = ws.cell(row=row, column=col).value
        if isinstance(value, str):
            value = value.strip()
            if value.startswith("="):
                if derived:
                    return None
                ref = f"{get_column_letter(col)}{row}"
                value = self.computed.get(ws.title, {}).get(ref)
                if value is None:
                    self.uncalculated.setdefault(ws.title, []).append(ref)
                    return None
                value = value.strip()
            if not value:
                return None
        return value

    def amount(self, ws: Worksheet, row: int, col: int, what: str) -> Decimal | None:
        raw = self._raw(ws, row, col)
        try:
            return parse_decimal(raw)
        except ValueError as exc:
            why = "beyond" if isinstance(exc, NotComputable) else "not_number"
            self.error(ws.title, f"{get_column_letter(col)}{row}", _say(why, value=plain(raw), what=what))
            return None

    def count(self, ws: Worksheet, row: int, col: int, what: str) -> Decimal | None:
        value = self.amount(ws, row, col, what)
        if value is not None and value != value.to_integral_value():
            self.error(ws.title, f"{get_column_letter(col)}{row}", _say("not_whole", value=value, what=what))
            return None
        return value

    def typed(self, ws: Worksheet, row: int, col: int, f: Field) -> Decimal | str | None:
        if f.type in ("amount", "number"):
            return self.amount(ws, row, col, f.label)
        if f.type in ("count", "year"):
            return self.count(ws, row, col, f.label)
        raw = self._raw(ws, row, col, derived=f.type == "name")
        if raw is None:
            return None
        text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
        if f.choices and text not in f.choices:
            choices = "/".join(f.choices)
            self.error(ws.title, f"{get_column_letter(col)}{row}", _say("not_choice", value=text, choices=choices, what=f.label))
            return None
        return text

    # --- layouts -----------------------------------------------------------------------------

    def fields(self, spec: SheetSpec, kind: str) -> tuple[dict[str, Decimal | str], dict[str, str]]:
        """Field values by key, and the cell of each field."""
        ws = self.sheet(spec)
        values: dict[str, Decimal | str] = {}
        cells: dict[str, str] = {}
        if ws is None:
            return values, cells
        by_key = {f.key: f for f in spec.fields}
        by_label = {f.label: f for f in spec.fields}
        for row in range(2, ws.max_row + 1):
            key = self._raw(ws, row, FIELD_KEY_COLUMN)
            label = self._raw(ws, row, 1)
            f = by_key.get(str(key)) if key is not None else None
            if f is None and label is not None:
                f = by_label.get(str(label))
            if f is None:
                continue
            cells[f.key] = f"B{row}"
            value = self.typed(ws, row, 2, f)
            if value is not None:
                values[f.key] = value
        for f in spec.fields:
            if f.required and f.applies(kind) and f.key not in values and not any(i.cell == cells.get(f.key) for i in self.issues):
                self.error(spec.title, cells.get(f.key, ""), _say("required", field=f.label.rstrip("*")))
        return values, cells

    def key_columns(self, ws: Worksheet, key_row: int, columns: list[Field]) -> dict[str, int]:
        found: dict[str, int] = {}
        for col in range(1, ws.max_column + 1):
            key = self._raw(ws, key_row, col)
            if key is not None:
                found[str(key)] = col
        for c in columns:
            if c.key not in found:
                self.error(ws.title, f"{key_row}:{key_row}", _say("key_column_missing", label=c.label, key=c.key, row=key_row))
        return found

    def lines(self, spec: SheetSpec, kind: str) -> list[tuple[int, dict[str, Decimal | str]]]:
        ws = self.sheet(spec)
        if ws is None:
            return []
        layout = self.spec.layout
        columns = spec.columns_for(kind)
        where = self.key_columns(ws, layout["key_row"], columns)
        out: list[tuple[int, dict[str, Decimal | str]]] = []
        for row in range(layout["first_data_row"], ws.max_row + 1):
            record: dict[str, Decimal | str] = {}
            for c in columns:
                col = where.get(c.key)
                if col is None:
                    continue
                value = self.typed(ws, row, col, c)
                if value is not None:
                    record[c.key] = value
            if record and not (set(record) <= {"name"}):
                out.append((row, record))
        return out

    def grid(self, spec: SheetSpec, kind: str) -> tuple[dict[str, dict[str, Decimal | str]], dict[str, int]]:
        ws = self.sheet(spec)
        values: dict[str, dict[str, Decimal | str]] = {key: {} for key, _ in spec.rows}
        rows: dict[str, int] = {}
        if ws is None:
            return values, rows
        columns = spec.columns_for(kind)
        where = self.key_columns(ws, 2, columns)
        key_col = max(where.values(), default=1) + 1
        labels = {label: key for key, label in spec.rows}
        for row in range(3, ws.max_row + 1):
            key = self._raw(ws, row, key_col)
            label = self._raw(ws, row, 1)
            rk = str(key) if key is not None and str(key) in values else labels.get(str(label)) if label is not None else None
            if rk is None:
                continue
            rows[rk] = row
            for c in columns:
                col = where.get(c.key)
                if col is not None:
                    value = self.typed(ws, row, col, c)
                    if value is not None:
                        values[rk][c.key] = value
        return values, rows

    def form(self, spec: SheetSpec) -> tuple[dict[str, Decimal | str], dict[str, list[dict[str, Any]]]]:
        """A form sheet: field values by key, and each section's records (with their ``_row``).

        Rows are found by the marker in the hidden last column, or by their printed label when
        the marker is gone; every row after a section's header row belongs to it, up to the next
        marked row."""
        fields: dict[str, Decimal | str] = {}
        sections: dict[str, list[dict[str, Any]]] = {sec.key: [] for sec in spec.sections}
        ws = self.sheet(spec)
        if ws is None:
            return fields, sections
        key_col = form_key_column(spec)
        field_markers = {f"field:{f.key}": f for f in spec.fields}
        field_labels = {f.label: f for f in spec.fields}
        section_markers = {f"section:{sec.key}": sec for sec in spec.sections}
        section_heads = {sec.columns[0].label: sec for sec in spec.sections}
        titles = {sec.label for sec in spec.sections}
        current = None
        for row in range(2, ws.max_row + 1):
            raw_marker = self._raw(ws, row, key_col)
            marker = str(raw_marker) if raw_marker is not None else ""
            first = self._raw(ws, row, 1)
            label = str(first) if first is not None and not marker else ""
            f = field_markers.get(marker) or field_labels.get(label)
            if f is not None:
                value = self.typed(ws, row, 2, f)
                if value is not None:
                    fields[f.key] = value
                current = None
                continue
            sec = section_markers.get(marker) or section_heads.get(label)
            if sec is not None:
                current = sec
                continue
            if marker or label in titles:
                current = None
                continue
            if current is None:
                continue
            record: dict[str, Any] = {}
            col = 1
            for c in current.columns:
                value = self.typed(ws, row, col, c)
                if value is not None:
                    record[c.key] = value
                col += c.span
            if record:
                sections[current.key].append(dict(record, _row=row))
        return fields, sections


def _say(key: str, /, **values: object) -> Message:
    """One workbook issue, from messages/<lang>/workbook_issues.toml: rendered in the reader's language."""
    return Message(f"workbook_issues.{key}", **values)


def _code(value: Decimal | str | None) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.endswith(".0"):
        text = text[:-2]
    return _CODE_SPACES.sub("", text)


def _catalog_names(year: int) -> tuple[dict[str, str], dict[str, str]]:
    functions: dict[str, str] = {}
    for e in function_catalog():
        if (e.year_from is None or e.year_from <= year) and (e.year_to is None or year <= e.year_to):
            functions[e.code] = e.name
    economics = {e.code: e.name for e in economic_catalog()}
    for code, name in learned_names("function", year).items():  # CNBUDGET_CODES: pairs seen in disclosures
        functions.setdefault(code, name)
    for code, name in learned_names("economic", year).items():
        economics.setdefault(code, name)
    return functions, economics


def read_workbook(path: str | Path) -> BudgetData:
    """The checked BudgetData of a workbook; WorkbookInvalid listing every error otherwise."""
    p = Path(path)
    if not p.exists():
        raise InputError(Message("errors.publish.no_file", path=p))
    r = _Reader(p)
    spec = r.spec
    meta_values, _ = r.fields(spec.sheet("meta"), "决算")
    kind = str(meta_values.get("kind", ""))
    year_value = meta_values.get("year")
    if kind not in ("预算", "决算") or not isinstance(year_value, Decimal):
        raise WorkbookInvalid(r.issues or [Issue("error", spec.sheet("meta").title, "", _say("kind_year_required"))])
    year = int(year_value)
    meta_values, _ = r.fields(spec.sheet("meta"), kind)  # again, now that the kind is known
    r.issues = _dedupe(r.issues)
    data = BudgetData(
        source=str(p),
        kind=kind,
        year=year,
        department=str(meta_values.get("department", "")),
        region=str(meta_values.get("region", "")),
        scope=str(meta_values.get("scope", "部门")),
        unit=str(meta_values.get("unit", "万元")),
        meta={k: str(v) for k, v in meta_values.items()},
    )
    functions, economics = _catalog_names(year)
    extra: dict[str, str] = {}
    for _row, rec in r.lines(spec.sheet("extra_codes"), kind):
        code = _code(rec.get("code"))
        if code:
            extra[code] = str(rec.get("name", ""))
    functions.update({c: n for c, n in extra.items() if c.startswith("2")})
    economics.update({c: n for c, n in extra.items() if c.startswith("3")})

    _read_function_lines(r, data, functions, kind)
    _read_econ_lines(r, data, economics, kind)
    sangong, _ = r.grid(spec.sheet("sangong"), kind)
    data.sangong = sangong
    balances, balance_cells = r.fields(spec.sheet("balances"), kind)
    data.balances = {k: v for k, v in balances.items() if isinstance(v, Decimal)}
    prior, _ = r.fields(spec.sheet("prior"), kind)
    data.prior = {k: v for k, v in prior.items() if isinstance(v, Decimal)}
    data.facts, _ = r.fields(spec.sheet("facts"), kind)
    data.projects = [dict(rec, _row=row) for row, rec in r.lines(spec.sheet("projects"), kind) if rec.get("name")]
    data.indicators = [dict(rec, _row=row) for row, rec in r.lines(spec.sheet("indicators"), kind) if rec.get("project")]
    _check_projects(r, data)
    if kind == "预算":
        _check_budget_projects(r, data, balance_cells)
        if spec.sheet("overall").applies(kind):
            _read_overall(r, data)
    _report_gaps(r, data)
    for sheet, refs in r.uncalculated.items():
        r.error(sheet, cells_text(sorted(set(refs), key=refs.index)), Message("workbook_formulas.own"))
    if not any(i.severity == "error" for i in r.issues):
        _check_balances(r, data)
    issues = _dedupe(r.issues)
    if any(i.severity == "error" for i in issues):
        raise WorkbookInvalid(issues)
    data.warnings = issues
    data.notes = _dedupe(r.notes)
    return data


def _filled(values: object) -> bool:
    """Whether a record (or nested records) holds any non-zero amount or any text."""
    if isinstance(values, dict):
        return any(_filled(v) for k, v in values.items() if not str(k).startswith("_"))
    if isinstance(values, list):
        return any(_filled(v) for v in values)
    if isinstance(values, Decimal):
        return values != 0
    return isinstance(values, str) and bool(values.strip())


def _report_gaps(r: _Reader, data: BudgetData) -> None:
    """An untouched template is refused, naming what is empty (every table is summed from the
    功能分类 sheet, so without an amount there it would print an all-zero disclosure). A partly
    filled one builds, and the build report notes each part left empty."""
    spec = r.spec
    meta = spec.sheet("meta").title
    parts: list[tuple[str, str, object]] = [
        (meta, f.label.rstrip("*"), data.meta.get(f.key, ""))
        for f in spec.sheet("meta").fields
        if f.key in ("duties", "organisation", "units_included")
    ]
    parts += [
        (spec.sheet(sheet_id).title, "", values)
        for sheet_id, values in (
            ("economic", [[e.personnel, e.public] for e in data.econ]),
            ("sangong", data.sangong),
            ("prior", data.prior),
            ("facts", data.facts),
            ("projects", data.projects),
        )
    ]
    empty = [(sheet, label) for sheet, label, values in parts if not _filled(values)]
    function = spec.sheet("function").title
    if not any(_filled(ln.values) for ln in data.lines):
        others = "、".join(f"{sheet}：{label}" if label else sheet for sheet, label in empty)
        r.error(function, "", Message("publish.empty.workbook", sheet=function, others=others or "—"))
        return
    for sheet, label in empty:
        r.note(sheet, "", Message("publish.empty.part", part=f"“{label or sheet}”"))


def _dedupe(issues: list[Issue]) -> list[Issue]:
    seen: set[Issue] = set()
    out: list[Issue] = []
    for i in issues:
        if i not in seen:
            seen.add(i)
            out.append(i)
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _accept_code(
    r: _Reader, sheet: str, row: int, code: str, given: Decimal | str | None, names: dict[str, str], year: int
) -> str | None:
    """The name a well-formed code is printed with: the officer's own where given (a different name in
    the bundled catalog is a warning naming both), else the catalog's. A code the catalog does not
    know is accepted with the officer's name and noted in the build report (no complete official
    catalog is available offline); only a code with no name anywhere is an error."""
    own = _squash(given) if isinstance(given, str) else ""
    known = names.get(code)
    if known is None:
        if not own:
            r.error(sheet, f"B{row}", Message("publish.code.needs_name", code=code, year=year))
            return None
        r.note(sheet, f"A{row}", Message("publish.code.not_in_catalog", code=code, name=own, year=year))
        names[code] = own
        return own
    if own and own != _squash(known):
        r.warn(sheet, f"B{row}", Message("publish.code.other_name", code=code, name=own, known=known, year=year))
        return own
    return known


def _read_function_lines(r: _Reader, data: BudgetData, names: dict[str, str], kind: str) -> None:
    spec = r.spec.sheet("function")
    title = spec.title
    seen: dict[str, int] = {}
    labels = {c.key: c.label for c in spec.columns_for(kind)}
    for row, rec in r.lines(spec, kind):
        code = _code(rec.get("code"))
        if not code:
            r.error(title, f"A{row}", _say("code_missing"))
            continue
        if not re.fullmatch(r"2\d{6}", code):
            r.error(title, f"A{row}", _say("not_function_code", code=code))
            continue
        name = _accept_code(r, title, row, code, rec.get("name"), names, data.year)
        if name is None:
            continue
        for prefix in (code[:3], code[:5]):
            if prefix not in names:
                r.warn(title, f"A{row}", Message("publish.code.prefix_unnamed", code=code, prefix=prefix, year=data.year))
        if code in seen:
            r.error(title, f"A{row}", _say("code_twice", code=code, row=seen[code]))
            continue
        seen[code] = row
        values = {k: v for k, v in rec.items() if isinstance(v, Decimal)}
        for k, v in values.items():
            if v < 0 and not k.startswith("bal."):
                r.warn(title, f"{row}:{row}", _say("negative", value=v, column=labels.get(k, k)))
        data.lines.append(
            FuncLine(
                code=code,
                name=name,
                values=values,
                reason=str(rec.get("reason", "")),
                row=row,
            )
        )
    data.lines.sort(key=lambda ln: ln.code)
    for ln in data.lines:
        data.names.setdefault(ln.code, ln.name)
        data.names.setdefault(ln.code[:5], names.get(ln.code[:5], ""))
        data.names.setdefault(ln.code[:3], names.get(ln.code[:3], ""))
    for code, name in names.items():
        if len(code) == 3:
            data.names.setdefault(code, name)


def _read_econ_lines(r: _Reader, data: BudgetData, names: dict[str, str], kind: str) -> None:
    spec = r.spec.sheet("economic")
    title = spec.title
    by_code: dict[str, EconLine] = {}
    for row, rec in r.lines(spec, kind):
        code = _code(rec.get("code"))
        if not re.fullmatch(r"3\d{4}(\d{2})?", code):
            r.error(title, f"A{row}", _say("not_economic_code", code=code))
            continue
        kuan = code[:5]
        given = rec.get("name") if len(code) == 5 else None  # a 7-digit local code's name is not the 款's
        name = _accept_code(r, title, row, kuan, given, names, data.year)
        if name is None:
            continue
        personnel = rec.get("personnel")
        public = rec.get("public")
        p = personnel if isinstance(personnel, Decimal) else ZERO
        q = public if isinstance(public, Decimal) else ZERO
        entered = {k for k, v in (("personnel", personnel), ("public", public)) if isinstance(v, Decimal)}
        if kuan in by_code:
            by_code[kuan].personnel += p
            by_code[kuan].public += q
            by_code[kuan].given |= entered
        else:
            by_code[kuan] = EconLine(code=kuan, name=name, personnel=p, public=q, row=row, given=entered)
    data.econ = sorted(by_code.values(), key=lambda e: e.code)
    for e in data.econ:
        data.names.setdefault(e.code, e.name)
    for code, name in names.items():
        if len(code) in (3, 5) and code.startswith("3"):
            data.names.setdefault(code, name)


def _check_projects(r: _Reader, data: BudgetData) -> None:
    title = r.spec.sheet("indicators").title
    known = {str(p["name"]) for p in data.projects}
    for ind in data.indicators:
        if str(ind["project"]) not in known:
            projects = r.spec.sheet("projects").title
            r.error(title, f"A{ind['_row']}", _say("indicator_project_unknown", project=ind["project"], sheet=projects))


def _letter(r: _Reader, sheet_id: str, key: str, kind: str) -> str:
    """The template column letter of ``key`` on a lines sheet ('' when the sheet has no such column)."""
    index = next((i for i, c in enumerate(r.spec.sheet(sheet_id).columns_for(kind), start=1) if c.key == key), None)
    return get_column_letter(index) if index is not None else ""


def _check_budget_projects(r: _Reader, data: BudgetData, balance_cells: dict[str, str]) -> None:
    """预算: the 项目支出预算表 must add up to the 项目支出 of the 支出表, 项 by 项 and fund by fund.

    Each project row names its 类型 and 功能分类 项; rows sharing a name are one project charged
    to several 项. When the figures agree, each 项 line gets its project spending split by type
    (``proj.<running|specific>.<fund>``), which the 支出表 / 一般公共预算支出表 / 政府性基金预算支出表
    print as 其他运转类 / 特定目标类: equal to the projects by construction."""
    title = r.spec.sheet("projects").title
    fn = r.spec.sheet("function").title
    kind = data.kind
    col = {k: _letter(r, "projects", k, kind) for k in ("name", "code", "category", "unit_name", *PROJECT_AMOUNTS)}
    lines = {ln.code: ln for ln in data.lines}
    first: dict[str, dict[str, Any]] = {}
    sums: dict[tuple[str, str, str], Decimal] = {}  # (code, type, fund) -> amount
    for p in data.projects:
        row = p["_row"]
        name = str(p["name"])
        category = p.get("category")
        if category is None:
            r.error(title, f"{col['category']}{row}", _say("project_type_required", name=name))
        code = _code(p.get("code"))
        p["code"] = code
        if not code:
            r.error(title, f"{col['code']}{row}", _say("project_code_required", name=name))
        elif code not in lines:
            r.error(
                title,
                f"{col['code']}{row}",
                _say("project_code_unknown", name=name, code=code, sheet=fn),
            )
        if data.project_amount(p) == 0:
            r.error(title, f"{col['alloc.gen']}{row}:{col['unit_funds']}{row}", _say("project_no_amount", name=name))
        seen = first.setdefault(_CODE_SPACES.sub("", name), p)
        if seen is not p:
            for key in ("category", "unit_name"):
                if seen.get(key) != p.get(key):
                    r.error(
                        title,
                        f"{col[key]}{row}",
                        _say(
                            "project_rows_disagree",
                            name=name,
                            first=seen["_row"],
                            row=row,
                            what=_say(f"field.{key}"),
                            one=seen.get(key, ""),
                            other=p.get(key, ""),
                        ),
                    )
        if isinstance(category, str) and category in PROJECT_TYPES and code in lines:
            for fund in PROJECT_FUNDS:
                k = (code, PROJECT_TYPES[category], fund)
                sums[k] = sums.get(k, ZERO) + data.project_amount(p, fund)
    if any(i.severity == "error" and i.sheet == title for i in r.issues):
        return
    total = sum((data.project_amount(p) for p in data.projects), ZERO)
    last = max((p["_row"] for p in data.projects), default=r.spec.layout["first_data_row"])
    _compare(
        r,
        title,
        f"{col['alloc.gen']}{r.spec.layout['first_data_row']}:{col['unit_funds']}{last}",
        _say("projects_sum", sheet=fn),
        (_say("side.projects"), total),
        (_say("side.project_spending"), data.total("exp.project")),
        max(len(data.projects), 1) + len(data.lines),
        data.unit,
    )
    for ln in data.lines:
        for fund in PROJECT_FUNDS:
            got = sum((v for (c, _t, f), v in sums.items() if c == ln.code and f == fund), ZERO)
            terms = 1 + sum(1 for p in data.projects if p["code"] == ln.code)
            _compare(
                r,
                fn,
                f"{_letter(r, 'function', f'exp.{fund}.project', kind)}{ln.row}",
                _say("line_projects", code=ln.code, name=ln.name, fund=_say(f"fund.{fund}"), sheet=title),
                (_say("side.function"), ln.get(f"exp.{fund}.project")),
                (_say("side.projects"), got),
                terms,
                data.unit,
            )
    for fund in ("gen", "fund", "soe"):
        used = sum((p.get(f"carry.{fund}", ZERO) for p in data.projects if isinstance(p.get(f"carry.{fund}"), Decimal)), ZERO)
        available = data.balances.get(f"carry.{fund}", ZERO)
        if used > available:
            r.error(
                r.spec.sheet("balances").title,
                balance_cells.get(f"carry.{fund}", ""),
                _say("carry_exceeds", fund=_say(f"fund.{fund}"), available=amount_text(available), used=amount_text(used)),
            )
    for (code, kind_key, fund), v in sums.items():
        ln = lines[code]
        ln.values[f"proj.{kind_key}.{fund}"] = ln.get(f"proj.{kind_key}.{fund}") + v


def _read_overall(r: _Reader, data: BudgetData) -> None:
    """The 整体绩效目标 sheet: 年度履职目标, 年度主要任务, indicators (一级/二级 left blank continue the row above)."""
    spec = r.spec.sheet("overall")
    title = spec.title
    fields, sections = r.form(spec)
    tasks = []
    for t in sections.get("tasks", []):
        if not t.get("name"):
            r.error(title, f"A{t['_row']}", _say("task_name_required"))
            continue
        tasks.append(t)
    indicators = []
    level1 = level2 = ""
    for i in sections.get("indicators", []):
        row = i["_row"]
        if "level1" in i:
            level1, level2 = str(i["level1"]), ""
        if "level2" in i:
            level2 = str(i["level2"])
        if not level1:
            r.error(title, f"A{row}", _say("level1_required"))
        if not level2:
            r.error(title, f"B{row}", _say("level2_required"))
        if not i.get("name"):
            r.error(title, f"C{row}", _say("level3_required"))
        if not i.get("target"):
            r.error(title, f"D{row}", _say("target_required", name=i.get("name", "")))
        indicators.append(dict(i, level1=level1, level2=level2))
    goal = str(fields.get("goal", "")).strip()
    if goal or tasks or indicators:
        data.overall = {"goal": goal, "tasks": tasks, "indicators": indicators}
    else:
        r.warn(title, "", _say("overall_empty"))


# ---------------------------------------------------------------------------------------------
# Balances
# ---------------------------------------------------------------------------------------------


def _column_range(r: _Reader, sheet_id: str, key: str, data: BudgetData) -> str:
    spec = r.spec.sheet(sheet_id)
    columns = spec.columns_for(data.kind)
    index = next((i for i, c in enumerate(columns, start=1) if c.key == key), None)
    if index is None or not data.lines:
        return ""
    letter = get_column_letter(index)
    return f"{letter}{r.spec.layout['first_data_row']}:{letter}{max(ln.row for ln in data.lines)}"


def _compare(
    r: _Reader, sheet: str, cell: str, what: Message, left: tuple[Message, Decimal], right: tuple[Message, Decimal], terms: int, unit: str
) -> None:
    """left == right exactly; within the rounding the tolerance policy allows a warning (尾数差异); otherwise an error."""
    diff = left[1] - right[1]
    if diff == 0:
        return
    text = _say(
        "differs",
        what=what,
        left=left[0],
        left_value=amount_text(left[1]),
        right=right[0],
        right_value=amount_text(right[1]),
        diff=amount_text(diff),
        unit=unit,
    )
    if abs(diff) <= allowance(unit, AMOUNT_PLACES, terms):
        r.warn(sheet, cell, _say("within_rounding", message=text, rounding=ROUNDING))
    else:
        r.error(sheet, cell, text)


def _check_balances(r: _Reader, data: BudgetData) -> None:
    fn = r.spec.sheet("function").title
    bal = r.spec.sheet("balances").title
    econ = r.spec.sheet("economic").title
    n = max(len(data.lines), 1)
    b = data.balances
    u = data.unit
    if data.kind == "决算":
        begin = b.get("gen.begin", ZERO) + data.total("bal.fund.begin") + data.total("bal.soe.begin") + b.get("other.begin", ZERO)
        end = b.get("gen.end", ZERO) + data.total("bal.fund.end") + data.total("bal.soe.end") + b.get("other.end", ZERO)
        income = data.total("inc.total") + b.get("use_other_surplus", ZERO) + begin
        expense = data.total("exp.total") + b.get("distribution", ZERO) + end
        _compare(r, fn, "", _say("total_balance"), (_say("side.income_total"), income), (_say("side.expense_total"), expense), 2 * n, u)
        gen_in = b.get("gen.begin", ZERO) + data.total("inc.gen")
        gen_out = data.total("gen.total") + b.get("gen.end", ZERO)
        _compare(
            r,
            bal,
            "B3:B4",
            _say("gen_balance_final"),
            (_say("side.begin_income"), gen_in),
            (_say("side.spent_end"), gen_out),
            n,
            u,
        )
        for fund in ("fund", "soe"):
            for ln in data.lines:
                left = ln.get(f"bal.{fund}.begin") + ln.get(f"inc.{fund}")
                right = data.total(f"{fund}.total", [ln]) + ln.get(f"bal.{fund}.end")
                _compare(
                    r,
                    fn,
                    f"{ln.row}:{ln.row}",
                    _say("fund_balance_final", code=ln.code, fund=_say(f"fund.{fund}_short")),
                    (_say("side.begin_income"), left),
                    (_say("side.spent_end"), right),
                    1,
                    u,
                )
    else:
        _compare(
            r,
            fn,
            "",
            _say("total_balance"),
            (_say("side.income_total"), data.total("inc.all")),
            (_say("side.expense_total"), data.total("exp.total") + b.get("year_end", ZERO)),
            2 * n,
            u,
        )
        fiscal_carry = sum((b.get(f"carry.{f}", ZERO) for f in ("gen", "fund", "soe")), ZERO)
        if data.total("inc.carry") < fiscal_carry:
            r.error(
                fn,
                _column_range(r, "function", "inc.carry", data),
                _say("carry_short", total=amount_text(data.total("inc.carry")), sheet=bal, carry=amount_text(fiscal_carry)),
            )
        for fund in ("gen", "fund", "soe"):
            _compare(
                r,
                fn,
                _column_range(r, "function", f"inc.{fund}", data),
                _say("fund_balance_budget", fund=_say(f"fund.{fund}")),
                (_say("side.income_carry"), data.total(f"inc.{fund}") + b.get(f"carry.{fund}", ZERO)),
                (_say("side.spent"), data.total(f"{fund}.total")),
                n,
                u,
            )
    econ_personnel = sum((e.personnel for e in data.econ), ZERO)
    econ_public = sum((e.public for e in data.econ), ZERO)
    terms = max(len(data.econ), 1)
    _compare(
        r,
        econ,
        "C:C",
        _say("econ_personnel"),
        (_say("side.economic"), econ_personnel),
        (_say("side.function"), data.total("exp.gen.personnel")),
        terms,
        u,
    )
    _compare(
        r,
        econ,
        "D:D",
        _say("econ_public"),
        (_say("side.economic"), econ_public),
        (_say("side.function"), data.total("exp.gen.public")),
        terms,
        u,
    )
