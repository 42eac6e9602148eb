"""Accounts, sign-in, sessions, API tokens, CSRF and the sign-in rate limit.

Passwords are hashed with Argon2id (argon2-cffi). A signed-in browser carries a random token in an
HttpOnly, SameSite=Lax cookie; the database keeps only its sha256, with the session's CSRF token, which
every form (field ``csrf``) and every script call (header ``X-CSRF-Token``) must send back. Scripts use an
API token (``Authorization: Bearer …``) instead and need no CSRF token.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from cnbudget.corpus.models import ApiToken, LoginAttempt, User, WebSession

from .errors import CatalogError
from .settings import Settings

Role = Literal["admin", "reviewer", "department"]
ROLES: tuple[Role, ...] = ("admin", "reviewer", "department")
COOKIE = "cnbudget_session"
MIN_PASSWORD = 8

_hasher = PasswordHasher()


class AuthError(CatalogError):
    """Why an account action was refused: ``key`` names the catalog message (web.toml, ``auth.*``)."""


@dataclass(frozen=True)
class Actor:
    """Who is making a request: the user, and how they proved it (a session carries a CSRF token)."""

    user_id: int
    name: str
    role: Role
    department: str
    csrf: str = ""  # empty for an API token

    @property
    def reviews(self) -> bool:
        return self.role in ("admin", "reviewer")

    def sees(self, department: str) -> bool:
        """A department user sees only their own department's documents."""
        return self.role != "department" or department == self.department


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_user(session: Session, name: str, role: str, password: str, department: str = "") -> User:
    """A new account; a department user must name their department; no password shorter than MIN_PASSWORD."""
    name = name.strip()
    if not name:
        raise AuthError("web.auth.name_empty")
    if role not in ROLES:
        raise AuthError("web.auth.role_unknown", role=role, roles=" / ".join(ROLES))
    if role == "department" and not department.strip():
        raise AuthError("web.auth.department_needed")
    if len(password) < MIN_PASSWORD:
        raise AuthError("web.auth.password_short", n=MIN_PASSWORD)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise AuthError("web.auth.name_taken", name=name)
    user = User(name=name, role=role, department=department.strip(), password_hash=_hasher.hash(password), created_at=now())
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, name: str, password: str) -> None:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise AuthError("web.auth.no_such_user", name=name)
    if len(password) < MIN_PASSWORD:
        raise AuthError("web.auth.password_short", n=MIN_PASSWORD)
    user.password_hash = _hasher.hash(password)
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))


def _actor(user: User, csrf: str = "") -> Actor:
    return Actor(user.id, user.name, user.role, user.department, csrf)  # type: ignore[arg-type]


def sign_in(session: Session, settings: Settings, name: str, password: str, address: str) -> tuple[str, Actor]:
    """(cookie token, actor) for a right name and password. Refused while the name or the address has had
    too many failures in the window; every failure is counted, and a wrong name costs as much time as a
    wrong password (the hash is verified against a dummy) so names cannot be probed."""
    since = now() - timedelta(minutes=settings.login_window_minutes)
    failures = session.scalar(
        select(func.count(LoginAttempt.id)).where(LoginAttempt.at >= since, or_(LoginAttempt.name == name, LoginAttempt.address == address))
    )
    if (failures or 0) >= settings.login_failures_allowed:
        raise AuthError("web.auth.too_many", minutes=settings.login_window_minutes)
    user = session.scalar(select(User).where(User.name == name))
    ok = False
    try:
        ok = _hasher.verify(user.password_hash if user else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        ok = False
    if user is None or not ok:
        session.add(LoginAttempt(name=name, address=address, at=now()))
        session.commit()
        raise AuthError("web.auth.bad_login")
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now() + timedelta(hours=settings.session_hours)
    session.add(WebSession(token_hash=_sha(token), user_id=user.id, csrf=csrf, created_at=now(), expires_at=expires))
    session.commit()
    return token, _actor(user, csrf)


_DUMMY = _hasher.hash(secrets.token_urlsafe(16))


def sign_out(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == _sha(token)))
    session.commit()


def from_session(session: Session, token: str) -> Actor | None:
    """The actor of a session cookie, None when unknown or expired (an expired one is removed)."""
    row = session.get(WebSession, _sha(token))
    if row is None:
        return None
    if row.expires_at < now():
        session.delete(row)
        session.commit()
        return None
    user = session.get(User, row.user_id)
    return _actor(user, row.csrf) if user else None


def new_token(session: Session, name: str, label: str = "") -> str:
    """A new API token for the user (shown once; only its hash is kept)."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise AuthError("web.auth.no_such_user", name=name)
    token = "cnb_" + secrets.token_urlsafe(32)
    session.add(ApiToken(token_hash=_sha(token), user_id=user.id, label=label, created_at=now()))
    session.flush()
    return token


def from_token(session: Session, token: str) -> Actor | None:
    row = session.get(ApiToken, _sha(token))
    if row is None:
        return None
    user = session.get(User, row.user_id)
    return _actor(user) if user else None


def csrf_matches(actor: Actor, sent: str | None) -> bool:
    """True for an API-token actor (no cookie, nothing to forge) or a session whose token was sent back."""
    if not actor.csrf:
        return True
    return bool(sent) and secrets.compare_digest(actor.csrf, sent or "")
