"""`export-corpus`: every stored value (latest version of each disclosure) with its department, year,
kind, table, row, column and source place, as CSV, xlsx, Parquet or a Frictionless data package."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from decimal import Context, Decimal
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
PARQUET_NAME = "values.parquet"
_EXACT = Context(prec=80)  # room for any value's digits at the export's scale (decimal256 holds 76)
_BATCH = 10_000  # rows per Parquet record batch: memory stays flat whatever the corpus holds


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


def write_parquet(session: Session, path: Path) -> int:
    """values.parquet: the CSV's columns, integers as int64 and ``value`` as an exact decimal column
    (decimal128 with the largest scale the data prints, never a float). Two streamed passes: the first
    finds the scale and precision, the second writes record batches."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    scale, whole = 0, 1
    for row in value_rows(session):
        if row["value"]:
            digits = Decimal(str(row["value"])).as_tuple()
            places = -digits.exponent if isinstance(digits.exponent, int) and digits.exponent < 0 else 0
            scale = max(scale, places)
            whole = max(whole, len(digits.digits) - places)
    precision = whole + scale
    value_type = pa.decimal128(precision, scale) if precision <= 38 else pa.decimal256(min(precision, 76), scale)
    kinds = {"string": pa.string(), "integer": pa.int64()}
    schema = pa.schema(
        [pa.field(name, value_type if name == "value" else kinds[kind], metadata={"description": text}) for name, kind, text in COLUMNS]
    )
    quantum = Decimal(1).scaleb(-scale)

    def column(name: str, values: list[object]) -> list[object]:
        if name == "value":
            return [None if v in (None, "") else Decimal(str(v)).quantize(quantum, context=_EXACT) for v in values]
        if schema.field(name).type == pa.string():
            return ["" if v is None else str(v) for v in values]
        return values

    names = [c[0] for c in COLUMNS]
    partial = path.with_name(f".{path.name}.partial")
    n = 0
    with pq.ParquetWriter(partial, schema) as writer:
        batch: list[dict[str, object]] = []

        def flush() -> None:
            arrays = [pa.array(column(k, [r[k] for r in batch]), type=schema.field(k).type) for k in names]
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            batch.clear()

        for row in value_rows(session):
            batch.append(row)
            n += 1
            if len(batch) >= _BATCH:
                flush()
        if batch or not n:
            flush()
    partial.replace(path)
    return n
