"""Every file cnbudget writes goes through here: a temporary file in the target folder, then a rename.

A failure half-way (a full disk, a writer's error, an interrupt) therefore never leaves a broken
report or package behind, and an existing file is replaced only by a complete one. A target that
cannot be written (a folder, a read-only folder, a name the file system refuses) is one sentence,
not a traceback: OutputError is an InputError, so every command already exits 2 with it.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from cnbudget.errors import InputError
from cnbudget.i18n import t
from cnbudget.reasons import os_reason
from cnbudget.safe_text import plain, utf8


class OutputError(InputError):
    """The output could not be written. The message is one plain sentence."""


def is_special(path: Path) -> bool:
    """A device, pipe or socket (``-o /dev/null``, a FIFO): written in place, never replaced by a rename."""
    return path.exists() and not path.is_file() and not path.is_dir()


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` for a temporary file beside ``path``, then move it onto ``path``."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(t("errors.output.is_folder", path=plain(path)))
    if is_special(path):
        try:
            write(path)
        except OSError as exc:
            raise OutputError(t("errors.output.cannot_write", path=plain(path), why=reason(exc, path))) from None
        return
    folder = path.parent
    try:
        fd, name = tempfile.mkstemp(prefix=".cnbudget-", suffix=path.suffix, dir=folder)
    except OSError as exc:
        raise OutputError(t("errors.output.cannot_write", path=plain(path), why=reason(exc, folder))) from None
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(t("errors.output.cannot_write", path=plain(path), why=reason(exc, path))) from None
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text_atomic(path: Path, text: str) -> None:
    """``text`` as UTF-8 to ``path``, atomically."""
    write_atomic(path, lambda p: p.write_text(utf8(text), encoding="utf-8"))


def reason(exc: OSError, where: Path) -> str:
    """Why an OSError stopped a write, in a few plain words."""
    if exc.errno == errno.ENOENT:
        return t("errors.output.no_folder", folder=plain(where if where.is_dir() else where.parent))
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return t("errors.output.permission")
    if exc.errno == errno.ENAMETOOLONG:
        return t("errors.output.name_too_long")
    if exc.errno == errno.ENOSPC:
        return t("errors.output.disk_full")
    return os_reason(exc)
