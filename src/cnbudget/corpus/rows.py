"""A version's findings as database rows, and as the ingest summary names them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from cnbudget.rules.findings import Finding

from .identity import finding_fingerprint
from .models import FindingRow


def add_findings(session: Session, version_id: int, findings: list[Finding]) -> None:
    """Store ``findings`` as the version's finding rows (one insert)."""
    rows = []
    for f in findings:
        loc = f.location
        rows.append(
            {
                "version_id": version_id, "fingerprint": finding_fingerprint(f), "rule": f.rule, "category": f.category,
                "severity": f.severity, "message": f.message, "page": loc.page, "line": loc.line, "table": loc.table,
                "section": loc.section, "row": loc.row, "column": loc.column, "expected": f.expected, "actual": f.actual,
                "finding_id": f.id, "bbox": ",".join(f"{x:g}" for x in loc.bbox) if loc.bbox else "",
            }
        )
    if rows:
        session.execute(insert(FindingRow), rows)


def label(f: Finding) -> str:
    """A finding as the ingest summary lists it: 'rule（place）actual ≠ expected'."""
    loc = f.location
    return place_label(f.rule, f.actual, f.expected, loc.table, loc.row, loc.column or loc.section)


def place_label(rule: str, actual: str, expected: str, *place: str) -> str:
    """'rule（place）actual ≠ expected': enough for a reviewer to find it and tell two of one rule apart."""
    where = " ".join(p for p in place if p)
    text = f"{rule}（{where}）" if where else rule
    return f"{text} {actual} ≠ {expected}" if actual or expected else text


def labels_of(session: Session, version_id: int, rules: Sequence[str]) -> dict[str, str]:
    """The stored findings of ``rules`` on a version: fingerprint → label."""
    stmt = select(
        FindingRow.fingerprint, FindingRow.rule, FindingRow.actual, FindingRow.expected,
        FindingRow.table, FindingRow.row, FindingRow.column, FindingRow.section,
    ).where(FindingRow.version_id == version_id, FindingRow.rule.in_(rules))
    return {
        fp: place_label(rule, actual, expected, table, row, column or section)
        for fp, rule, actual, expected, table, row, column, section in session.execute(stmt)
    }
