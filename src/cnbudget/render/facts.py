"""The facts export: one CSV row per non-empty value cell, each traced to its page and line.

Columns (fixed, documented in docs/facts.md): table,row_code,row_label,column,value,unit,page,line
and, when the source is a PDF, bbox ('x0 y0 x1 y1' in PDF points, top-left origin); ``cnbudget export``
adds ``number``: the value as a plain decimal (no thousands separators, in the printed unit) that a
spreadsheet reads as a number, empty for text. The exported file starts with a BOM (Excel).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from cnbudget.model import Disclosure, Location, PerformanceForm
from cnbudget.specs import specs

FACT_COLUMNS = ["table", "row_code", "row_label", "column", "value", "unit", "page", "line"]
NUMBER_COLUMN = "number"


def _form_table(kind: str) -> str:
    """The canonical table name of a performance form's kind, as tables.json names it."""
    return next(t.name for t in specs().tables if t.form == kind)


def _bbox(loc: Location) -> str:
    if loc.bbox is None:
        return ""
    return " ".join(f"{v:.1f}" for v in loc.bbox)


def fact_rows(disclosure: Disclosure) -> Iterator[dict[str, str]]:
    """Every value the reader took from the tables and performance forms, in printed order."""
    for table in disclosure.tables:
        for row in table.rows:
            for value in row.values:
                yield {
                    "table": table.name,
                    "row_code": row.code,
                    "row_label": row.label,
                    "column": value.path,
                    "value": value.text,
                    "unit": value.unit,
                    "page": "" if value.location.page is None else str(value.location.page),
                    "line": "" if value.location.line is None else str(value.location.line),
                    "bbox": _bbox(value.location),
                    NUMBER_COLUMN: _plain(value.amount.value if value.amount is not None else value.number),
                }
    for form in disclosure.performance:
        yield from _form_rows(form)


def _form_rows(form: PerformanceForm) -> Iterator[dict[str, str]]:
    table = _form_table(form.kind)
    loc = form.location

    def row(label: str, column: str, value: str, unit: str, where: Location, number: str = "") -> dict[str, str]:
        return {
            "table": table,
            "row_code": "",
            "row_label": label,
            "column": column,
            "value": value,
            "unit": unit,
            "page": "" if where.page is None else str(where.page),
            "line": "" if where.line is None else str(where.line),
            "bbox": _bbox(where),
            NUMBER_COLUMN: number,
        }

    for name, amount in form.amounts.items():
        # self-evaluation blocks key cells as '行·列' (年度资金总额·全年执行数)
        label, _, column = name.partition("·")
        yield row(label if column else form.name, column or name, amount.printed, amount.unit, loc, _plain(amount.value))
    if form.execution_weight is not None:
        yield row(form.name, "执行率分值", str(form.execution_weight), "分", loc, _plain(form.execution_weight))
    if form.execution_score is not None:
        yield row(form.name, "执行率得分", str(form.execution_score), "分", loc, _plain(form.execution_score))
    if form.execution_rate_printed:
        yield row(form.name, "执行率", form.execution_rate_printed, "%", loc)
    for ind in form.indicators:
        label = ind.name or ind.level2 or ind.level1
        if ind.target_text:
            yield row(label, "指标值", ind.target_text, ind.target_unit, ind.location)
        if ind.actual_text:
            yield row(label, "实际完成值", ind.actual_text, ind.target_unit, ind.location)
        if ind.weight is not None:
            yield row(label, "分值", str(ind.weight), "分", ind.location, _plain(ind.weight))
        if ind.score is not None:
            yield row(label, "得分", str(ind.score), "分", ind.location, _plain(ind.score))
    if form.total_score is not None:
        yield row(form.name, "总分", str(form.total_score), "分", loc, _plain(form.total_score))
    if form.grade:
        yield row(form.name, "等级", form.grade, "", loc)
    for summary in form.summary_rows:
        label = summary.get("项目名称", "")
        for key, text in summary.items():
            if key != "项目名称" and text:
                yield row(label, key, text, "分" if "得分" in key else "", loc)


def _plain(number: object) -> str:
    """A number as plain decimal text ('' when there is none); a Decimal keeps its printed places."""
    if number is None:
        return ""
    if isinstance(number, Decimal):
        return format(number, "f")
    return str(number)


def facts_csv(disclosure: Disclosure, *, with_bbox: bool | None = None, numeric: bool = False) -> str:
    """The facts as CSV text; ``bbox`` is added for PDF sources (or when asked), ``number`` when asked."""
    if with_bbox is None:
        with_bbox = disclosure.format == "pdf"
    columns = FACT_COLUMNS + (["bbox"] if with_bbox else []) + ([NUMBER_COLUMN] if numeric else [])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for fact in fact_rows(disclosure):
        writer.writerow(fact)
    return out.getvalue()
