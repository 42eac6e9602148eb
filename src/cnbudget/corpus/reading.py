"""Reading and checking one file for the corpus, in this process or a worker: file → plain data.

The result holds only what the corpus stores (meta, findings, values), never the Disclosure, so that
a worker sends little back and the driver keeps nothing per document once it is stored.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

from cnbudget.errors import InputError
from cnbudget.i18n import Message
from cnbudget.model import Disclosure, Meta
from cnbudget.rules.findings import Finding
from cnbudget.rules.registry import Config

from .spec import corpus_spec


@dataclass(frozen=True, slots=True)
class ValueData:
    table_spec: str
    table_name: str
    side: str
    row_code: str
    row_label: str
    column: str
    printed: str
    value: str | None  # exact decimal as text, no exponent
    unit: str
    page: int | None
    line: int | None


@dataclass
class ReadResult:
    """What one file gave: meta, findings and values, or the one sentence saying why it could not be read."""

    path: str
    sha256: str
    size: int
    format: str = ""
    meta: Meta = field(default_factory=Meta)
    findings: list[Finding] = field(default_factory=list)
    values: list[ValueData] = field(default_factory=list)
    disclosure: bytes = b""  # the Disclosure as zlib-compressed JSON
    error: str = ""


def _decimal_text(value: object) -> str | None:
    if value is None:
        return None
    return format(value, "f")


def values_of(d: Disclosure) -> list[ValueData]:
    """Every table value, then every narrative figure (under the narrative pseudo-table of specs/corpus.json)."""
    out: list[ValueData] = []
    for table in d.tables:
        for row in table.rows:
            for v in row.values:
                number = v.amount.value if v.amount is not None else v.number
                unit = v.amount.unit if v.amount is not None else v.unit
                out.append(
                    ValueData(
                        table.spec_id, table.name, row.side, row.code, row.label, v.column, v.text,
                        _decimal_text(number), unit, v.location.page, v.location.line,
                    )
                )
    narrative = str(corpus_spec()["narrative_table"])
    for fact in d.facts:
        if fact.value is None:
            continue
        out.append(
            ValueData(
                "", narrative, "", "", fact.subject, fact.kind, fact.printed or str(fact.value),
                _decimal_text(fact.value), fact.unit, fact.location.page, fact.location.line,
            )
        )
    return out


def read_and_check(path: str, sha256: str, size: int, config: Config, ocr: bool = True) -> ReadResult:
    """Read and check one file. Never raises: an unreadable file comes back with its reason."""
    from cnbudget.api import check_one, read

    result = ReadResult(path=path, sha256=sha256, size=size)
    try:
        d = read(path, ocr=ocr)
        result.findings = check_one(d, config=config).findings
    except InputError as exc:
        result.error = str(exc)
        return result
    except Exception as exc:  # a bug must not stop a batch: the file is reported unreadable, with the reason
        result.error = Message("errors.run.check_failed", name=Path(path).name, error=type(exc).__name__)
        return result
    result.format = d.format
    result.meta = d.meta
    result.values = values_of(d)
    result.disclosure = pack(d)
    return result


def pack(d: Disclosure) -> bytes:
    return zlib.compress(d.model_dump_json().encode("utf-8"), 6)


def unpack(body: bytes) -> Disclosure:
    return Disclosure.model_validate_json(zlib.decompress(body))
