"""Signing in and out: the login page and form, and the same under /api/session for scripts and tests.

The login form is protected from cross-site posting by a double-submit token (a cookie and a hidden field
that must match), since there is no session yet to hold one.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from cnbudget.web import auth
from cnbudget.web.app import page
from cnbudget.web.deps import DB, Actor, Lang, MaybeActor, Writer
from cnbudget.web.errors import WebError

router = APIRouter()
LOGIN_CSRF = "cnbudget_login_csrf"


def _address(request: Request) -> str:
    return request.client.host if request.client else ""


def _safe_next(target: str) -> str:
    """Only a path of this site: never another host (//evil, http://…)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _set_session(response: Response, request: Request, token: str) -> None:
    settings = request.app.state.settings
    response.set_cookie(
        auth.COOKIE, token, httponly=True, samesite="lax", secure=settings.secure_cookies, max_age=settings.session_hours * 3600, path="/"
    )


@router.get("/login", include_in_schema=False)
def login_page(request: Request, who: MaybeActor, next: str = "/") -> Response:
    if who is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", next=_safe_next(next), login_csrf=token)
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict", path="/login")
    return response


@router.post("/login", include_in_schema=False)
def login_form(
    request: Request,
    session: DB,
    _: Lang,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF, "")
    if not cookie or not secrets.compare_digest(cookie, csrf):
        raise WebError(403, "web.error.csrf")
    try:
        token, _who = auth.sign_in(session, request.app.state.settings, name.strip(), password, _address(request))
    except auth.AuthError as exc:
        fresh = secrets.token_urlsafe(24)
        status = 429 if exc.key == "web.auth.too_many" else 401
        message = _(exc.key, **exc.values)
        refused = page(request, "login.html", status=status, next=_safe_next(next), login_csrf=fresh, name=name, message=message)
        refused.set_cookie(LOGIN_CSRF, fresh, httponly=True, samesite="strict", path="/login")
        return refused
    response = RedirectResponse(_safe_next(next), status_code=303)
    _set_session(response, request, token)
    response.delete_cookie(LOGIN_CSRF, path="/login")
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, session: DB, who: Writer) -> Response:
    cookie = request.cookies.get(auth.COOKIE)
    if cookie:
        auth.sign_out(session, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.COOKIE, path="/")
    return response


class Credentials(BaseModel):
    name: str
    password: str


class Me(BaseModel):
    name: str
    role: str
    department: str
    csrf: str = ""


@router.post("/api/session", response_model=Me, summary="Sign in (sets the session cookie; returns the CSRF token)")
def api_login(request: Request, body: Credentials, session: DB, _: Lang) -> Response:
    try:
        token, who = auth.sign_in(session, request.app.state.settings, body.name.strip(), body.password, _address(request))
    except auth.AuthError as exc:
        raise WebError(429 if exc.key == "web.auth.too_many" else 401, exc.key, **exc.values) from None
    from fastapi.responses import JSONResponse

    response = JSONResponse(Me(name=who.name, role=who.role, department=who.department, csrf=who.csrf).model_dump())
    _set_session(response, request, token)
    return response


@router.get("/api/me", response_model=Me, summary="Who is signed in")
def me(who: Actor) -> Me:
    return Me(name=who.name, role=who.role, department=who.department, csrf=who.csrf)
