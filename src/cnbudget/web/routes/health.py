"""``/api/health``: the one route that needs no sign-in (for a load balancer or a monitor)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from cnbudget.web.deps import DB

router = APIRouter()


@router.get("/api/health")
def health(session: DB) -> dict[str, str]:
    session.execute(text("select 1"))
    return {"status": "ok"}
