"""What the Word, Excel and web-page readers share: the zip archive, its XML parts, table spans.

A .docx or .xlsx is a zip of XML parts. A few hundred KB can unpack to gigabytes (a zip bomb) and
an XML part could declare entities that expand without end; both are refused with one sentence
before any of that work starts. Table cells spanning rows and columns are laid out here the way
the PDF reader lays out merged cells: the spanning cell holds the text and its spans, every
position it covers is a blank cell, so recognition sees one shape whatever the format.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from cnbudget.errors import InputError
from cnbudget.i18n import t
from cnbudget.limits import MAX_GRID_COLUMNS, MAX_MARKUP_ELEMENTS, MAX_UNZIPPED_BYTES, MAX_ZIP_RATIO
from cnbudget.model import Cell
from cnbudget.reasons import xml_reason, zip_reason
from cnbudget.safe_text import plain

_SMALL_MEMBER = 4 * 1024 * 1024  # members below this are never zip bombs, whatever their ratio
_MB = 1024 * 1024


def open_archive(path: Path) -> zipfile.ZipFile:
    """The zip archive of an Office file, refused if it unpacks beyond any disclosure."""
    name = plain(path.name)
    try:
        archive = zipfile.ZipFile(path)
        members = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError) as exc:  # 'zip file version 14.8'
        raise InputError(t("formats.zip_broken", name=name, why=zip_reason(exc))) from None
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        archive.close()
        raise InputError(t("formats.unzips_to", name=name, mb=f"{total // _MB:,}", limit=MAX_UNZIPPED_BYTES // _MB))
    for m in members:
        if m.file_size > _SMALL_MEMBER and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1):
            archive.close()
            ratio = f"{m.file_size // max(m.compress_size, 1):,}"
            raise InputError(t("formats.zip_bomb", name=name, part=plain(m.filename), ratio=ratio))
    return archive


def office_kind(archive: zipfile.ZipFile) -> str | None:
    """'docx' or 'xlsx' by the parts the archive holds (never by the file's name); None for any other zip."""
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def has_part(archive: zipfile.ZipFile, part: str) -> bool:
    return part in set(archive.namelist())


def read_part(archive: zipfile.ZipFile, part: str, name: str) -> bytes:
    """One part's bytes, read no further than its declared size allows (a lying header is cut short)."""
    try:
        info = archive.getinfo(part)
    except KeyError:
        raise InputError(t("formats.part_missing", name=name, part=plain(part))) from None
    try:
        with archive.open(info) as fh:
            data = fh.read(MAX_UNZIPPED_BYTES + 1)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise InputError(t("formats.zip_broken", name=name, why=zip_reason(exc))) from None
    if len(data) > MAX_UNZIPPED_BYTES:
        raise InputError(t("formats.unzips_to", name=name, mb=f"{len(data) // _MB:,}", limit=MAX_UNZIPPED_BYTES // _MB))
    return data


def parse_part(archive: zipfile.ZipFile, part: str, name: str) -> ET.Element:
    """One XML part as an element tree. Office parts never declare a DTD or entities: one that does is refused."""
    data = read_part(archive, part, name)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InputError(t("formats.xml_dtd", name=name, part=plain(part)))
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError(t("formats.xml_bad", name=name, part=plain(part), why=xml_reason(exc))) from None


def local(tag: str) -> str:
    """An element's name without its namespace ('{…/main}p' → 'p'): transitional and strict OOXML alike."""
    return tag.rsplit("}", 1)[-1]


def attr(element: ET.Element, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace."""
    for key, value in element.attrib.items():
        if local(key) == name:
            return value
    return None


def join_wrapped(texts: Sequence[str]) -> str:
    """Join the lines of one cell as the PDF reader does: no separator, except a space between two Latin words."""
    out = ""
    for text in texts:
        text = text.strip()
        if out and text and out[-1].isalpha() and out[-1].isascii() and text[0].isalpha() and text[0].isascii():
            out += " "
        out += text
    return out


@dataclass(slots=True)
class Span:
    """A table cell as a format states it: its text, how many columns and rows it spans, where it is."""

    text: str
    colspan: int = 1
    rowspan: int = 1


def place(rows: Sequence[Sequence[Span]], lines: Sequence[int], page: int | None, name: str) -> list[list[Cell]]:
    """Lay spanning cells out on the table's grid (the HTML table algorithm): a spanning cell keeps its
    text and spans, each position it covers is a blank cell. ``lines[i]`` is row i's line number."""
    taken: dict[tuple[int, int], bool] = {}
    placed: list[dict[int, Cell]] = [{} for _ in rows]
    width = 0
    count = 0
    for r, spans in enumerate(rows):
        c = 0
        for span in spans:
            while taken.get((r, c)):
                c += 1
            colspan = max(1, min(span.colspan, MAX_GRID_COLUMNS + 1 - c))
            rowspan = max(1, min(span.rowspan, len(rows) - r))
            count += colspan * rowspan
            if count > MAX_MARKUP_ELEMENTS:
                raise InputError(t("formats.too_many", name=name, limit=f"{MAX_MARKUP_ELEMENTS:,}"))
            placed[r][c] = Cell(span.text, page, lines[r], colspan=colspan, rowspan=rowspan)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = True
                    if dr or dc:
                        placed[r + dr][c + dc] = Cell("", page, lines[r + dr])
            c += colspan
            width = max(width, c)
    return [[row.get(c) or Cell("", page, lines[r]) for c in range(width)] for r, row in enumerate(placed)]
