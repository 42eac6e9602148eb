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
from cnbudget.limits import MAX_UNZIPPED_BYTES, MAX_WORKBOOK_COLUMNS, MAX_WORKBOOK_ROWS, MAX_ZIP_RATIO
from cnbudget.safe_text import plain

_SMALL_MEMBER = 4 * 1024 * 1024  # members below this are never zip bombs, whatever their ratio


def check_archive(path: Path) -> None:
    """Refuse a workbook whose parts unpack to more than any budget workbook (a zip bomb)."""
    name = plain(path.name)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return  # not a zip: openpyxl says so in its own sentence
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        raise InputError(
            f"{name} unpacks to {total // (1024 * 1024):,} MB, more than any budget workbook "
            f"({MAX_UNZIPPED_BYTES // (1024 * 1024)} MB); it is not read."
        )
    for m in members:
        if m.file_size > _SMALL_MEMBER and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1):
            raise InputError(
                f"{name}: its part {plain(m.filename)} unpacks {m.file_size // max(m.compress_size, 1):,} times larger "
                f"than it is stored (a zip bomb, not a budget workbook); it is not read."
            )


def check_extent(wb: Workbook, path: Path) -> None:
    """Refuse a worksheet that reaches beyond the rows and columns any budget workbook uses."""
    for ws in wb.worksheets:
        rows, cols = ws.max_row, ws.max_column
        if rows > MAX_WORKBOOK_ROWS or cols > MAX_WORKBOOK_COLUMNS:
            raise InputError(
                f"{plain(path.name)}: sheet “{plain(ws.title)}” has a cell at {get_column_letter(cols)}{rows}, beyond any budget "
                f"workbook ({MAX_WORKBOOK_ROWS:,} rows, {MAX_WORKBOOK_COLUMNS} columns); delete the stray cell and build again."
            )
