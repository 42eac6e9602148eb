"""`export-corpus`: every stored value (latest version of each disclosure) with its department, year,
kind, table, row, column and source place, as CSV or as a Frictionless data package."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Document, ValueRow, Version

COLUMNS: list[tuple[str, str, str]] = [
    # name, frictionless type, description
    ("department", "string", "部门 as printed on the cover"),
    ("region", "string", "地区"),
    ("year", "integer", "年度"),
    ("kind", "string", "预算 or 决算"),
    ("scope", "string", "部门 or 单位"),
    ("version", "integer", "version of the disclosure (1 = first file received)"),
    ("table_spec", "string", "standard table id (B1…F9), LOCAL, or empty for narrative figures"),
    ("table", "string", "canonical table name"),
    ("side", "string", "record stream of a side-by-side table"),
    ("row_code", "string", "classification or unit code of the row"),
    ("row_label", "string", "printed row label"),
    ("column", "string", "canonical column key (or printed header path)"),
    ("printed", "string", "the value exactly as printed"),
    ("value", "number", "the exact decimal value, when the cell is a number"),
    ("unit", "string", "元 / 万元 / % …"),
    ("source", "string", "the file the value was read from"),
    ("page", "integer", "page in the source (PDF)"),
    ("line", "integer", "line in the source"),
]
FILE_NAME = "values.csv"
XLSX_NAME = "values.xlsx"


def value_rows(session: Session) -> Iterator[dict[str, object]]:
    """Every value of the latest version of every disclosure, streamed from the database."""
    latest = select(Version.document_id, func.max(Version.number).label("n")).group_by(Version.document_id).subquery()
    stmt = (
        select(Document, Version.number, Version.source, ValueRow)
        .join(latest, latest.c.document_id == Document.id)
        .join(Version, (Version.document_id == Document.id) & (Version.number == latest.c.n))
        .join(ValueRow, ValueRow.version_id == Version.id)
        .order_by(Document.department, Document.year, Document.kind, Document.scope, ValueRow.id)
    )
    for doc, number, source, v in session.execute(stmt).yield_per(2000):
        yield {
            "department": doc.department, "region": doc.region, "year": doc.year, "kind": doc.kind, "scope": doc.scope,
            "version": number, "table_spec": v.table_spec, "table": v.table_name, "side": v.side, "row_code": v.row_code,
            "row_label": v.row_label, "column": v.column, "printed": v.printed, "value": v.value, "unit": v.unit,
            "source": source, "page": v.page, "line": v.line,
        }


def write_csv(session: Session, path: Path) -> int:
    """Write values.csv; returns the number of values written."""
    names = [c[0] for c in COLUMNS]
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        for row in value_rows(session):
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
            n += 1
    return n


def write_xlsx(session: Session, path: Path) -> int:
    """values.xlsx, one sheet streamed row by row (write-only): numbers as exact number cells."""
    from decimal import Decimal

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet("values")
    ws.append([c[0] for c in COLUMNS])

    def cell(key: str, value: object) -> object:
        if value is None:
            return ""
        return Decimal(str(value)) if key == "value" else value

    n = 0
    for row in value_rows(session):
        ws.append([cell(k, v) for k, v in row.items()])
        n += 1
    partial = path.with_name(f".{path.name}.partial")
    book.save(partial)
    partial.replace(path)
    return n


def write_datapackage(session: Session, folder: Path) -> int:
    """values.csv plus datapackage.json (Frictionless data package with its table schema)."""
    n = write_csv(session, folder / FILE_NAME)
    package = {
        "name": "cnbudget-corpus",
        "title": "cnbudget corpus: every value of every disclosure",
        "resources": [
            {
                "name": "values",
                "path": FILE_NAME,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [{"name": name, "type": kind, "description": text} for name, kind, text in COLUMNS],
                    "missingValues": [""],
                },
            }
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return n
