"""What kind of file an upload is, from its first bytes, never from its name or the browser's word.

The kinds are the ones the readers take (ingest/__init__.py read_layout): a PDF, a zip (a Word or Excel
document; the reader tells which by the parts inside and refuses any other zip in one sentence), a legacy
.xls or .doc (an OLE2 compound file holding a ``Workbook`` or ``WordDocument`` stream: its directory is
read from the whole file, so an encrypted or other OLE2 file is refused here), or a text
in UTF-8 or GB18030 (markdown, plain text, a web page). The text test is the text reader's own (ingest/text.py decode): no
NUL byte, decodable, at most 1% control characters. Anything else is refused before a job is made.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Literal

from cnbudget.ingest.ole import is_ole, ole_kind

Kind = Literal["pdf", "office", "text"]
ZIP_MAGIC = b"PK\x03\x04"
HEAD_BYTES = 65536  # what is looked at: the text reader judges the same sample
_CONTROL_SHARE = 0.01


def kind_of(head: bytes, complete: bool, path: Path | None = None) -> Kind | None:
    """The kind of a file whose first bytes are ``head`` (``complete``: the whole file), or None. An OLE2
    file is an Office document only when its directory (read from ``path``) holds a workbook or a Word stream."""
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF"):
        return "pdf"
    if head.startswith(ZIP_MAGIC):
        return "office"
    if is_ole(head):
        return "office" if path is not None and ole_kind(path) in ("xls", "doc") else None
    sample = head[:HEAD_BYTES]
    if not sample.strip() or b"\x00" in sample:
        return None
    text = _decoded(sample, final=complete and len(head) <= HEAD_BYTES)
    if text is None:
        return None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return "text" if controls <= len(text) * _CONTROL_SHARE else None


def _decoded(sample: bytes, final: bool) -> str | None:
    """The sample as UTF-8 or GB18030 text; a character cut at the end of a partial sample is allowed."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return codecs.getincrementaldecoder(encoding)().decode(sample, final=final)
        except UnicodeDecodeError:
            continue
    return None
