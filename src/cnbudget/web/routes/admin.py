"""Accounts for admins in the browser: list users, add one, remove one, reset a password (and the API twins).

Only an admin may see or change accounts; an admin cannot remove their own account, so one always remains.
Every change takes ``Admin`` (a CSRF-checked session or an API token); the list page takes ``Actor`` and
refuses any other role, since a GET carries no CSRF token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from cnbudget.corpus.models import User
from cnbudget.web import auth
from cnbudget.web.app import page
from cnbudget.web.deps import DB, Actor, Admin, Lang
from cnbudget.web.errors import WebError

router = APIRouter()

DONE = ("added", "removed", "password")  # the notices a redirect after a change may ask for


class UserOut(BaseModel):
    id: int
    name: str
    role: str
    department: str
    created_at: datetime


class NewUser(BaseModel):
    name: str
    role: str
    password: str
    department: str = ""


class NewPassword(BaseModel):
    password: str


def _require_admin(who: auth.Actor) -> None:
    if who.role != "admin":
        raise WebError(403, "web.error.not_admin")


def _users(session: Session) -> list[UserOut]:
    rows = session.scalars(select(User).order_by(User.role, User.name))
    return [UserOut(id=u.id, name=u.name, role=u.role, department=u.department, created_at=u.created_at) for u in rows]


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise WebError(404, "web.error.not_found")
    return user


def _status(exc: auth.AuthError) -> int:
    return 409 if exc.key == "web.auth.name_taken" else 400


def _add(session: Session, body: NewUser) -> User:
    """The new account, committed; an AuthError (empty name, unknown role, taken name, short password) otherwise."""
    user = auth.add_user(session, body.name, body.role, body.password, body.department if body.role == "department" else "")
    session.commit()
    return user


def _remove(session: Session, who: auth.Actor, user_id: int) -> str:
    user = _user(session, user_id)
    if user.id == who.user_id:
        raise WebError(409, "web.admin.self_remove")
    name = user.name
    session.delete(user)
    session.commit()
    return name


def _reset(session: Session, user_id: int, password: str) -> str:
    user = _user(session, user_id)
    auth.set_password(session, user.name, password)  # also signs the user out everywhere
    session.commit()
    return user.name


def _list_page(request: Request, session: Session, who: auth.Actor, status: int = 200, **context: object) -> Response:
    return page(request, "admin_users.html", status=status, actor=who, users=_users(session), roles=auth.ROLES, **context)


@router.get("/admin/users", include_in_schema=False)
def users_page(request: Request, session: DB, who: Actor, _: Lang, done: str = "", name: str = "") -> Response:
    _require_admin(who)
    notice = _(f"web.admin.done_{done}", name=name) if done in DONE else ""
    return _list_page(request, session, who, notice=notice)


@router.post("/admin/users", include_in_schema=False)
def add_form(
    request: Request,
    session: DB,
    who: Admin,
    _: Lang,
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    department: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    body = NewUser(name=name, role=role, department=department, password=password)
    try:
        user = _add(session, body)
    except auth.AuthError as exc:
        session.rollback()
        return _list_page(request, session, who, status=_status(exc), message=_(exc.key, **exc.values), form=body)
    return _done("added", user.name)


@router.post("/admin/users/{user_id}/remove", include_in_schema=False)
def remove_form(session: DB, who: Admin, user_id: int) -> Response:
    return _done("removed", _remove(session, who, user_id))


@router.post("/admin/users/{user_id}/password", include_in_schema=False)
def password_form(request: Request, session: DB, who: Admin, _: Lang, user_id: int, password: Annotated[str, Form()] = "") -> Response:
    try:
        name = _reset(session, user_id, password)
    except auth.AuthError as exc:
        session.rollback()
        return _list_page(request, session, who, status=_status(exc), message=_(exc.key, **exc.values))
    return _done("password", name)


def _done(what: str, name: str) -> Response:
    from urllib.parse import urlencode

    return RedirectResponse("/admin/users?" + urlencode({"done": what, "name": name}), status_code=303)


@router.get("/api/admin/users", response_model=list[UserOut], summary="Every account (admins only)")
def api_users(session: DB, who: Actor) -> list[UserOut]:
    _require_admin(who)
    return _users(session)


@router.post("/api/admin/users", response_model=UserOut, status_code=201, summary="Add an account (admins only)")
def api_add(body: NewUser, session: DB, who: Admin) -> UserOut:
    try:
        user = _add(session, body)
    except auth.AuthError as exc:
        raise WebError(_status(exc), exc.key, **exc.values) from None
    return UserOut(id=user.id, name=user.name, role=user.role, department=user.department, created_at=user.created_at)


@router.delete("/api/admin/users/{user_id}", status_code=204, summary="Remove an account (admins only; not one's own)")
def api_remove(session: DB, who: Admin, user_id: int) -> Response:
    _remove(session, who, user_id)
    return Response(status_code=204)


@router.put("/api/admin/users/{user_id}/password", status_code=204, summary="Set a new password (admins only; signs the user out)")
def api_password(body: NewPassword, session: DB, who: Admin, user_id: int) -> Response:
    try:
        _reset(session, user_id, body.password)
    except auth.AuthError as exc:
        raise WebError(_status(exc), exc.key, **exc.values) from None
    return Response(status_code=204)
