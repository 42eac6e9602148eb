"""What a rule enforces, by name: 财预〔2016〕143号《地方预决算公开操作规程》第X条 rather than REG-04.

The regulations (文号, title) and the articles rules cite are data (specs/regulations.json); an id in
a rule's ``enforces`` that is not a regulation is an identity of shared/reference/identities.csv and is
cited as such.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from cnbudget.i18n import Message, t


@cache
def _data() -> dict[str, Any]:
    text = resources.files("cnbudget.specs").joinpath("regulations.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def is_regulation(ref: str) -> bool:
    return ref in _data()["regulations"]


def cite(ref: str, rule_id: str = "", year: int | None = None) -> Message:
    """One thing a rule enforces, named: a regulation by 文号, title and article; an identity by id."""
    data = _data()
    reg = data["regulations"].get(ref)
    if reg is None:
        return Message("citation.identity", id=ref)
    article = data["articles"].get(rule_id, {}).get(ref, "")
    title = f"{year}年{reg['title']}" if year is not None and ref in data["yearly"] else reg["title"]
    key = "citation.yearly" if year is None and ref in data["yearly"] else "citation.regulation"
    return Message(key, number=reg["number"], title=title, article=article)


def citations(rule_id: str, enforces: tuple[str, ...], year: int | None = None) -> list[Message]:
    """Everything a rule enforces, regulations first (the identities it checks follow)."""
    regs = [cite(r, rule_id, year) for r in enforces if is_regulation(r)]
    return regs + [cite(r, rule_id, year) for r in enforces if not is_regulation(r) and r != rule_id]


def cited(rule_id: str, enforces: tuple[str, ...], year: int | None = None, lang_code: str | None = None) -> str:
    """The citations as one line in ``lang_code`` ('' when the rule cites nothing)."""
    found = citations(rule_id, enforces, year)
    return t("citation.separator", lang_code).join(m.render(lang_code) for m in found)
