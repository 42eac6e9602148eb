"""`compare --peers`: departments side by side — figures, shares with ranks, growth and findings per document.

Which figures and shares are shown is data (specs/metrics.json "peers"). A share whose numerator or
denominator is not printed, or whose denominator is zero, is absent: never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .compare import metric_values
from .models import Document, ValueRow, Version
from .spec import metrics_spec

HUNDRED = Decimal(100)


@dataclass
class Peer:
    department: str
    region: str
    year: int | None
    kind: str
    scope: str
    errors: int
    warnings: int
    figures: dict[str, Decimal] = field(default_factory=dict)
    shares: dict[str, Decimal] = field(default_factory=dict)  # percent, 2 places
    ranks: dict[str, int] = field(default_factory=dict)  # 1 = largest share among the same year and kind
    growth: Decimal | None = None  # % change of 支出总计 on the same department's year before, when stored

    def as_dict(self) -> dict[str, Any]:
        return {
            "department": self.department, "region": self.region, "year": self.year, "kind": self.kind, "scope": self.scope,
            "errors": self.errors, "warnings": self.warnings,
            "figures": {k: format(v, "f") for k, v in self.figures.items()},
            "shares": {k: format(v, "f") for k, v in self.shares.items()},
            "ranks": self.ranks,
            "growth": None if self.growth is None else format(self.growth, "f"),
        }


def _latest(session: Session, region: str | None, year: int | None, kind: str | None) -> list[tuple[Document, Version]]:
    latest = select(Version.document_id, func.max(Version.number).label("n")).group_by(Version.document_id).subquery()
    stmt = (
        select(Document, Version)
        .join(latest, latest.c.document_id == Document.id)
        .join(Version, (Version.document_id == Document.id) & (Version.number == latest.c.n))
        .where(Document.department != "")
    )
    if region:
        stmt = stmt.where(Document.region.contains(region))
    if year is not None:
        stmt = stmt.where(Document.year.in_([year, year - 1]))
    if kind:
        stmt = stmt.where(Document.kind == kind)
    return [(d, v) for d, v in session.execute(stmt).all()]


def peers(session: Session, region: str | None = None, year: int | None = None, kind: str | None = None) -> list[Peer]:
    """One Peer per stored disclosure (of ``year`` when given), ranked per share."""
    spec = metrics_spec()["peers"]
    found: list[Peer] = []
    totals: dict[tuple[str, int | None, str, str], Decimal] = {}
    for doc, version in _latest(session, region, year, kind):
        rows = list(session.scalars(select(ValueRow).where(ValueRow.version_id == version.id).order_by(ValueRow.id)))
        values = metric_values(rows, doc.kind)
        if "支出总计" in values:
            totals[(doc.department, doc.year, doc.kind, doc.scope)] = values["支出总计"]
        if year is not None and doc.year != year:
            continue  # the year before is only for growth
        peer = Peer(doc.department, doc.region, doc.year, doc.kind, doc.scope, version.errors, version.warnings)
        peer.figures = {name: values[name] for name in spec["figures"] if name in values}
        for share in spec["shares"]:
            num, den = values.get(share["numerator"]), values.get(share["denominator"])
            if num is not None and den:
                peer.shares[share["share"]] = (num / den * HUNDRED).quantize(Decimal("0.01"))
        found.append(peer)
    for p in found:
        before = totals.get((p.department, (p.year or 0) - 1, p.kind, p.scope))
        now = p.figures.get("支出总计")
        if before and now is not None:
            p.growth = ((now - before) / before * HUNDRED).quantize(Decimal("0.01"))
    for share in spec["shares"]:  # ranked among the disclosures of the same year and kind
        name = share["share"]
        for group in {(p.year, p.kind) for p in found}:
            members = [p for p in found if (p.year, p.kind) == group and name in p.shares]
            ordered = sorted(members, key=lambda p: p.shares[name], reverse=True)
            for i, p in enumerate(ordered, 1):
                p.ranks[name] = i
    return sorted(found, key=lambda p: (p.year or 0, p.kind, p.scope, p.department))
