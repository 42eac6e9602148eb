"""A workbook is checked against the limits before and after openpyxl opens it.

An .xlsx is a zip: a few hundred KB can unpack to gigabytes (a zip bomb), and one cell typed at
XFD1048576 makes every sheet loop walk 17 billion positions. Both are refused with one sentence
before any of that work starts; a filled template is about 1 MB unpacked and a few hundred rows.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from cnbudget.errors import InputError
from cnbudget.i18n import Message
from cnbudget.limits import MAX_UNZIPPED_BYTES, MAX_WORKBOOK_COLUMNS, MAX_WORKBOOK_ROWS, MAX_ZIP_RATIO
from cnbudget.safe_text import plain

_SMALL_MEMBER = 4 * 1024 * 1024  # members below this are never zip bombs, whatever their ratio


def check_archive(path: Path) -> None:
    """Refuse a workbook whose parts unpack to more than any budget workbook (a zip bomb)."""
    name = plain(path.name)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError):  # NotImplementedError: 'zip file version 14.8'
        return  # not a zip this reads: openpyxl says so in its own sentence
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        size, limit = f"{total // (1024 * 1024):,}", MAX_UNZIPPED_BYTES // (1024 * 1024)
        raise InputError(Message("errors.publish.unzips_large", name=name, size=size, limit=limit))
    for m in members:
        if m.file_size > _SMALL_MEMBER and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1):
            ratio = f"{m.file_size // max(m.compress_size, 1):,}"
            raise InputError(Message("errors.publish.zip_bomb", name=name, part=plain(m.filename), ratio=ratio))


def check_extent(wb: Workbook, path: Path) -> None:
    """Refuse a worksheet that reaches beyond the rows and columns any budget workbook uses."""
    for ws in wb.worksheets:
        rows, cols = ws.max_row, ws.max_column
        if rows > MAX_WORKBOOK_ROWS or cols > MAX_WORKBOOK_COLUMNS:
            raise InputError(
                Message(
                    "errors.publish.far_cell", name=plain(path.name), sheet=plain(ws.title), cell=f"{get_column_letter(cols)}{rows}",
                    rows=f"{MAX_WORKBOOK_ROWS:,}", columns=MAX_WORKBOOK_COLUMNS,
                )
            )
