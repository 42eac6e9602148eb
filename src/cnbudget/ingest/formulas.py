"""Formula cells of an .xlsx and the value each was last computed to, read from the sheets' XML.

Excel stores a formula with the value it last computed (``<c><f>SUM(C7:C9)</f><v>12.5</v></c>``), and
that value is what a reader sees. A tool that writes formulas without computing them (openpyxl, many
scripts and converters) stores no value: the cell then reads as empty, and an amount the officer
typed as ``=100+20`` would vanish without a word. This module finds such cells so that the readers
can say so, naming the sheet and the cells; opening and saving the file in Excel or WPS computes them.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree as ET

from cnbudget.errors import InputError
from cnbudget.i18n import t
from cnbudget.ingest.office import has_part, local, open_archive, parse_part, read_part
from cnbudget.ingest.xlsx import sheet_parts
from cnbudget.safe_text import plain

# sheet title → cell reference ('C7') → the value Excel last computed, as stored text; None: never computed
Formulas = dict[str, dict[str, str | None]]

MAX_LISTED_CELLS = 8  # a sentence names this many cells, then says how many more


def formula_cells(path: Path) -> Formulas:
    """Every formula cell of every sheet with its stored result (None when the file holds none)."""
    name = plain(path.name)
    out: Formulas = {}
    with open_archive(path) as archive:
        strings: list[str] | None = None
        for title, part in _sheet_parts(archive, name):
            cells: dict[str, str | None] = {}
            for ref, kind, value in _formulas(archive, part, name):
                if kind == "s" and value is not None:  # a computed text kept among the shared strings (rare)
                    strings = strings if strings is not None else _shared_strings(archive, name)
                    index = int(value) if value.isdigit() else -1
                    value = strings[index] if 0 <= index < len(strings) else None
                cells[ref] = value
            if cells:
                out[title] = cells
    return out


def uncalculated(formulas: Formulas) -> dict[str, list[str]]:
    """Sheet title → the references of its formula cells that hold no computed value, in sheet order."""
    return {title: refs for title, cells in formulas.items() if (refs := [ref for ref, value in cells.items() if value is None])}


def cells_text(refs: list[str]) -> str:
    """A few cell references for a sentence: 'C7、C8、D9', or the first ones and how many in all."""
    if len(refs) <= MAX_LISTED_CELLS:
        return "、".join(refs)
    return t("workbook_formulas.cells_more", cells="、".join(refs[:MAX_LISTED_CELLS]), n=len(refs))


# ---------------------------------------------------------------------------------------------


def _sheet_parts(archive: zipfile.ZipFile, name: str) -> list[tuple[str, str]]:
    """(sheet title, part name) of every worksheet, hidden ones too, in the workbook's order."""
    return [(title, part) for title, part, _visible in sheet_parts(archive, name)]


def _formulas(archive: zipfile.ZipFile, part: str, name: str) -> list[tuple[str, str, str | None]]:
    """(reference, cell type, stored value or None) of each formula cell of one sheet part."""
    data = read_part(archive, part, name)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InputError(t("formats.xml_dtd", name=name, part=plain(part)))
    out: list[tuple[str, str, str | None]] = []
    try:
        for _event, element in ET.iterparse(BytesIO(data), events=("end",)):
            if local(element.tag) == "row":
                for c in element:
                    if local(c.tag) != "c" or not any(local(child.tag) == "f" for child in c):
                        continue
                    kind = c.get("t") or "n"
                    value = next((child.text for child in c if local(child.tag) == "v"), None) or ""
                    # an empty <v> is a computed empty text only in a text cell; a number is never empty
                    out.append((c.get("r") or "", kind, value if value or kind == "str" else None))
                element.clear()
    except ET.ParseError as exc:
        raise InputError(t("formats.xml_bad", name=name, part=plain(part), why=plain(exc))) from None
    return out


def _shared_strings(archive: zipfile.ZipFile, name: str) -> list[str]:
    if not has_part(archive, "xl/sharedStrings.xml"):
        return []
    return ["".join(x.text or "" for x in si.iter() if local(x.tag) == "t") for si in parse_part(archive, "xl/sharedStrings.xml", name)]
