"""What a route asks FastAPI for: a database session, the user's language, who is asking and whether they may.

``actor`` accepts a session cookie or an API token; ``writer`` also demands the CSRF token of a cookie
session (form field ``csrf`` or header ``X-CSRF-Token``) — every route that changes something uses it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from annotated_types import Ge, Le
from fastapi import Depends, Request
from sqlalchemy.orm import Session

from cnbudget.i18n import LANGS, t

from . import auth
from .errors import WebError

LANG_COOKIE = "cnbudget_lang"
MAX_ID = 2**63 - 1  # the largest integer a database column holds (SQLite, PostgreSQL BIGINT)


def db(request: Request) -> Iterator[Session]:
    with request.app.state.factory() as session:
        yield session


DB = Annotated[Session, Depends(db)]


def lang_of(request: Request) -> str:
    """Chinese unless the user asked for English (``?lang=en``, remembered in a cookie)."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or ""
    return asked if asked in LANGS else "zh"


class Text:
    """``_("key", **values)`` in templates and routes, in the request's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, /, **values: object) -> str:
        return t(key, self.lang, **values)


def text(request: Request) -> Text:
    return Text(lang_of(request))


def optional_actor(request: Request, session: DB) -> auth.Actor | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return auth.from_token(session, header[7:].strip())
    cookie = request.cookies.get(auth.COOKIE)
    return auth.from_session(session, cookie) if cookie else None


def actor(request: Request, who: Annotated[auth.Actor | None, Depends(optional_actor)]) -> auth.Actor:
    if who is None:
        raise WebError(401, "web.error.sign_in")
    return who


async def writer(request: Request, who: Annotated[auth.Actor, Depends(actor)]) -> auth.Actor:
    sent = request.headers.get("x-csrf-token")
    if sent is None and who.csrf:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get("csrf")
            sent = value if isinstance(value, str) else None
    if not auth.csrf_matches(who, sent):
        raise WebError(403, "web.error.csrf")
    return who


def reviewer(who: Annotated[auth.Actor, Depends(writer)]) -> auth.Actor:
    if not who.reviews:
        raise WebError(403, "web.error.not_reviewer")
    return who


def admin(who: Annotated[auth.Actor, Depends(writer)]) -> auth.Actor:
    if who.role != "admin":
        raise WebError(403, "web.error.not_admin")
    return who


Actor = Annotated[auth.Actor, Depends(actor)]
Writer = Annotated[auth.Actor, Depends(writer)]
Reviewer = Annotated[auth.Actor, Depends(reviewer)]
Admin = Annotated[auth.Actor, Depends(admin)]
MaybeActor = Annotated[auth.Actor | None, Depends(optional_actor)]
Lang = Annotated[Text, Depends(text)]

# Numbers in paths and queries: validated at the door (422 with the catalog sentence), so a number no
# database column can hold never reaches a query (it was a 500: OverflowError). Within that range an id,
# version, page or line that names nothing stays the route's own 404 with its sentence.
Id = Annotated[int, Ge(-MAX_ID - 1), Le(MAX_ID)]
Year = Annotated[int, Ge(1), Le(9999)]
