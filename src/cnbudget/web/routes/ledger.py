"""The ledger: every disclosure (department × year × kind) with its status; a department user sees their own."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from cnbudget.corpus.ledger import Entry, ledger, with_reviewed
from cnbudget.web.app import page
from cnbudget.web.deps import DB, Actor, Year

router = APIRouter()


class LedgerEntry(BaseModel):
    document_id: int
    department: str
    region: str
    year: int | None
    kind: str
    scope: str
    versions: int
    status: str
    errors: int
    warnings: int


def entries(session: DB, who: Actor, year: int | None = None, kind: str | None = None) -> list[Entry]:
    return with_reviewed(session, [e for e in ledger(session, year, kind) if who.sees(e.department)])


def _model(e: Entry) -> LedgerEntry:
    return LedgerEntry(
        document_id=e.document_id,
        department=e.department,
        region=e.region,
        year=e.year,
        kind=e.kind,
        scope=e.scope,
        versions=e.versions,
        status=e.status,
        errors=e.errors,
        warnings=e.warnings,
    )


@router.get("/api/ledger", response_model=list[LedgerEntry], summary="The ledger (what the user may see)")
def api_ledger(session: DB, who: Actor, year: Year | None = None, kind: str | None = None) -> list[LedgerEntry]:
    return [_model(e) for e in entries(session, who, year, kind)]


@router.get("/", include_in_schema=False)
def ledger_page(request: Request, session: DB, who: Actor, year: str = "", kind: str | None = None) -> Response:
    # the filter form sends year= for "all years": empty is no filter, not a malformed request
    chosen = int(year) if year.strip().isdigit() and len(year.strip()) == 4 else None  # a year, never a 30-digit int
    rows = entries(session, who, chosen, kind)
    years = sorted({e.year for e in rows if e.year}, reverse=True)
    return page(request, "ledger.html", actor=who, entries=rows, years=years, year=chosen, kind=kind or "")
