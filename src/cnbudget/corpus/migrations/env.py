"""Alembic environment: migrations run on the connection db.open_corpus hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from cnbudget.corpus.models import Base

connection: Connection | None = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only db.open_corpus runs these migrations
    raise RuntimeError("the corpus migrations run through cnbudget.corpus.db.open_corpus")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
