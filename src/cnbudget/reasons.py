"""Why the operating system or a library refused something, as a catalog sentence (issue 11).

An OSError's ``strerror``, pydantic's ``msg``, a zip or XML parser's text are English (and differ by
platform and version); a user reads our sentence instead, chosen by what the exception *is* — the errno
name, pydantic's error ``type`` and ``loc``, the parser's line and column — never by its English text.
Every function returns a Message, so the sentence renders in whatever language the report is written in.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping, Sequence
from typing import Any

from cnbudget.i18n import Message, has

_SHOWN = 60  # characters of a refused value quoted in a sentence


def os_reason(exc: OSError) -> Message:
    """ENOENT → 'errors.os.ENOENT' …; an errno the catalog has no sentence for still reads in the user's
    language, with its name (e.g. EIO) for whoever looks it up."""
    name = errno.errorcode.get(exc.errno or 0, "")
    if name and has(f"errors.os.{name}", "zh"):
        return Message(f"errors.os.{name}")
    return Message("errors.os.other", code=name or (exc.errno if exc.errno is not None else "?"))


def zip_reason(exc: BaseException) -> Message:
    """Why a zip archive (a .docx / .xlsx) could not be opened or one of its parts read."""
    import zipfile

    if isinstance(exc, OSError):
        return os_reason(exc)
    if isinstance(exc, zipfile.BadZipFile):
        return Message("errors.zip.not_zip")
    if isinstance(exc, EOFError):
        return Message("errors.zip.truncated")
    if isinstance(exc, NotImplementedError):
        return Message("errors.zip.method")
    if isinstance(exc, RuntimeError):
        return Message("errors.zip.encrypted")
    return Message("errors.zip.other")


def xml_reason(exc: BaseException) -> Message:
    """An XML syntax error by where it is (ElementTree gives line and column)."""
    line, column = getattr(exc, "position", (None, None))
    if line is None:
        return Message("errors.xml.other")
    return Message("errors.xml.at", line=line, column=(column or 0) + 1)


def syntax_reason(exc: BaseException) -> Message:
    """A JSON, TOML or text decoding error by where it is, when the parser says where."""
    if isinstance(exc, UnicodeDecodeError):
        return Message("errors.syntax.encoding", offset=exc.start, encoding=exc.encoding)
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    if line is not None:
        return Message("errors.syntax.at", line=line, column=column or 1)
    return Message("errors.syntax.other")


def file_reason(exc: BaseException) -> Message:
    """Any reason reading a file stopped: the OS, the text encoding, the syntax."""
    if isinstance(exc, OSError):
        return os_reason(exc)
    return syntax_reason(exc)


def field_path(error: Mapping[str, Any]) -> str:
    """pydantic's ``loc`` as a dotted path (``findings.abc.status``)."""
    loc: Sequence[object] = error.get("loc") or ()
    return ".".join(str(part) for part in loc)


def field_problem(error: Mapping[str, Any], choices: Sequence[str] = ()) -> Message:
    """What is wrong with one value, by pydantic's error ``type`` (errors.field.<type> in the catalogs).

    pydantic words the allowed values of a Literal or Enum itself ('a', 'b' or 'c'); the caller who knows
    them passes ``choices``, else the sentence says only that the value is not one of them."""
    kind = str(error.get("type", ""))
    context: Mapping[str, Any] = error.get("ctx") or {}
    values = {
        "given": _given(error.get("input")),
        "limit": next((context[k] for k in ("gt", "ge", "lt", "le", "min_length", "max_length") if k in context), ""),
    }
    if kind in ("literal_error", "enum"):
        if choices:
            return Message("errors.field.one_of", choices=", ".join(choices), **values)
        return Message("errors.field.not_allowed", **values)
    key = f"errors.field.{kind}" if has(f"errors.field.{kind}", "zh") else "errors.field.other"
    return Message(key, **values)


def validation_reason(exc: Any, top: bool = True) -> Message:
    """pydantic's first error as one sentence: the field's path (when ``top`` and there is one) and the problem."""
    errors = exc.errors()
    if not errors:
        return Message("errors.field.other", given="")
    first = errors[0]
    where = field_path(first)
    if top and where:
        return Message("errors.field.at", field=where, why=field_problem(first))
    return field_problem(first)


def _given(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def database_reason(exc: BaseException) -> Message:
    """Why a database could not be opened, by the kind of SQLAlchemy error (its class, never its text);
    an OSError below it (a folder that is not there, no permission) by its errno."""
    cause = getattr(exc, "orig", None) or exc.__cause__
    if isinstance(exc, OSError):
        return os_reason(exc)
    if isinstance(cause, OSError):
        return os_reason(cause)
    kinds = {k.__name__ for k in type(exc).__mro__}
    for kind, key in (
        ("NoSuchModuleError", "errors.db.unknown_kind"),
        ("ArgumentError", "errors.db.bad_url"),
        ("ImportError", "errors.db.driver_missing"),
        ("OperationalError", "errors.db.cannot_open"),
        ("DatabaseError", "errors.db.not_ours"),
    ):
        if kind in kinds:
            return Message(key)
    return Message("errors.db.other")


def database_write_reason(exc: BaseException) -> Message:
    """Why one file's rows could not be written to an open database (the transaction rolled back), by the
    kind of SQLAlchemy error: a value the database refuses, a lost or locked database, anything else."""
    cause = getattr(exc, "orig", None) or exc.__cause__
    if isinstance(cause, OSError):
        return os_reason(cause)
    kinds = {k.__name__ for k in type(exc).__mro__}
    for kind, key in (
        ("DataError", "errors.run.db.value"),
        ("IntegrityError", "errors.run.db.value"),
        ("OperationalError", "errors.run.db.unavailable"),
    ):
        if kind in kinds:
            return Message(key)
    return Message("errors.db.other")


def ocr_reason(exc: BaseException) -> Message:
    """Why OCR read nothing on a page: our own sentence when we refused it, the OS's reason, else a
    generic one (the recogniser's errors are English and say nothing a reviewer can act on)."""
    said = exc.args[0] if exc.args else None
    if isinstance(said, Message):
        return said
    if isinstance(exc, OSError):
        return os_reason(exc)
    if isinstance(exc, MemoryError):
        return Message("errors.ocr.memory")
    return Message("errors.ocr.other")


def pdf_reason(exc: BaseException) -> Message:
    """Why pypdfium2 could not open or save a PDF (its errors are English and carry no errno)."""
    if isinstance(exc, OSError):
        return os_reason(exc)
    return Message("errors.pdf.unusable")
