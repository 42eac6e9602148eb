"""The publisher's data files (specs/publish_*.json, specs/glossary.json), loaded once.

Everything a finance officer would recognise as "how the document is laid out" lives in those
files: the workbook's sheets and columns, the printed tables, the narrative's sections and
sentences, the glossary. This module only reads them into typed records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

Kind = str  # 预算 / 决算


def _load(name: str) -> Any:
    return json.loads(resources.files("cnbudget.specs").joinpath(name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Workbook
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str  # text / year / choice / amount / count / number / code / name
    kinds: tuple[str, ...] = ()
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    group: str = ""
    width: int = 14
    suggest: tuple[str, ...] = ()  # a drop-down that warns but accepts other text
    span: int = 1  # form sections: columns the cell spans

    def applies(self, kind: Kind) -> bool:
        return not self.kinds or kind in self.kinds


@dataclass(frozen=True)
class FormSection:
    """A block of rows on a form sheet (整体绩效目标: 年度主要任务, 绩效指标)."""

    key: str
    label: str
    rows: int  # rows the template provides
    columns: tuple[Field, ...]


@dataclass(frozen=True)
class SheetSpec:
    id: str
    title: str
    layout: str  # fields / lines / grid / form
    help: str
    fields: tuple[Field, ...] = ()  # fields and form layouts
    columns: tuple[Field, ...] = ()  # lines and grid layouts
    rows: tuple[tuple[str, str], ...] = ()  # grid layout: (key, label)
    code: str = ""  # lines: which catalog the code column checks against
    kinds: tuple[str, ...] = ()  # the sheet exists only in workbooks of these kinds
    sections: tuple[FormSection, ...] = ()  # form layout

    def applies(self, kind: Kind) -> bool:
        return not self.kinds or kind in self.kinds

    def fields_for(self, kind: Kind) -> list[Field]:
        return [f for f in self.fields if f.applies(kind)]

    def columns_for(self, kind: Kind) -> list[Field]:
        return [c for c in self.columns if c.applies(kind)]


def _field(d: dict[str, Any]) -> Field:
    return Field(
        key=d["key"],
        label=d["label"],
        type=d.get("type", "text"),
        kinds=tuple(d.get("kinds", ())),
        required=d.get("required", False),
        choices=tuple(d.get("choices", ())),
        help=d.get("help", ""),
        group=d.get("group", ""),
        width=d.get("width", 14),
        suggest=tuple(d.get("suggest", ())),
        span=d.get("span", 1),
    )


@dataclass(frozen=True)
class WorkbookSpec:
    layout: dict[str, int]  # row numbers of the lines layout (help, key, group, label, total, first data)
    sheets: tuple[SheetSpec, ...]

    def sheet(self, sheet_id: str) -> SheetSpec:
        for s in self.sheets:
            if s.id == sheet_id:
                return s
        raise KeyError(sheet_id)


@lru_cache(maxsize=1)
def workbook_spec() -> WorkbookSpec:
    data = _load("publish_workbook.json")
    sheets = tuple(
        SheetSpec(
            id=s["id"],
            title=s["title"],
            layout=s["layout"],
            help=s.get("help", ""),
            fields=tuple(_field(f) for f in s.get("fields", ())),
            columns=tuple(_field(c) for c in s.get("columns", ())),
            rows=tuple((r["key"], r["label"]) for r in s.get("rows", ())),
            code=s.get("code", ""),
            kinds=tuple(s.get("kinds", ())),
            sections=tuple(
                FormSection(key=x["key"], label=x["label"], rows=int(x["rows"]), columns=tuple(_field(c) for c in x["columns"]))
                for x in s.get("sections", ())
            ),
        )
        for s in data["sheets"]
    )
    return WorkbookSpec(layout={k: int(v) for k, v in data["layout"].items()}, sheets=sheets)


# ---------------------------------------------------------------------------------------------
# Printed tables
# ---------------------------------------------------------------------------------------------

HeaderCell = tuple[str, int, int]  # text, colspan, rowspan


@dataclass(frozen=True)
class Side:
    name: str
    rows: tuple[tuple[str, str], ...]  # (label or @classes/@pad, quantity)
    values: tuple[str, ...] = ()  # quantities of a multi-column side (F4/B4 支出)


@dataclass(frozen=True)
class EconGroup:
    side: str
    value: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class PrintSpec:
    id: str
    number: str  # 公开01表
    title: str
    orientation: str  # P / L
    layout: str  # sides / tree / econ / econ_list / single
    header: tuple[tuple[HeaderCell, ...], ...]
    values: tuple[str, ...] = ()
    sides: tuple[Side, ...] = ()
    groups: tuple[EconGroup, ...] = ()
    totals: tuple[tuple[str, str, int], ...] = ()
    note: str = ""
    empty_note: str = ""


@dataclass(frozen=True)
class TablesSpec:
    quantities: dict[str, tuple[str, ...]]
    class_rows: tuple[str, ...]
    class_ordinal: dict[str, str]
    number_row_label: str
    note_prefix: str
    rounding_note: str
    sets: dict[str, tuple[PrintSpec, ...]]


def _print_spec(t: dict[str, Any]) -> PrintSpec:
    return PrintSpec(
        id=t["id"],
        number=t["number"],
        title=t["title"],
        orientation=t["orientation"],
        layout=t["layout"],
        header=tuple(tuple((c[0], c[1], c[2]) for c in row) for row in t["header"]),
        values=tuple(t.get("values", ())),
        sides=tuple(
            Side(name=s["name"], rows=tuple((r[0], r[1]) for r in s["rows"]), values=tuple(s.get("values", ()))) for s in t.get("sides", ())
        ),
        groups=tuple(EconGroup(side=g["side"], value=g["value"], codes=tuple(g["codes"])) for g in t.get("groups", ())),
        totals=tuple((x[0], x[1], x[2]) for x in t.get("totals", ())),
        note=t.get("note", ""),
        empty_note=t.get("empty_note", ""),
    )


@lru_cache(maxsize=1)
def tables_spec() -> TablesSpec:
    data = _load("publish_tables.json")
    return TablesSpec(
        quantities={k: tuple(v) for k, v in data["quantities"].items()},
        class_rows=tuple(data["class_rows"]),
        class_ordinal=dict(data["class_ordinal"]),
        number_row_label=data["number_row_label"],
        note_prefix=data["explanatory_note_prefix"],
        rounding_note=data["rounding_note"],
        sets={k: tuple(_print_spec(t) for t in v) for k, v in data["sets"].items()},
    )


# ---------------------------------------------------------------------------------------------
# Narrative and glossary (plain dictionaries: the narrative module reads them by key)
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def narrative_spec() -> dict[str, Any]:
    data: dict[str, Any] = _load("publish_narrative.json")
    return data


@lru_cache(maxsize=1)
def families_spec() -> list[dict[str, Any]]:
    """The template families whose own form a re-print keeps (publish/families.py)."""
    data: list[dict[str, Any]] = _load("publish_families.json")["families"]
    return data


@lru_cache(maxsize=1)
def glossary() -> dict[str, Any]:
    data: dict[str, Any] = _load("glossary.json")
    return data
