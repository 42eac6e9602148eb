"""Build a disclosure from a region's own budget workbook (the district's template, filled in).

The workbook is read as the disclosure it lays out (``ingest.region_workbook``: one page per
sheet, recognised as a printed document is), and printed as ``build --from`` prints any
Disclosure: the tables from the model, the department's own 职能 / 机构设置 / 名词解释 /
编制说明 / 其他相关情况说明 as it wrote them. An unfilled template refuses to build (every empty
table named); a partly filled one builds, and the build report lists the tables left empty and the
sheets still holding the template's sample wording.
"""

from __future__ import annotations

from pathlib import Path

from cnbudget import i18n
from cnbudget.ingest.ole import is_ole
from cnbudget.ingest.region_workbook import is_workbook, read_with_gaps
from cnbudget.ingest.sanitize import sanitize_layout
from cnbudget.ingest.xls import sheet_names
from cnbudget.publish.build import Package, build_document, write_package
from cnbudget.publish.inputs import Issue, WorkbookInvalid
from cnbudget.publish.writers import FORMATS
from cnbudget.recognize.document import recognize
from cnbudget.specs.region_workbooks import region_workbook_for


def is_region_workbook(path: Path) -> bool:
    """True for an .xlsx or a legacy .xls laid out as a known region's budget workbook
    (specs/region_workbooks.json): known by its sheet names, read by the reader that opens it
    (openpyxl, or xlrd through ingest/xls.py — the cell grid ingest/cellgrid.py the build reads)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
        if is_ole(head):
            names = sheet_names(path)
        elif is_workbook(head):
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True)
            names = list(wb.sheetnames)
            wb.close()
        else:
            return False
    except Exception:  # not a workbook either reader can open: the ordinary reader says why
        return False
    return region_workbook_for(names) is not None


def build_from_region_workbook(path: Path, outdir: Path, formats: tuple[str, ...] = FORMATS) -> Package:
    layout, gaps = read_with_gaps(str(path))
    if gaps.tables and len(gaps.empty_tables) == gaps.tables:
        raise WorkbookInvalid([Issue("error", s, "", i18n.t("region_workbook.sheet_blank")) for s in gaps.empty_tables])
    empty = [Issue("note", s, "", i18n.t("region_workbook.sheet_empty")) for s in gaps.empty_tables]
    wording = [Issue("warning", s, "", i18n.t("region_workbook.sheet_template_text")) for s in gaps.template_text]
    d = recognize(sanitize_layout(layout))
    doc = build_document(d, None)
    files = write_package(d, doc, outdir, formats)
    not_printed = [Issue("note", title, "", i18n.t("publish.local.not_printed", title=title)) for title in doc.not_printed]
    return Package(disclosure=d, document=doc, files=files, warnings=wording, notes=empty + not_printed)
