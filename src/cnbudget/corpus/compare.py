"""`compare`: one department's metrics over the years, defined as data in specs/metrics.json.

A metric is read from the latest version of each of the department's disclosures and converted to 万元.
A metric whose source is not printed has no point for that document (absent, never zero).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cnbudget.specs import economic_catalog, function_catalog, normalise

from .models import Document, ValueRow, Version
from .spec import metrics_spec

TO_WAN = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000)}


@dataclass(frozen=True)
class Point:
    year: int | None
    kind: str
    scope: str
    value: Decimal


@dataclass
class Series:
    metric: str
    unit: str
    points: list[Point] = field(default_factory=list)


def _wan(value: str | None, unit: str) -> Decimal | None:
    if value is None or unit not in TO_WAN:
        return None  # a figure without a known money unit cannot be put in 万元 with certainty
    factor = TO_WAN[unit]
    return Decimal(value) if factor == 1 else _plain(Decimal(value) * factor)


def _plain(d: Decimal) -> Decimal:
    """Drop trailing zeros the unit conversion added, never the printed precision's digits before it."""
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


def _pick(rows: list[ValueRow], source: dict[str, Any], kind: str) -> Decimal | None:
    """The first value by preference: labels in the order listed, then columns in the order listed, then print order."""
    if source.get("kinds") and kind not in source["kinds"]:
        return None
    tables = set(source["tables"])
    patterns = [re.compile(p) for p in source.get("label_patterns", [])]
    candidates = [
        r
        for r in rows
        if r.table_name in tables
        and (not source.get("side") or r.side == source["side"])
        and (not patterns or any(p.search(r.row_label) for p in patterns))
    ]
    labels = [normalise(x) for x in source.get("labels", [])]
    groups = [[r for r in candidates if normalise(r.row_label) == label] for label in labels] if labels else [candidates]
    columns = [re.compile(c) for c in source["columns"]]
    for group in groups:
        for pattern in columns:
            for r in group:
                if pattern.search(normalise(r.column)) or pattern.search(r.column):
                    value = _wan(r.value, r.unit)
                    if value is not None:
                        return value
    return None


def _names(catalog: str) -> dict[str, str]:
    entries = function_catalog() if catalog == "function" else economic_catalog()
    names: dict[str, str] = {}
    for e in entries:  # the current name (no end year) wins, so that a series keeps one name across renamings
        if e.code not in names or e.year_to is None:
            names[e.code] = e.name
    return names


def metric_values(rows: list[ValueRow], kind: str) -> dict[str, Decimal]:
    """Every metric of specs/metrics.json that this document's values give, in 万元."""
    spec = metrics_spec()
    out: dict[str, Decimal] = {}
    for metric in spec["metrics"]:
        for source in metric["sources"]:
            value = _pick(rows, source, kind)
            if value is not None:
                out[metric["metric"]] = value
                break
    for family in spec.get("families", []):
        names = _names(family.get("catalog", "function"))
        tables = set(family["tables"])
        for r in rows:
            if r.table_name not in tables or len(r.row_code) != family["code_length"]:
                continue
            name = family["metric"].format(code=r.row_code, name=names.get(r.row_code, r.row_label))
            if name in out:
                continue
            value = _pick([r], {"tables": family["tables"], "columns": family["columns"]}, kind)
            if value is not None:
                out[name] = value
    return out


def department_series(session: Session, department: str) -> list[Series]:
    """The department's metrics, one series per metric, points by year, kind and scope."""
    latest = select(Version.document_id, func.max(Version.number).label("n")).group_by(Version.document_id).subquery()
    stmt = (
        select(Document, Version.id)
        .join(latest, latest.c.document_id == Document.id)
        .join(Version, (Version.document_id == Document.id) & (Version.number == latest.c.n))
        .where(Document.department == department)
    )
    unit = str(metrics_spec()["unit"])
    order = [m["metric"] for m in metrics_spec()["metrics"]]
    by_metric: dict[str, Series] = {}
    for doc, version_id in session.execute(stmt).all():
        rows = list(session.scalars(select(ValueRow).where(ValueRow.version_id == version_id).order_by(ValueRow.id)))
        for metric, value in metric_values(rows, doc.kind).items():
            by_metric.setdefault(metric, Series(metric, unit)).points.append(Point(doc.year, doc.kind, doc.scope, value))
    for s in by_metric.values():
        s.points.sort(key=lambda p: (p.year or 0, p.kind, p.scope))
    rank = {m: i for i, m in enumerate(order)}
    return sorted(by_metric.values(), key=lambda s: (rank.get(s.metric, len(rank)), s.metric))


def change(points: list[Point], i: int) -> tuple[Decimal, Decimal | None] | None:
    """Change of point i against the same kind and scope the year before: (difference, percent or None)."""
    p = points[i]
    if p.year is None:
        return None
    prior = next((q for q in points if q.year == p.year - 1 and q.kind == p.kind and q.scope == p.scope), None)
    if prior is None:
        return None
    diff = p.value - prior.value
    pct = (diff / prior.value * 100).quantize(Decimal("0.01")) if prior.value else None
    return diff, pct


def execution_rate(points: list[Point], i: int) -> Decimal | None:
    """决算 against the 预算 of the same year and scope, in % (None unless both are stored and the 预算 is not zero)."""
    p = points[i]
    if p.kind != "决算":
        return None
    budget = next((q for q in points if q.year == p.year and q.scope == p.scope and q.kind == "预算"), None)
    if budget is None or not budget.value:
        return None
    return (p.value / budget.value * 100).quantize(Decimal("0.01"))


def as_json(department: str, series: list[Series]) -> dict[str, Any]:
    return {
        "department": department,
        "series": [
            {
                "metric": s.metric,
                "unit": s.unit,
                "points": [{"year": p.year, "kind": p.kind, "scope": p.scope, "value": format(p.value, "f")} for p in s.points],
            }
            for s in series
        ],
    }
