"""The application: settings, the corpus, templates, static assets, every route module, the worker pool.

Route modules are registered from ``ROUTES`` (each has a ``router``), the way commands are registered in
commands/__init__.py: a new page is a new module and one line here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import import_module, resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from cnbudget.corpus.db import open_corpus

from .deps import LANG_COOKIE, Text, lang_of
from .errors import WebError
from .settings import Settings
from .storage import Storage

ROUTES: tuple[str, ...] = (
    "cnbudget.web.routes.session",
    "cnbudget.web.routes.ledger",
    "cnbudget.web.routes.health",
    "cnbudget.web.routes.documents",
    "cnbudget.web.routes.review",
    "cnbudget.web.routes.rules",
    "cnbudget.web.routes.compare",
    "cnbudget.web.routes.downloads",
    "cnbudget.web.routes.upload",
    "cnbudget.web.routes.admin",
)

_HERE = resources.files("cnbudget.web")
templates = Jinja2Templates(directory=str(_HERE.joinpath("templates")))


def page(request: Request, template: str, /, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from a template, with ``_`` (the catalogs in the user's language), the user and the CSRF token."""
    actor = context.pop("actor", None)
    lang = lang_of(request)
    base = {"_": Text(lang), "lang": lang, "actor": actor, "csrf": actor.csrf if actor else ""}
    response = templates.TemplateResponse(request, template, {**base, **context}, status_code=status)
    if request.query_params.get("lang") == lang:
        response.set_cookie(LANG_COOKIE, lang, samesite="lax", httponly=True)
    return response


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def _refusal(request: Request, status: int, key: str, values: dict[str, object]) -> Response:
    message = Text(lang_of(request))(key, **values)
    if _wants_json(request):
        return JSONResponse({"error": key.rsplit(".", 1)[-1], "message": message}, status_code=status)
    if status == 401:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return page(request, "error.html", status=status, message=message)


_STATUS_KEYS = {404: "web.error.not_found", 405: "web.error.method", 413: "web.error.too_large", 422: "web.error.bad_request"}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from .jobs import Workers

        workers = Workers(settings, app.state.factory, app.state.storage) if settings.start_workers else None
        if workers is not None:
            workers.start()
        app.state.workers = workers
        try:
            yield
        finally:
            if workers is not None:
                workers.stop()

    app = FastAPI(title="cnbudget", lifespan=lifespan, docs_url="/docs", redoc_url=None, openapi_url="/api/openapi.json")
    app.state.settings = settings
    app.state.factory = open_corpus(settings.db)
    app.state.storage = Storage(settings.data)
    app.mount("/static", StaticFiles(directory=str(_HERE.joinpath("static"))), name="static")

    @app.exception_handler(WebError)
    async def _web_error(request: Request, exc: WebError) -> Response:
        return _refusal(request, exc.status, exc.key, exc.values)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _refusal(request, exc.status_code, _STATUS_KEYS.get(exc.status_code, "web.error.bad_request"), {})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return _refusal(request, 422, "web.error.bad_request", {})

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        import logging

        logging.getLogger("cnbudget.web").exception("unexpected error on %s", request.url.path)
        return _refusal(request, 500, "web.error.internal", {})

    @app.middleware("http")
    async def _headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    for module in ROUTES:
        app.include_router(import_module(module).router)
    return app
