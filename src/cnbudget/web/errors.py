"""Refusals a user sees: a status code and one sentence from the catalogs (web.toml ``error.*``)."""

from __future__ import annotations


class WebError(Exception):
    """Raised by a route; app.py turns it into a page (or JSON under /api) in the user's language."""

    def __init__(self, status: int, key: str, **values: object) -> None:
        super().__init__(key)
        self.status, self.key, self.values = status, key, values
