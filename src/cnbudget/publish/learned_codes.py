"""The code catalog grows from what the disclosures print.

No complete official 支出功能分类 / 经济分类 catalog is available offline, and the bundled one covers
a few departments. ``learn`` reads every disclosure in a folder and collects the code–name pairs
their tables print (功能分类 类/款/项, 经济分类 类/款), each with the year and where it was printed;
``write`` merges them into a CSV the user keeps. Pointing ``CNBUDGET_CODES`` at that CSV makes
``template`` offer those codes and ``build`` know their names: a learned pair fills a code the
bundled catalog lacks, never overrides it (the bundled names are checked against the sources).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import astuple, dataclass
from pathlib import Path

from cnbudget.errors import InputError
from cnbudget.i18n import Message
from cnbudget.model import Disclosure

ENV = "CNBUDGET_CODES"
FIELDS = ("kind", "year", "code", "level", "name", "source")
_LEVELS = {3: "类", 5: "款", 7: "项"}
_SUFFIXED = re.compile(r"[（(](类|款|项)[）)]$")
READABLE = (".pdf", ".txt", ".md")


@dataclass(frozen=True, order=True)
class Learned:
    kind: str  # function / economic
    year: int
    code: str
    level: str  # 类 / 款 / 项
    name: str
    source: str  # file name and page (or line) where the pair was printed


def pairs(d: Disclosure, path: Path) -> list[Learned]:
    """The code–name pairs the tables of one disclosure (read from ``path``) print."""
    year = d.meta.year
    if year is None:
        return []
    out: set[Learned] = set()
    for t in d.tables:
        for r in t.rows:
            code, name = r.code or "", _SUFFIXED.sub("", re.sub(r"\s+", "", r.label))
            if r.code_kind not in ("function", "economic") or len(code) not in _LEVELS or not name or not code.isdigit():
                continue
            where = f"p{r.location.page}" if r.location.page else f"line {r.location.line}"
            out.add(Learned(r.code_kind, year, code, _LEVELS[len(code)], name, f"{path.name} {where}"))
    return sorted(out)


def learn(folder: Path, read_disclosure: Callable[[Path], Disclosure]) -> list[Learned]:
    """Every pair printed by the disclosures in ``folder`` (one per kind, year, code and name); the
    caller passes the reader (publish sits below the reading pipeline)."""
    if not folder.is_dir():
        raise InputError(Message("errors.publish.no_folder", path=folder))
    seen: dict[tuple[str, int, str, str], Learned] = {}
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in READABLE and p.is_file()):
        try:
            found = pairs(read_disclosure(path), path)
        except InputError:
            continue  # not a disclosure: the folder may hold other files
        for item in found:
            seen.setdefault((item.kind, item.year, item.code, item.name), item)
    return sorted(seen.values())


def read(path: Path) -> list[Learned]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [Learned(r["kind"], int(r["year"]), r["code"], r["level"], r["name"], r["source"]) for r in csv.DictReader(f)]


def write(path: Path, items: Iterable[Learned]) -> int:
    """Merge ``items`` into the CSV at ``path`` (kept pairs win); the number of pairs added."""
    kept = read(path)
    known = {(i.kind, i.year, i.code, i.name) for i in kept}
    added = [i for i in items if (i.kind, i.year, i.code, i.name) not in known]
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(FIELDS)
        w.writerows(astuple(i) for i in sorted([*kept, *added]))
    tmp.replace(path)
    return len(added)


def learned_names(kind: str, year: int) -> dict[str, str]:
    """code → name from the CSV at CNBUDGET_CODES: for each code the name printed in the latest
    year not after ``year`` (or, if none, the earliest after it)."""
    given = os.environ.get(ENV, "")
    if not given:
        return {}
    best: dict[str, tuple[int, str]] = {}
    for i in read(Path(given)):
        if i.kind != kind:
            continue
        rank = (year - i.year) if i.year <= year else (10_000 + i.year - year)
        if i.code not in best or rank < best[i.code][0]:
            best[i.code] = (rank, i.name)
    return {code: name for code, (_rank, name) in best.items()}
