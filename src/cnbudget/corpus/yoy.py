"""The year-over-year checks of a new disclosure against the stored one of the year before (same
department, kind and scope), run by ingest so that nobody has to name the prior file."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cnbudget.model import Disclosure
from cnbudget.rules.findings import Finding
from cnbudget.rules.registry import Config

from .models import DisclosureBlob, Document, Version
from .reading import unpack


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
