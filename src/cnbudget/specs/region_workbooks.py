"""Regions' own budget workbooks, from specs/region_workbooks.json: how to know one, what each sheet is.

The layout of a district's template is data, so that another region's workbook is a new entry,
not new code (ingest/region_workbook.py only compiles and applies it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def _any(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@dataclass(frozen=True)
class RegionWorkbook:
    id: str
    name: str
    sheets_all: tuple[re.Pattern[str], ...]  # every one names a sheet of the workbook
    sheets_any: tuple[re.Pattern[str], ...]  # at least one names a sheet
    roles: tuple[tuple[re.Pattern[str], str], ...]  # sheet name → cover / contents / table / text (first match)
    caption: re.Pattern[str]  # a cell above a table's header: 编制部门：…, 单位：元
    code_header: re.Pattern[str]  # a header cell over a code column (类 / 款 / 项 / …科目编码)
    note: re.Pattern[str]  # a cell below a table that is its note (注：…)
    placeholder_cell: re.Pattern[str]  # a cell the template fills with an ellipsis
    placeholder_text: re.Pattern[str]  # template wording an officer replaces (XX, x,xxx)

    def matches(self, sheet_names: list[str]) -> bool:
        names = [n.strip() for n in sheet_names]
        return all(any(p.search(n) for n in names) for p in self.sheets_all) and any(p.search(n) for p in self.sheets_any for n in names)

    def role(self, sheet_name: str) -> str:
        return next((role for p, role in self.roles if p.search(sheet_name.strip())), "text")


@lru_cache(maxsize=1)
def region_workbooks() -> tuple[RegionWorkbook, ...]:
    data = json.loads(resources.files("cnbudget.specs").joinpath("region_workbooks.json").read_text(encoding="utf-8"))
    out = []
    for w in data["workbooks"]:
        out.append(
            RegionWorkbook(
                id=w["id"],
                name=w["name"],
                sheets_all=tuple(re.compile(p) for p in w["recognise"]["sheets_all"]),
                sheets_any=tuple(re.compile(p) for p in w["recognise"]["sheets_any"]),
                roles=tuple((re.compile(s["name"]), s["role"]) for s in w["sheets"]),
                caption=_any(w["caption_cells"]),
                code_header=_any(w["code_headers"]),
                note=_any(w["note_cells"]),
                placeholder_cell=_any(w["placeholder_cells"]),
                placeholder_text=_any(w["placeholder_text"]),
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def _own_titles() -> tuple[str, ...]:
    data = json.loads(resources.files("cnbudget.specs").joinpath("publish_workbook.json").read_text(encoding="utf-8"))
    return tuple(s["title"] for s in data["sheets"])


def is_own_template(sheet_names: list[str]) -> bool:
    """True for a workbook `cnbudget template` wrote (specs/publish_workbook.json): it is built, not checked."""
    return all(t in sheet_names for t in _own_titles()[:2])


def region_workbook_for(sheet_names: list[str]) -> RegionWorkbook | None:
    """The region workbook layout these sheets follow, if any."""
    return next((w for w in region_workbooks() if w.matches(sheet_names)), None)
