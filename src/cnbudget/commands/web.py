"""The web commands — serve (the application) and user (its accounts); registered in commands/__init__.py.

Exit codes: 0 done; 2 when the database cannot be opened or an account cannot be made (one sentence).
"""

from __future__ import annotations

import gc
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cnbudget.i18n import Message, t
from cnbudget.reasons import database_reason

DbOption = Annotated[str | None, typer.Option("--db", help=Message("cli.web.db"))]
DataOption = Annotated[Path, typer.Option("--data", help=Message("cli.web.data"))]


class UserAction(StrEnum):
    add = "add"
    list = "list"
    remove = "remove"
    password = "password"
    token = "token"


def _fail(message: str) -> typer.Exit:
    sys.stderr.write(message + "\n")
    return typer.Exit(2)


def serve(
    db: DbOption = None,
    data: DataOption = Path("cnbudget-data"),
    host: Annotated[str, typer.Option("--host", help=Message("cli.web.host"))] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help=Message("cli.web.port"))] = 8000,
    workers: Annotated[int, typer.Option("--workers", "-j", min=1, help=Message("cli.web.workers"))] = 1,
    load: Annotated[list[Path] | None, typer.Option("--load", help=Message("cli.web.load"))] = None,
) -> None:
    """Start the web application."""
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from cnbudget.rules.registry import ConfigError, load_config
    from cnbudget.web.app import create_app
    from cnbudget.web.settings import Settings

    try:
        load_config()  # the worker pool checks with the rules config the CLI uses: a bad one is said now
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    settings = Settings(db=db, data=data, workers=workers)
    try:
        app = create_app(settings)
    except (SQLAlchemyError, OSError) as exc:
        raise _fail(t("cli.web.db_bad", reason=database_reason(exc))) from None
    if load:
        from cnbudget.web.jobs import enqueue_paths

        n = enqueue_paths(app.state.factory, app.state.storage, settings, [str(p) for p in load])
        sys.stderr.write(t("cli.web.loaded", n=n) + "\n")
    sys.stderr.write(t("cli.web.listening", url=f"http://{host}:{port}/") + "\n")
    # what start-up made lives as long as the server: frozen, a full garbage collection no longer walks it
    # (benchmarks/web.py: the ledger's p95 over 500 documents fell from ~430 to ~130 ms)
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level="warning")


def user(
    action: Annotated[UserAction, typer.Argument(help=Message("cli.web.user_action"))],
    name: Annotated[str, typer.Argument(help=Message("cli.web.user_name"))] = "",
    role: Annotated[str, typer.Option("--role", help=Message("cli.web.role"))] = "reviewer",
    department: Annotated[str, typer.Option("--department", help=Message("cli.web.department"))] = "",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help=Message("cli.web.password_stdin"))] = False,
    db: DbOption = None,
) -> None:
    """Manage the web application's accounts."""
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from cnbudget.corpus.db import open_corpus
    from cnbudget.corpus.models import User
    from cnbudget.web import auth

    try:
        factory = open_corpus(db)
    except (SQLAlchemyError, OSError) as exc:
        raise _fail(t("cli.web.db_bad", reason=database_reason(exc))) from None
    if action is not UserAction.list and not name.strip():
        raise _fail(t("web.auth.name_empty"))
    with factory() as session:
        try:
            if action is UserAction.list:
                for u in session.scalars(select(User).order_by(User.name)):
                    typer.echo(f"{u.name}\t{t('web.role.' + u.role)}\t{u.department}")
                return
            if action is UserAction.remove:
                found = session.scalar(select(User).where(User.name == name))
                if found is None:
                    raise auth.AuthError("web.auth.no_such_user", name=name)
                session.delete(found)
            elif action is UserAction.token:
                typer.echo(auth.new_token(session, name))
            else:
                password = _password(password_stdin)
                if action is UserAction.add:
                    auth.add_user(session, name, role, password, department)
                else:
                    auth.set_password(session, name, password)
            session.commit()
        except auth.AuthError as exc:
            raise _fail(t(exc.key, None, **exc.values)) from None
    if action is UserAction.add:
        sys.stderr.write(t("cli.web.user_added", name=name, role=t("web.role." + role)) + "\n")


def _password(from_stdin: bool) -> str:
    """From standard input (one line) or asked twice at the terminal; never a default."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt(t("cli.web.password_prompt"), hide_input=True)
    again = typer.prompt(t("cli.web.password_again"), hide_input=True)
    if first != again:
        raise _fail(t("cli.web.password_mismatch"))
    return str(first)
