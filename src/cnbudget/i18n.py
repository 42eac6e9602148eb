"""Message catalogs: every user-facing sentence is a template kept as data, Chinese by default.

Catalogs are TOML files in ``cnbudget/messages/`` (``zh.toml``, ``en.toml``); nested tables give dotted
keys (``[rules.B2-1] message = "…"`` → ``rules.B2-1.message``). A template names its values in braces
(``{table}``); the values are data from a document and are inserted as plain text. The language is
``zh`` unless ``set_lang`` (the CLI's ``--lang``) or ``CNBUDGET_LANG`` says otherwise.
"""

from __future__ import annotations

import os
import string
import tomllib
from functools import cache
from importlib import resources

LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"
_chosen: str | None = None


def set_lang(code: str | None) -> None:
    """Choose the language of everything printed from now on (None: back to the environment/default)."""
    global _chosen
    if code is not None and code not in LANGS:
        raise ValueError(code)
    _chosen = code


def lang() -> str:
    """The language in force: set_lang, else CNBUDGET_LANG, else Chinese."""
    if _chosen is not None:
        return _chosen
    env = os.environ.get("CNBUDGET_LANG", "").strip().lower()[:2]
    return env if env in LANGS else DEFAULT_LANG


@cache
def catalog(code: str) -> dict[str, str]:
    """All templates of one language, keyed by dotted key."""
    text = resources.files("cnbudget.messages").joinpath(f"{code}.toml").read_text(encoding="utf-8")
    flat: dict[str, str] = {}
    _flatten(tomllib.loads(text), "", flat)
    return flat


def _flatten(node: dict[str, object], prefix: str, out: dict[str, str]) -> None:
    for key, value in node.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, dotted + ".", out)
        elif isinstance(value, str):
            out[dotted] = value


class _Values(dict[str, object]):
    """Template values; a name the caller did not give stays visible as {name} instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_FORMATTER = string.Formatter()


def t(key: str, /, lang_code: str | None = None, **values: object) -> str:
    """The message ``key`` in the chosen language, filled with ``values`` (plain text, never markup).

    A key missing from the chosen language falls back to the other one, then to the key itself, so a
    report never fails for a missing sentence; tests/test_i18n.py makes sure no key is missing.
    """
    code = lang_code or lang()
    template = catalog(code).get(key)
    if template is None:
        for other in LANGS:
            template = catalog(other).get(key)
            if template is not None:
                break
    if template is None:
        return key
    return _FORMATTER.vformat(template, (), _Values({k: _plain(v) for k, v in values.items()}))


def _plain(value: object) -> str:
    return "" if value is None else str(value)


def has(key: str, code: str) -> bool:
    return key in catalog(code)
