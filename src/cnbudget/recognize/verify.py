"""The structural self-check of a recognised table: is what was read a table we understand?

A finding is only as good as the reading under it. After recognition every standard table checks
itself against what any correctly read table of its kind looks like, from the model alone:

* the text layer is sound: no cell holds unmapped glyphs (private-use or replacement characters);
* OCR was sure of the amounts: none read below the confidence floor;
* code depth agrees with the header: a code header printed in levels (类/款/项) cannot carry codes
  longer than its deepest level;
* the code columns hold codes: codes do not repeat under different names within a unit's block,
  and row names are names, not numbers;
* value columns hold amounts: a column the spec knows as money does not hold text, and the names
  of coded rows were not read into a value column;
* a title has a body: a standard table whose title was found with no grid under it (and no note saying
  it is empty) was not read, which is not the same as empty;
* the top line reconciles where the code hierarchy decides it: the 合计 row is not a fraction
  (1/2, 1/3 …) of the sum of the top code rows, which is what a lost header level looks like.

A table that fails gets ``understood = False`` and the reasons in ``problems`` (catalog sentences,
``structure.problem.*`` in messages/<lang>/structure.toml); rules do not read it
(rules/context.py) and one finding names it (rules/structure.py). Expectations live in
``specs/structure.json``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from cnbudget.i18n import Message
from cnbudget.model import Column, Disclosure, Row, Table, Value
from cnbudget.numbers import parse_amount
from cnbudget.specs import known_column_keys, normalise, specs


@dataclass(frozen=True)
class Expectations:
    code_levels: dict[str, int]
    blank_marks: frozenset[str]
    min_cells: int
    text_share: float
    duplicate_share: float
    total_labels: frozenset[str]
    ocr_min_confidence: float


@lru_cache(maxsize=1)
def expectations() -> Expectations:
    data = json.loads(resources.files("cnbudget.specs").joinpath("structure.json").read_text(encoding="utf-8"))
    return Expectations(
        code_levels={normalise(k): int(v) for k, v in data["code_levels"].items()},
        blank_marks=frozenset(data["blank_marks"]),
        min_cells=int(data["min_cells"]),
        text_share=float(data["text_share"]),
        duplicate_share=float(data["duplicate_share"]),
        total_labels=frozenset(normalise(x) for x in data["total_labels"]),
        ocr_min_confidence=float(data["ocr_min_confidence"]),
    )


def is_standard(table: Table) -> bool:
    """A table of the standard sets (B1–B9, F1–F9): the ones whose structure a spec fixes."""
    return table.spec_id[:1] in ("B", "F") and table.spec_id[1:].isdigit()


def unknown_value_columns(table: Table) -> list[Column]:
    """Value columns the table's spec does not name (their key is the printed path): explicitly unknown."""
    known = known_column_keys(table.spec_id)
    return [] if known is None else [c for c in table.columns if c.role == "value" and c.key not in known]


def verify_table(table: Table) -> list[str]:
    """Why this table is not understood (empty when it is)."""
    if not is_standard(table):
        return []
    if table.parts == 0 and (not table.note or not table.empty):  # not empty: rows printed that were not read
        return [Message("structure.problem.no_body")]
    if not table.rows:
        return []
    problems: list[str] = []
    for check in (_broken_text, _low_ocr_confidence, _code_depth, _repeated_codes, _numeric_names, _text_in_money_columns, _top_line):
        found = check(table)
        if found:
            problems.append(found)
    return problems


def verify(d: Disclosure) -> Disclosure:
    """Mark every table of ``d`` understood or not (in place; returned for chaining)."""
    for t in d.tables:
        unknown = {id(c) for c in unknown_value_columns(t)}
        for c in t.columns:
            c.mapped = id(c) not in unknown
        t.problems = verify_table(t)
        t.understood = not t.problems
    return d


# --- the checks ---------------------------------------------------------------------------------


def _code_columns(table: Table) -> list[Column]:
    unit_names = specs().roles.get("unit_code", ())
    return [c for c in table.columns if c.role == "code" and normalise(c.path.split("-")[-1]) not in unit_names]


def _coded(table: Table) -> list[Row]:
    return [r for r in table.rows if r.code and r.code_kind in ("function", "economic")]


_BROKEN = re.compile("[\ue000-\uf8ff\ufffd]")  # private-use characters and the replacement character


def _broken_text(table: Table) -> str:
    """A text layer with unmapped glyphs gives characters no font maps to text: its numbers cannot be trusted."""
    texts = [r.label for r in table.rows] + [v.text for r in table.rows for v in r.values]
    broken = [t for t in texts if _BROKEN.search(t)]
    if not broken:
        return ""
    return Message("structure.problem.broken_text", count=len(broken), example=repr(broken[0]))


def _low_ocr_confidence(table: Table) -> str:
    """Amounts OCR read with low confidence: the digits may be wrong, so no rule may trust them."""
    floor = expectations().ocr_min_confidence
    low = [
        v
        for r in table.rows
        for v in r.values
        if v.amount is not None and v.location.ocr_confidence is not None and v.location.ocr_confidence < floor
    ]
    if not low:
        return ""
    worst = min(low, key=lambda v: v.location.ocr_confidence or 0.0)
    lowest = f"{worst.location.ocr_confidence or 0.0:.2f}"
    return Message("structure.problem.low_ocr_confidence", count=len(low), lowest=lowest, text=worst.text)


def _code_depth(table: Table) -> str:
    levels = expectations().code_levels
    printed = [levels[n] for c in _code_columns(table) if (n := normalise(c.path.split("-")[-1])) in levels]
    if not printed:
        return ""
    deepest = max(printed)
    too_long = [r.code for r in _coded(table) if len(r.code) > deepest]
    if not too_long:
        return ""
    names = "/".join(n for n, v in levels.items() if v in printed)
    return Message("structure.problem.code_depth", levels=names, digits=deepest, count=len(too_long), codes=", ".join(too_long[:3]))


def _blocks(table: Table) -> list[list[Row]]:
    """Coded rows by side and by the unit they are printed under (codes restart in each unit's block)."""
    blocks: dict[tuple[str, int], list[Row]] = {}
    unit = 0
    for r in table.rows:
        if r.code_kind == "unit":
            unit += 1
            continue
        if r.code and r.code_kind in ("function", "economic"):
            blocks.setdefault((r.side, unit), []).append(r)
    return list(blocks.values())


def _repeated_codes(table: Table) -> str:
    coded = 0
    repeated: list[str] = []
    for block in _blocks(table):
        seen: dict[str, str] = {}
        for r in block:
            coded += 1
            first = seen.setdefault(r.code, r.label)
            if first and r.label and first != r.label:  # same code and name twice is a cross-classified line
                repeated.append(r.code)
    e = expectations()
    if len(repeated) < 2 or len(repeated) < e.duplicate_share * coded:
        return ""
    shown = ", ".join(f"{c} ×{n + 1}" for c, n in Counter(repeated).most_common(3))
    return Message("structure.problem.repeated_codes", count=len(repeated), coded=coded, codes=shown)


def _numeric_names(table: Table) -> str:
    named = [r for r in table.rows if r.label]
    numeric = [r.label for r in named if parse_amount(r.label) is not None]
    if len(numeric) < 2 or len(numeric) < expectations().duplicate_share * len(named):
        return ""
    return Message("structure.problem.numeric_names", count=len(numeric), names=", ".join(numeric[:3]))


def _is_text(v: Value) -> bool:
    return v.amount is None and v.number is None and v.text.strip() not in expectations().blank_marks


def _text_in_money_columns(table: Table) -> str:
    e = expectations()
    label_names = specs().roles.get("label", ())
    unknown = {c.key for c in unknown_value_columns(table)}
    valued = [r for r in table.rows if r.values]
    nameless = [r for r in valued if not r.label]
    for col in table.columns:
        if col.role != "value":
            continue
        cells = [v for r in table.rows for v in r.values if v.column == col.key and v.path == col.path]
        if len(cells) < e.min_cells:
            continue
        text = [v for v in cells if _is_text(v)]
        if len(text) < e.text_share * len(cells):
            continue
        if col.key not in unknown:
            return Message("structure.problem.text_in_money", column=col.path, count=len(text), cells=len(cells), text=text[0].text)
        if normalise(col.path.split("-")[-1]) in label_names:
            continue  # a second name column, printed as a name column (kept as text by design)
        if len(nameless) >= e.min_cells and len(nameless) * 2 >= len(valued):
            return Message("structure.problem.names_in_values", column=col.path, count=len(nameless), rows=len(valued))
    return ""


def _top_line(table: Table) -> str:
    """The 合计 row as a whole fraction of the sum of the top code rows: code levels were not recognised."""
    e = expectations()
    total = next((r for r in table.rows if not r.code and normalise(r.label) in e.total_labels), None)
    coded = [r for r in _coded(table) if r.code_kind == "function"]
    if total is None or not coded:
        return ""
    codes = {r.code for r in coded}
    roots = [r for r in coded if not any(r.code[:n] in codes for n in range(3, len(r.code)))]
    for tv in total.values:
        if tv.amount is None or tv.amount.value <= 0:
            continue
        parts = [v.amount.value for r in roots if (v := r.get(tv.column)) is not None and v.amount is not None]
        if not parts:
            continue
        ratio = sum(parts, Decimal(0)) / tv.amount.value
        tolerance = Decimal(len(parts) + 1) * Decimal(10) ** -tv.amount.places / tv.amount.value
        k = ratio.to_integral_value()
        if k >= 2 and abs(ratio - k) <= tolerance:
            return Message("structure.problem.top_line", times=k, total=total.label, column=tv.path, amount=tv.text)
        return ""
    return ""
