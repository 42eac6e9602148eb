"""One disclosure, two formats: a file whose figures are those of a stored version, read from another format.

A department publishes its PDF and a Word copy; a reviewer adds the text conversion of a PDF. Both
name the same disclosure (department, year, kind, scope) and print the same figures: they are one
version with two files, not a corrected version. The test is on the figures, never on the file
name: every value both readings hold is equal (a table row's amount, a narrative figure), and the
one that read less (a plain-text extraction misses a cell the PDF reader gets) holds nothing the
other does not, and at least ``MIN_SHARED`` of the other's values. A correction changes a figure
or adds one: it stays a new version. When the new file is the fuller reading of the two, the version
is read from it from then on (its figures and findings), and the other file becomes the further one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from cnbudget.numbers import strip_ordinal

from .models import ValueRow, Version, VersionFile
from .reading import ValueData

MIN_SHARED = Decimal("0.9")
"""The smaller reading holds at least this share of the larger one's values (the Wanli 2024 PDF and its
pdfplumber text: 1,033 of 1,062 — the text reader misses some 财政拨款收支总表 cells)."""

_Key = tuple[str, str, str, str, str, str]  # table spec, table name, side, row, column, number


def _key(table_spec: str, table_name: str, side: str, code: str, label: str, column: str, value: str | None) -> _Key | None:
    """A value as it is compared across formats: its table, row (code, else label), column and exact number."""
    if value is None:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    row = code or strip_ordinal(label)[1]  # '一、一般公共预算财政拨款' and a reprint's '一般公共预算财政拨款' are one row
    return (table_spec, table_name, side, row, column, format(number.normalize(), "f"))


def _figures(values: list[ValueData]) -> Counter[_Key]:
    keys = (_key(v.table_spec, v.table_name, v.side, v.row_code, v.row_label, v.column, v.value) for v in values)
    return Counter(k for k in keys if k is not None)


def _stored(session: Session, version_id: int) -> Counter[_Key]:
    stmt = select(
        ValueRow.table_spec, ValueRow.table_name, ValueRow.side, ValueRow.row_code, ValueRow.row_label, ValueRow.column, ValueRow.value
    ).where(ValueRow.version_id == version_id)
    keys = (_key(*row) for row in session.execute(stmt))
    return Counter(k for k in keys if k is not None)


def same_figures(a: Counter[_Key], b: Counter[_Key]) -> bool:
    """True when one reading's values are all in the other and cover at least MIN_SHARED of it."""
    small, large = (a, b) if a.total() <= b.total() else (b, a)
    if not small or small - large:
        return False
    return Decimal(small.total()) >= MIN_SHARED * large.total()


def formats_of(session: Session, version: Version) -> set[str]:
    """The formats a version has been read from: its own file's and every further file's."""
    extra = session.scalars(select(VersionFile.format).where(VersionFile.version_id == version.id))
    return {version.format, *extra}


@dataclass(frozen=True, slots=True)
class Twin:
    """A file that is a stored version read from another format: how many figures each reading holds."""

    figures: int  # in this file
    stored: int  # in the version as stored

    @property
    def fuller(self) -> bool:
        """This file read more of the same figures (a PDF after its plain-text extraction): the version
        should be read from it."""
        return self.figures > self.stored


def second_format_of(session: Session, version: Version | None, file_format: str, values: list[ValueData]) -> Twin | None:
    """A Twin when ``values`` (read from a file in ``file_format``) are the figures of ``version``, read
    from a format that version has not been read from yet; None otherwise."""
    if version is None or not file_format or file_format in formats_of(session, version):
        return None
    mine, stored = _figures(values), _stored(session, version.id)
    return Twin(mine.total(), stored.total()) if same_figures(mine, stored) else None
