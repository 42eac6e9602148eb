"""Message catalogs: every user-facing sentence is a template kept as data, Chinese by default.

Catalogs are TOML files in ``cnbudget/messages/`` (``zh.toml``, ``en.toml``); nested tables give dotted
keys (``[rules.B2-1] message = "…"`` → ``rules.B2-1.message``). A template names its values in braces
(``{table}``); the values are data from a document and are inserted as plain text. The language is
``zh`` unless ``set_lang`` (the CLI's ``--lang``) or ``CNBUDGET_LANG`` says otherwise.
"""

from __future__ import annotations

import json
import os
import string
import zlib
from collections.abc import Mapping
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
    """All templates of one language, keyed by dotted key: ``<code>.toml`` and every ``<code>/*.toml``
    (one file per area — findings, the rule index, reports, the command line — so that people adding
    rules and people adding outputs do not edit the same file). A key given twice is an error.

    Parsing the TOML costs more than a short `cnbudget check` spends on anything else of its own, so
    ``<code>.compiled.json`` holds the same templates with a digest of the TOML files; it is used only
    while that digest matches (``python -m cnbudget.i18n`` writes it anew, a test keeps it current).
    """
    sources = _sources(code)
    compiled = resources.files("cnbudget.messages").joinpath(f"{code}.compiled.json")
    if compiled.is_file():
        kept = json.loads(compiled.read_text(encoding="utf-8"))
        if kept.get("digest") == _digest(sources):
            return dict(kept["messages"])
    return _parse(code, sources)


def _sources(code: str) -> list[tuple[str, bytes]]:
    """(name, bytes) of each TOML file of one language, in the order they are read."""
    root = resources.files("cnbudget.messages")
    files = [root.joinpath(f"{code}.toml")]
    folder = root.joinpath(code)
    if folder.is_dir():
        files += sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    return [(f.name, f.read_bytes()) for f in files]


def _digest(sources: list[tuple[str, bytes]]) -> str:
    """Names, sizes and a CRC-32 of the sources: enough to tell an edited catalog (zlib is loaded anyway;
    hashlib would cost more than the lookup it guards)."""
    parts = [f"{name}:{len(data)}:{zlib.crc32(data):08x}" for name, data in sources]
    return ",".join(parts)


def _parse(code: str, sources: list[tuple[str, bytes]]) -> dict[str, str]:
    import tomllib

    flat: dict[str, str] = {}
    for name, data in sources:
        part: dict[str, str] = {}
        _flatten(tomllib.loads(data.decode("utf-8")), "", part)
        twice = set(part) & set(flat)
        if twice:
            raise ValueError(f"{code}/{name}: keys given twice: {sorted(twice)}")
        flat.update(part)
    return flat


def compiled_catalog(code: str) -> str:
    """The text of ``<code>.compiled.json``: the templates parsed from the TOML files, and their digest."""
    sources = _sources(code)
    body = {"digest": _digest(sources), "messages": _parse(code, sources)}
    return json.dumps(body, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


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
    return _fill(key, lang_code, values)


def _fill(key: str, lang_code: str | None, values: Mapping[str, object]) -> str:
    code = lang_code or lang()
    template = catalog(code).get(key)
    if template is None:
        for other in LANGS:
            template = catalog(other).get(key)
            if template is not None:
                break
    if template is None:
        return key
    _rendering.append(code)
    try:
        return _FORMATTER.vformat(template, (), _Values({k: _plain(v) for k, v in values.items()}))
    finally:
        _rendering.pop()


def _plain(value: object) -> str:
    if isinstance(value, Message):
        return value.render(_rendering[-1] if _rendering else None)
    if isinstance(value, Joined):
        return value.sep.join(_plain(v) for v in value.items)
    return "" if value is None else str(value)


class Joined:
    """Several values (Messages among them) shown as one, each rendered in the message's language."""

    __slots__ = ("items", "sep")

    def __init__(self, sep: str, items: tuple[object, ...]) -> None:
        self.sep, self.items = sep, items

    def __str__(self) -> str:
        return _plain(self)

    def __reduce__(self) -> tuple[object, ...]:
        return (Joined, (self.sep, self.items))


_rendering: list[str | None] = []  # the language a Message is being rendered in, for the Messages inside it


class Message(str):
    """A sentence that remembers its template: text in the language in force when it was made, and
    ``render(lang)`` in any other. Rules give this as a Finding's message, so a report can be written in
    the reader's language after checking, and no sentence is assembled in rule code."""

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, /, **values: object) -> Message:
        kept: dict[str, object] = {k: v if isinstance(v, Message | Joined) else _plain(v) for k, v in values.items()}
        made = super().__new__(cls, _fill(key, None, kept))
        made.key, made.values = key, kept
        return made

    def render(self, lang_code: str | None = None) -> str:
        return _fill(self.key, lang_code, self.values)

    def __reduce__(self) -> tuple[object, ...]:
        return (_message, (self.key, self.values))


def _message(key: str, values: dict[str, object]) -> Message:
    return Message(key, **values)


def render(text: str, lang_code: str | None = None) -> str:
    """Any text in ``lang_code``: a Message is rendered again, plain text stays as it is."""
    return text.render(lang_code) if isinstance(text, Message) else str(text)


def has(key: str, code: str) -> bool:
    return key in catalog(code)


if __name__ == "__main__":  # python -m cnbudget.i18n: write the compiled catalogs after editing a TOML catalog
    from pathlib import Path

    for language in LANGS:
        target = Path(str(resources.files("cnbudget.messages").joinpath(f"{language}.compiled.json")))
        target.write_text(compiled_catalog(language), encoding="utf-8")
        print(target)
