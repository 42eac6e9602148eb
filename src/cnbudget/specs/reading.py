"""Reading hints from specs/reading.json: department labels, empty-table notes, unnumbered part headings,
subtotal marks.

Wording a document prints is data; recognition only compiles it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class ReadingHints:
    department_fields: tuple[str, ...]
    empty_table_note: re.Pattern[str]
    part_heading: re.Pattern[str]
    subtotal_marks: frozenset[str]


@lru_cache(maxsize=1)
def reading_hints() -> ReadingHints:
    data = json.loads(resources.files("cnbudget.specs").joinpath("reading.json").read_text(encoding="utf-8"))
    return ReadingHints(
        department_fields=tuple(re.sub(r"\s+", "", x) for x in data["department_fields"]),
        empty_table_note=re.compile("|".join(f"(?:{p})" for p in data["empty_table_notes"])),
        part_heading=re.compile("^(?:" + "|".join(f"(?:{p})" for p in data["part_headings"]) + ")$"),
        subtotal_marks=frozenset(re.sub(r"\s+", "", x) for x in data["subtotal_marks"]),
    )
