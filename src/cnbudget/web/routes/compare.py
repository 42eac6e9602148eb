"""A department's metrics over the years, and departments side by side: tables with charts (vendored ECharts).

The numbers are corpus/compare.py's and corpus/peers.py's, exactly those of `cnbudget compare` (values as
exact decimal text, never float). Each chart reads the same numbers from a JSON script block; the HTML
table beside it is the accessible and printable truth. A department user sees only their own
department's trends; the peer comparison (other departments' figures and finding counts) is for
reviewers and administrators, like the ledger of every department.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import select

from cnbudget.corpus.chart import BAR_COLOURS
from cnbudget.corpus.compare import Series, change, department_series, execution_rate
from cnbudget.corpus.models import Document
from cnbudget.corpus.peers import Peer, peers
from cnbudget.corpus.spec import metrics_spec
from cnbudget.web.app import page
from cnbudget.web.auth import Actor as Who
from cnbudget.web.deps import DB, Actor, Lang, Year
from cnbudget.web.errors import WebError

router = APIRouter()


class TrendPoint(BaseModel):
    year: int | None
    kind: str
    scope: str
    value: str  # exact decimal, in the series' unit
    change: str | None  # on the same kind and scope the year before
    change_percent: str | None
    execution_rate: str | None  # 决算 against the same year's 预算, %


class TrendSeries(BaseModel):
    metric: str
    unit: str
    points: list[TrendPoint]


class Trends(BaseModel):
    department: str
    series: list[TrendSeries]


class PeerRow(BaseModel):
    department: str
    region: str
    year: int | None
    kind: str
    scope: str
    errors: int
    warnings: int
    figures: dict[str, str]
    shares: dict[str, str]  # percent
    ranks: dict[str, int]  # 1 = the largest share among the same year and kind
    growth: str | None  # % change of 支出总计 on the year before


class PeerComparison(BaseModel):
    year: int | None
    kind: str
    region: str
    metric: str  # the figure or share charted
    metrics: list[str]  # every figure and share that can be charted
    years: list[int]  # the years stored
    peers: list[PeerRow]


def _text(value: object) -> str | None:
    return None if value is None else format(value, "f")


def _series_model(s: Series) -> TrendSeries:
    points = []
    for i, p in enumerate(s.points):
        delta, rate = change(s.points, i), execution_rate(s.points, i)
        points.append(
            TrendPoint(
                year=p.year, kind=p.kind, scope=p.scope, value=format(p.value, "f"),
                change=_text(delta[0]) if delta else None, change_percent=_text(delta[1]) if delta else None,
                execution_rate=_text(rate),
            )
        )
    return TrendSeries(metric=s.metric, unit=s.unit, points=points)


def trends(session: DB, who: Who, name: str) -> Trends:
    """The department's series; 404 for a department the user may not see or that has no disclosure stored
    (a department user's own department is shown even when empty)."""
    if not who.sees(name):
        raise WebError(404, "web.error.not_found")
    known = session.scalar(select(Document.id).where(Document.department == name).limit(1)) is not None
    if not known and name != who.department:
        raise WebError(404, "web.error.not_found")
    return Trends(department=name, series=[_series_model(s) for s in department_series(session, name)])


@router.get("/api/departments/{name}/trends", response_model=Trends, summary="A department's metrics by year (as `cnbudget compare`)")
def api_trends(name: str, session: DB, who: Actor) -> Trends:
    return trends(session, who, name)


def _colour(kind: str) -> str:
    """The bar colour of a kind, as in `compare --chart` (corpus/chart.py)."""
    return BAR_COLOURS.get(kind, "#999999")


def _point_label(p: TrendPoint) -> str:
    return " ".join(x for x in (str(p.year or ""), p.kind, p.scope) if x)


@router.get("/departments/{name}/trends", include_in_schema=False)
def trends_page(request: Request, name: str, session: DB, who: Actor, _: Lang) -> Response:
    data = trends(session, who, name)
    charts: list[dict[str, Any]] = [
        {
            "id": f"trend-{i}",
            "title": _("web.compare.metric_unit", metric=s.metric, unit=s.unit),
            "labels": [_point_label(p) for p in s.points],
            "colours": [_colour(p.kind) for p in s.points],
            "values": [p.value for p in s.points],
        }
        for i, s in enumerate(data.series)
    ]
    return page(request, "trends.html", actor=who, trends=data, charts=charts, unit=str(metrics_spec()["unit"]))


# --- peers ----------------------------------------------------------------------------------------


def _figures_and_shares() -> tuple[list[str], list[str]]:
    """The peer figures and shares of specs/metrics.json, in its order."""
    spec = metrics_spec()["peers"]
    return [str(f) for f in spec["figures"]], [str(s["share"]) for s in spec["shares"]]


def _peer_model(p: Peer) -> PeerRow:
    return PeerRow(**p.as_dict())


def comparison(session: DB, who: Who, year: int | None, kind: str | None, metric: str | None, region: str | None) -> PeerComparison:
    """Peers of one year (the latest stored when none is asked for); reviewers and administrators only."""
    if not who.reviews:
        raise WebError(403, "web.compare.reviewers_only")
    figures, shares = _figures_and_shares()
    metrics = figures + shares
    if metric and metric not in metrics:
        raise WebError(404, "web.compare.unknown_metric", metric=metric)
    years = sorted({y for y in session.scalars(select(Document.year).where(Document.department != "").distinct()) if y}, reverse=True)
    if year is None and years:
        year = years[0]
    found = peers(session, region or None, year, kind or None)
    return PeerComparison(
        year=year, kind=kind or "", region=region or "", metric=metric or metrics[0], metrics=metrics, years=years,
        peers=[_peer_model(p) for p in found],
    )


@router.get("/api/compare", response_model=PeerComparison, summary="Departments side by side (as `cnbudget compare --peers`)")
def api_compare(
    session: DB, who: Actor, year: Year | None = None, kind: str | None = None, metric: str | None = None, region: str | None = None
) -> PeerComparison:
    return comparison(session, who, year, kind, metric, region)


def _value_of(p: PeerRow, metric: str) -> str | None:
    return p.figures.get(metric) if metric in p.figures else p.shares.get(metric)


@router.get("/compare", include_in_schema=False)
def compare_page(
    request: Request, session: DB, who: Actor, year: Year | None = None, kind: str | None = None, metric: str | None = None,
    region: str | None = None,
) -> Response:
    data = comparison(session, who, year, kind, metric, region)
    charted = sorted((p for p in data.peers if _value_of(p, data.metric) is not None), key=lambda p: _sort_key(_value_of(p, data.metric)))
    chart = {
        "id": "peers-chart",
        "title": data.metric,
        "labels": [" ".join(x for x in (p.department, p.kind, p.scope) if x) for p in charted],
        "colours": [_colour(p.kind) for p in charted],
        "values": [_value_of(p, data.metric) for p in charted],
        "horizontal": True,
    }
    figures, shares = _figures_and_shares()
    unit = str(metrics_spec()["unit"])
    return page(request, "compare.html", actor=who, data=data, chart=chart, figures=figures, shares=shares, unit=unit)


def _sort_key(value: str | None) -> Decimal:
    return Decimal(value or "0")
