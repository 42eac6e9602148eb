"""Legacy Office files (.xls, .doc) known by content: an OLE2 compound file and the stream it holds.

An OLE2 file starts with D0CF11E0A1B11AE1 whatever it carries: a BIFF workbook (stream ``Workbook``,
or ``Book`` before Excel 97), a Word 97 document (``WordDocument``), or an encrypted Office Open XML
file (``EncryptedPackage``) among others. The directory is read with xlrd's compound-document parser
(the file mapped, not copied); a damaged directory makes the file "damaged", never a guess.
"""

from __future__ import annotations

import io
import mmap
from pathlib import Path
from typing import Literal

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OleKind = Literal["xls", "doc", "other", "damaged"]
_STREAMS: dict[str, OleKind] = {"Workbook": "xls", "Book": "xls", "WordDocument": "doc"}


def is_ole(head: bytes) -> bool:
    return head.startswith(OLE_MAGIC)


def ole_kind(path: Path) -> OleKind:
    """'xls' or 'doc' by the stream the compound file holds; 'other' for any other one (an encrypted
    file, a .ppt, a .msg); 'damaged' when its directory cannot be read."""
    from xlrd.compdoc import CompDoc

    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mem:
            names = {entry.name for entry in CompDoc(mem, logfile=io.StringIO()).dirlist}
    except Exception:  # xlrd raises CompDocError, struct.error, IndexError … for a damaged directory
        return "damaged"
    if "EncryptedPackage" in names:
        return "other"
    return next((kind for stream, kind in _STREAMS.items() if stream in names), "other")
