"""Alembic migrations of the corpus schema, run by db.open_corpus (``upgrade head``)."""
