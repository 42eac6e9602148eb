"""Wording the PDF reader needs to lay a page out (specs/pdf_reading.json): page furniture, total labels.

Wording a document prints is data; the reader only compiles it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class PdfReading:
    page_furniture: re.Pattern[str]  # .match: a page number, a 续表 mark or a unit line
    total_labels: tuple[str, ...]  # 合计, 总计, 小计


@lru_cache(maxsize=1)
def pdf_reading() -> PdfReading:
    data = json.loads(resources.files("cnbudget.specs").joinpath("pdf_reading.json").read_text(encoding="utf-8"))
    return PdfReading(
        page_furniture=re.compile("|".join(f"(?:{p})" for p in data["page_furniture"])),
        total_labels=tuple(data["total_labels"]),
    )
