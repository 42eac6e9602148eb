"""Refusals a user sees: a status code and one sentence from the catalogs (web.toml ``error.*``)."""

from __future__ import annotations


class CatalogError(Exception):
    """A refusal worded by the catalogs: ``key`` names the sentence, ``values`` fill it (in the user's language)."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


class WebError(CatalogError):
    """Raised by a route; app.py turns it into a page (or JSON under /api) in the user's language."""

    def __init__(self, status: int, key: str, **values: object) -> None:
        super().__init__(key, **values)
        self.status = status
