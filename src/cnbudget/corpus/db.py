"""Opening the corpus database: the URL, the engine, and the schema brought to ``head`` by Alembic."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_FILE = "cnbudget.db"
ENV_VAR = "CNBUDGET_DB"


def resolve_url(url: str | None = None) -> str:
    """--db, else CNBUDGET_DB, else ./cnbudget.db; a plain path is a SQLite file, postgresql:// uses psycopg."""
    raw = url or os.environ.get(ENV_VAR, "") or DEFAULT_FILE
    if raw.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + raw.split("://", 1)[1]
    if "://" in raw:
        return raw
    return f"sqlite:///{Path(raw).resolve()}"


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def open_corpus(url: str | None = None) -> sessionmaker[Session]:
    """An engine on the corpus, migrated to the newest schema; sessions from the returned factory."""
    resolved = resolve_url(url)
    # SQLite: wait for another writer (a second ingest on the same file) instead of failing at once
    engine = create_engine(resolved, connect_args={"timeout": 60} if resolved.startswith("sqlite") else {})
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    migrate(engine)
    return sessionmaker(engine, expire_on_commit=False)


def migrate(engine: Engine) -> None:
    """``alembic upgrade head`` on this engine, with the migrations shipped in the package."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("cnbudget.corpus").joinpath("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
