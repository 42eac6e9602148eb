"""Produce a disclosure: workbook of budget data → Disclosure → standard tables + narrative (xlsx, docx, pdf, html).

    from cnbudget.publish import build_from_workbook
    package = build_from_workbook(Path("2025决算.xlsx"), Path("out"))

The names below load on first use, so that importing one light submodule (``publish.writers``'
format list, for the command line) does not load openpyxl, fpdf2 and python-docx.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "BudgetData": "cnbudget.publish.inputs",
    "Issue": "cnbudget.publish.inputs",
    "WorkbookInvalid": "cnbudget.publish.inputs",
    "read_workbook": "cnbudget.publish.inputs",
    "Package": "cnbudget.publish.build",
    "build_disclosure": "cnbudget.publish.build",
    "build_document": "cnbudget.publish.build",
    "build_from_disclosure": "cnbudget.publish.build",
    "build_from_workbook": "cnbudget.publish.build",
    "write_template": "cnbudget.publish.workbook",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'cnbudget.publish' has no attribute {name!r}")
