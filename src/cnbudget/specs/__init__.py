"""Table specs and catalogs, loaded from the data files beside this module.

Domain knowledge (which printed title is which standard table, which printed column is which
canonical column, the classification catalogs) lives in these files; code only reads them.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_QUOTES = str.maketrans({"“": "", "”": "", '"': "", "'": "", "‘": "", "’": "", "（": "(", "）": ")", "：": ":"})
_WS = re.compile(r"\s+")
_YEAR_PREFIX = re.compile(r"^20\d{2}年度?")


def normalise(text: str) -> str:
    """The form in which titles and header paths are compared: no whitespace, no quotes,
    half-width parentheses and colons (converters and authors vary on all of these)."""
    return _WS.sub("", text).translate(_QUOTES)


@dataclass(frozen=True)
class TableSpec:
    id: str
    name: str
    kind: str  # 预算 / 决算 / both
    layout: str  # sides / rows / form
    titles: tuple[str, ...]  # normalised aliases
    columns: tuple[tuple[str, tuple[str, ...]], ...]  # (canonical key, normalised synonyms)
    row_codes: str = ""  # function / economic / ''
    form: str = ""  # PerformanceForm.kind for form tables
    optional: bool = False
    sides: tuple[str, ...] = ()  # names of the record streams of a side-by-side table, left to right

    def applies_to(self, kind: str | None) -> bool:
        return kind is None or self.kind in ("both", kind)

    def column_key(self, path: str) -> str | None:
        """The canonical key of a printed header path (normalised), longest synonym winning.

        A year printed in a header part ('2021年“三公”经费预算数') is not part of the name."""
        path = "-".join(_YEAR_PREFIX.sub("", part) for part in path.split("-"))
        best: tuple[int, str] | None = None
        for key, synonyms in self.columns:
            for syn in synonyms:
                if (path == syn or path.endswith("-" + syn)) and (best is None or len(syn) > best[0]):
                    best = (len(syn), key)
        return best[1] if best else None


@dataclass(frozen=True)
class Specs:
    tables: tuple[TableSpec, ...]
    roles: dict[str, tuple[str, ...]]
    column_number_rows: tuple[str, ...]
    local_titles: tuple[str, ...]
    required: dict[str, tuple[str, ...]]

    def by_id(self, spec_id: str) -> TableSpec:
        for t in self.tables:
            if t.id == spec_id:
                return t
        raise KeyError(spec_id)

    def match_title(self, title: str, kind: str | None = None) -> TableSpec | None:
        """The spec whose title alias the printed title contains (longest alias wins).

        With ``kind`` known, specs of that kind are preferred; a title that matches only a
        spec of the other kind still matches (a 决算 may print a 预算-style title)."""
        t = normalise(title)
        best: tuple[int, int, TableSpec] | None = None
        for spec in self.tables:
            for alias in spec.titles:
                if alias and alias in t:
                    rank = (1 if spec.applies_to(kind) else 0, len(alias))
                    if best is None or rank > best[:2]:
                        best = (rank[0], rank[1], spec)
        return best[2] if best else None

    def match_local_title(self, title: str) -> str | None:
        t = normalise(title)
        for alias in self.local_titles:
            if alias in t:
                return alias
        return None


@lru_cache(maxsize=1)
def specs() -> Specs:
    data = json.loads(resources.files(__package__).joinpath("tables.json").read_text(encoding="utf-8"))
    tables = tuple(
        TableSpec(
            id=t["id"],
            name=t["name"],
            kind=t["kind"],
            layout=t["layout"],
            titles=tuple(normalise(x) for x in t["titles"]),
            columns=tuple((k, tuple(normalise(s) for s in v)) for k, v in t.get("columns", {}).items()),
            row_codes=t.get("row_codes", ""),
            form=t.get("form", ""),
            optional=t.get("optional", False),
            sides=tuple(t.get("sides", ())),
        )
        for t in data["tables"]
    )
    roles = {k: tuple(normalise(x) for x in v) for k, v in data["column_roles"].items()}
    return Specs(
        tables=tables,
        roles=roles,
        column_number_rows=tuple(data["column_number_rows"]),
        local_titles=tuple(normalise(x) for x in data["local_titles"]),
        required={k: tuple(v) for k, v in data["required"].items()},
    )


@dataclass(frozen=True)
class CatalogEntry:
    code: str
    name: str
    level: str
    year_from: int | None
    year_to: int | None
    status: str


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def function_catalog() -> tuple[CatalogEntry, ...]:
    """支出功能分类 codes with their names by year (old names kept as outdated labels)."""
    rows = _read_csv("function_codes.csv")
    return tuple(
        CatalogEntry(
            code=r["code"],
            name=r["name"],
            level=r["level"],
            year_from=int(r["year_from"]) if r["year_from"] else None,
            year_to=int(r["year_to"]) if r["year_to"] else None,
            status=r["status"],
        )
        for r in rows
    )


@lru_cache(maxsize=1)
def economic_catalog_from() -> int:
    """The first budget year the bundled 支出经济分类 catalog applies to (specs/catalogs.json)."""
    data = json.loads(resources.files(__package__).joinpath("catalogs.json").read_text(encoding="utf-8"))
    return int(data["economic"]["year_from"])


@lru_cache(maxsize=1)
def economic_catalog() -> tuple[CatalogEntry, ...]:
    """支出经济分类 codes (部门预算 301… and 政府预算 501…), valid from ``economic_catalog_from()``."""
    rows = _read_csv("economic_codes.csv")
    start = economic_catalog_from()
    return tuple(
        CatalogEntry(code=r["code"], name=r["name"], level=r["level"], year_from=start, year_to=None, status=r["status"])
        for r in rows
    )


def known_column_keys(spec_id: str) -> frozenset[str] | None:
    """The canonical column keys a table spec names (None for a table no spec describes)."""
    try:
        spec = specs().by_id(spec_id)
    except KeyError:
        return None
    return frozenset(k for k, _ in spec.columns)
