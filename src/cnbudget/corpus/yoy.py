"""The year-over-year checks of a new disclosure against the stored one of the year before (same
department, kind and scope), run by ingest so that nobody has to name the prior file.

Disclosures do not arrive in order: when a year's disclosure (or a corrected version of it) is stored
after the next year's, the next year's year-over-year findings are run again against it and replace
the ones it had (none, when it came first), and its counts follow.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cnbudget.model import Disclosure
from cnbudget.rules.findings import Finding
from cnbudget.rules.registry import Config

from .identity import finding_fingerprint
from .models import DisclosureBlob, Document, FindingRow, Version
from .reading import unpack
from .rows import add_findings, label, labels_of


def prior_disclosure(session: Session, doc: Document) -> Disclosure | None:
    """The latest stored version of the same department's disclosure of the year before, if any."""
    if not doc.department or doc.year is None:
        return None
    stmt = (
        select(DisclosureBlob.body)
        .join(Version, DisclosureBlob.version_id == Version.id)
        .join(Document, Version.document_id == Document.id)
        .where(
            Document.department == doc.department,
            Document.year == doc.year - 1,
            Document.kind == doc.kind,
            Document.scope == doc.scope,
        )
        .order_by(Version.number.desc())
        .limit(1)
    )
    body = session.scalar(stmt)
    return unpack(body) if body is not None else None


def year_over_year(current: Disclosure, prior: Disclosure, config: Config) -> list[Finding]:
    """The year-over-year findings, disabled and re-graded as configured (through the one rule runner)."""
    from cnbudget.rules import year_over_year as rules
    from cnbudget.rules.registry import check_document

    return check_document(current, config, prior, rules=rules.RULES).findings


@dataclass
class Rechecked:
    """The next year's disclosure whose year-over-year checks were run again: which, and what changed."""

    document: str  # department year kind scope
    version: int
    findings: int  # year-over-year findings it has now
    fixed: list[str] = field(default_factory=list)  # no longer found (the prior year now agrees)
    new: list[str] = field(default_factory=list)


def recheck_next_year(session: Session, doc: Document, prior: Disclosure, config: Config) -> list[Rechecked]:
    """Run the year-over-year checks of the latest stored version of the same department's disclosure of
    the year after ``doc`` against ``prior`` (``doc``'s newest reading), replacing its earlier ones."""
    from cnbudget.rules import year_over_year as rules

    if not doc.department or doc.year is None:
        return []
    stmt = (
        select(Version, DisclosureBlob.body)
        .join(DisclosureBlob, DisclosureBlob.version_id == Version.id)
        .join(Document, Version.document_id == Document.id)
        .where(
            Document.department == doc.department,
            Document.year == doc.year + 1,
            Document.kind == doc.kind,
            Document.scope == doc.scope,
        )
        .order_by(Version.number.desc())
        .limit(1)
    )
    found = session.execute(stmt).first()
    if found is None:
        return []
    version, body = found
    later = session.get(Document, version.document_id)
    ids = [r.id for r in rules.RULES]
    before = labels_of(session, version.id, ids)
    findings = year_over_year(unpack(body), prior, config)
    after = {finding_fingerprint(f): label(f) for f in findings}
    session.execute(delete(FindingRow).where(FindingRow.version_id == version.id, FindingRow.rule.in_(ids)))
    add_findings(session, version.id, findings)
    session.flush()
    counts = Counter(session.scalars(select(FindingRow.severity).where(FindingRow.version_id == version.id)))
    version.errors, version.warnings, version.infos = counts["error"], counts["warning"], counts["info"]
    assert later is not None
    name = " ".join(p for p in (later.department, str(later.year), later.kind, later.scope) if p)
    return [
        Rechecked(
            name, version.number, len(findings),
            fixed=sorted(x for fp, x in before.items() if fp not in after),
            new=sorted(x for fp, x in after.items() if fp not in before),
        )
    ]
