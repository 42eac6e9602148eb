"""Which elements of a web page its CSS lays out as boxes of their own (read by ingest/html.py).

A browser starts a new box for an element whose computed style says display: block, flex, grid,
list-item, table or flow-root, float: left or right, or position: absolute or fixed, and for every
child of a flex or grid container. Only those three properties are read, from the element's style
attribute and from the rules of the page's <style> elements whose selectors are simple: compounds
of a tag, classes and an id, joined by descendant (or child, read as descendant) combinators;
selectors with pseudo-classes, attributes or sibling combinators are left out. A rule inside an
@media block is taken as if its media matched. The work is bounded: a hostile sheet of endless
rules changes no more than a page's line breaks and never its reading time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_COMPOUND = re.compile(r"^([a-z][a-z0-9-]*|\*)?((?:[.#][A-Za-z_\-][\w\-]*)*)$")
_PART = re.compile(r"[.#][A-Za-z_\-][\w\-]*")
_BOX_DISPLAY = frozenset(("block", "flex", "grid", "list-item", "table", "flow-root"))
_CONTAINER_DISPLAY = frozenset(("flex", "inline-flex", "grid", "inline-grid"))
_PROPERTIES = ("display", "float", "position")
MAX_RULES = 1_000  # rules that set one of the properties above; real pages have tens
MAX_CHECKS = 2_000_000  # selector compounds tried against elements, for the whole page
MAX_CLASSES = 32  # classes of one element looked up


class Element(Protocol):
    """A parsed element (html.py's _Node): read-only but for ``box``."""

    @property
    def tag(self) -> str: ...
    @property
    def attrs(self) -> dict[str, str]: ...
    @property
    def children(self) -> Sequence[Element | str]: ...

    box: bool


@dataclass(frozen=True, slots=True)
class _Compound:
    tag: str  # "" for any
    classes: frozenset[str]
    ident: str

    def matches(self, node: Element) -> bool:
        if self.tag and self.tag != node.tag:
            return False
        if self.ident and node.attrs.get("id", "") != self.ident:
            return False
        return not self.classes or self.classes <= set(node.attrs.get("class", "").split())


@dataclass(frozen=True, slots=True)
class _Rule:
    chain: tuple[_Compound, ...]  # outermost first; the last one is the element's own
    declarations: tuple[tuple[str, str], ...]


def declarations(text: str) -> dict[str, str]:
    """The box-making properties of a declaration block ('float: right; color: red' → {'float': 'right'})."""
    out: dict[str, str] = {}
    for item in text.split(";"):
        name, _, value = item.partition(":")
        name = name.strip().lower()
        if name in _PROPERTIES:
            out[name] = value.replace("!important", "").strip().lower()
    return out


def _compound(text: str) -> _Compound | None:
    m = _COMPOUND.match(text)
    if m is None or not text:
        return None
    tag = (m.group(1) or "").lower()
    parts = _PART.findall(m.group(2) or "")
    classes = frozenset(p[1:] for p in parts if p[0] == ".")
    ids = [p[1:] for p in parts if p[0] == "#"]
    return _Compound("" if tag == "*" else tag, classes, ids[0] if ids else "")


def rules(sheets: Iterable[str]) -> list[_Rule]:
    """The simple rules of the style sheets that set display, float or position, in sheet order."""
    out: list[_Rule] = []
    for sheet in sheets:
        for selectors, body in _RULE.findall(_COMMENT.sub("", sheet)):
            found = tuple(declarations(body).items())
            if not found:
                continue
            for selector in selectors.split(","):
                parts = selector.replace(">", " ").split()
                chain = [_compound(p) for p in parts]
                if not parts or any(c is None for c in chain):
                    continue  # pseudo-classes, attributes, sibling combinators: not read
                out.append(_Rule(tuple(c for c in chain if c is not None), found))
                if len(out) >= MAX_RULES:
                    return out
    return out


class _Matcher:
    def __init__(self, found: list[_Rule]) -> None:
        self.by_key: dict[str, list[tuple[int, _Rule]]] = {}
        for order, rule in enumerate(found):
            last = rule.chain[-1]
            key = f"#{last.ident}" if last.ident else f".{min(last.classes)}" if last.classes else last.tag or "*"
            self.by_key.setdefault(key, []).append((order, rule))
        self.checks = 0

    def style(self, node: Element, ancestors: list[Element]) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.by_key and self.checks <= MAX_CHECKS:  # past the budget only style attributes are read
            keys = ["*", node.tag, *(f".{c}" for c in node.attrs.get("class", "").split()[:MAX_CLASSES])]
            if node.attrs.get("id"):
                keys.append(f"#{node.attrs['id']}")
            found = [item for k in dict.fromkeys(keys) for item in self.by_key.get(k, ())]
            self.checks += len(found)
            if self.checks <= MAX_CHECKS:
                for _order, rule in sorted(set(found), key=lambda item: item[0]):
                    if self._matches(rule.chain, node, ancestors):
                        out.update(rule.declarations)
        if "style" in node.attrs:
            out.update(declarations(node.attrs["style"]))
        return out

    def _matches(self, chain: tuple[_Compound, ...], node: Element, ancestors: list[Element]) -> bool:
        self.checks += 1
        if not chain[-1].matches(node):
            return False
        want = len(chain) - 2
        for ancestor in reversed(ancestors):
            if want < 0:
                break
            self.checks += 1
            if chain[want].matches(ancestor):
                want -= 1
        return want < 0


def mark_boxes(root: Element) -> None:
    """Set ``box`` on every element the page's CSS lays out as a box of its own."""
    sheets: list[str] = []
    todo: list[Element] = [root]
    styled = False
    while todo:
        node = todo.pop()
        styled = styled or "style" in node.attrs
        if node.tag == "style":
            sheets.append("".join(c for c in node.children if isinstance(c, str)))
        todo.extend(c for c in node.children if not isinstance(c, str))
    found = rules(sheets)
    if not found and not styled:
        return
    matcher = _Matcher(found)
    stack: list[tuple[Element, list[Element], bool]] = [(root, [], False)]
    while stack:
        node, ancestors, in_container = stack.pop()
        style = matcher.style(node, ancestors) if node.tag != "#root" else {}
        display = style.get("display", "")
        node.box = (
            in_container
            or display in _BOX_DISPLAY
            or style.get("float", "none") in ("left", "right")
            or style.get("position", "") in ("absolute", "fixed")
        )
        elements = [c for c in node.children if not isinstance(c, str)]
        if elements:
            inner = [*ancestors, node]
            container = display in _CONTAINER_DISPLAY
            stack.extend((c, inner, container) for c in elements)
