"""Document text and paths as data wherever they leave cnbudget: terminal, xlsx cells, file names.

Text read from a document or a path given by a user is never markup, never a control sequence and
never an invalid character for the target: rich would read ``[/]`` as a tag, a terminal would
obey an escape sequence, openpyxl refuses control characters and UTF-8 output refuses a lone
surrogate (a file name that is not UTF-8 arrives as one).
"""

from __future__ import annotations

import re

from rich.markup import escape

from cnbudget.limits import MAX_NAME_CHARS

UNREADABLE = "\ufffd"
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|\ud800-\udfff]')


def plain(text: object) -> str:
    """Any value as printable text: control characters and lone surrogates become U+FFFD."""
    return _NOT_TEXT.sub(UNREADABLE, str(text))


def shown(text: object) -> str:
    """A value for a rich console: printable, and with every '[' escaped so it is never markup."""
    return escape(plain(text))


def utf8(text: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate (a file name that is not UTF-8) becomes U+FFFD."""
    return _SURROGATE.sub(UNREADABLE, text)


def cell_value(value: object) -> object:
    """A value for an openpyxl cell: strings made printable (openpyxl refuses control characters)."""
    return plain(value) if isinstance(value, str) else value


def name_part(text: object) -> str:
    """A value used in a file name: no separators or controls, at most MAX_NAME_CHARS characters."""
    cleaned = _NOT_IN_NAME.sub("_", str(text)).strip(" .")
    return cleaned[:MAX_NAME_CHARS] or "_"
