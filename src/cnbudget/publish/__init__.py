"""Produce a disclosure: workbook of budget data → Disclosure → standard tables + narrative (xlsx, docx, pdf, html).

    from cnbudget.publish import build_from_workbook
    package = build_from_workbook(Path("2025决算.xlsx"), Path("out"))

`cnbudget template` and `cnbudget build` are added to the CLI by ``publish.commands.register``.
"""

from cnbudget.publish.build import Package, build_disclosure, build_document, build_from_disclosure, build_from_workbook
from cnbudget.publish.inputs import BudgetData, Issue, WorkbookInvalid, read_workbook
from cnbudget.publish.workbook import write_template

__all__ = [
    "BudgetData",
    "Issue",
    "Package",
    "WorkbookInvalid",
    "build_disclosure",
    "build_document",
    "build_from_disclosure",
    "build_from_workbook",
    "read_workbook",
    "write_template",
]
