"""Reader for disclosures published as web pages (.html): running text and <table>s.

A web page has no pages: every Line and Cell has page None and a line number that counts what a
browser shows, in order — each block of text (a paragraph, a heading, a list item, a line ended
by <br>) one number, each table row one number — so a value is traced to that number and to its
row and column in its table. A table that holds another table is page layout, not data: its
text is read as lines and the inner tables as tables. Scripts, styles, the <head> and form
controls are not shown by a browser and are not read. Cells spanning rows and columns come out
as the PDF reader gives merged cells.

An element the page's CSS lays out as a box of its own is a block too, as a browser shows it: one
whose style (its style attribute, or a rule of the page's <style> sheets matched by tag, class, id
and descendant) says display: block / flex / grid / list-item / table, float: left / right or
position: absolute / fixed, and every child of a flex or grid container. So a 金额单位 floated to
the right of a table's title block, or set in its own <span> of a flex row, is its own line, not
glued to the 编制单位 before it. Only these few properties are read (css.py); nothing is fetched.

The page is parsed with the standard library's HTMLParser (no network, no scripts) into a small
tree, refused if it nests deeper or holds more elements than any real page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from cnbudget.errors import InputError
from cnbudget.i18n import Message, t
from cnbudget.ingest.css import mark_boxes
from cnbudget.ingest.office import Span, join_wrapped, place
from cnbudget.limits import MAX_MARKUP_DEPTH, MAX_MARKUP_ELEMENTS, MAX_TEXT_CHARS
from cnbudget.model import Grid, Layout, Line
from cnbudget.reasons import os_reason
from cnbudget.safe_text import plain

_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr"])
_HIDDEN = frozenset(
    ["head", "script", "style", "noscript", "template", "select", "option", "textarea", "button", "iframe", "object", "svg", "math"]
)
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_CELL = frozenset(("td", "th"))
_SECTION = frozenset(("thead", "tbody", "tfoot"))
_SPACE = re.compile(r"[ \t\r\n\f\u200b\xa0]+")  # &nbsp; collapses like a space
_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]{1,40})""", re.IGNORECASE)


@dataclass(slots=True)
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list[_Node | str] = field(default_factory=list)
    box: bool = False  # laid out as a box of its own by the page's CSS (css.py)


def looks_like_html(head: bytes) -> bool:
    """True when a file begins as a web page does (a doctype or <html>, maybe after a comment or XML declaration)."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return True
    return start.startswith((b"<?xml", b"<!--")) and b"<html" in start


def read_html(path: str) -> Layout:
    """Read a web-page disclosure into a Layout of Lines and Grids."""
    p = Path(path)
    name = plain(p.name)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(Message("errors.input.cannot_open", path=plain(path), why=os_reason(exc))) from None
    text = _decode(data, name)
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(t("formats.too_long", name=name, chars=f"{len(text):,}", limit=f"{MAX_TEXT_CHARS:,}"))
    builder = _TreeBuilder(name)
    builder.feed(text)
    builder.close()
    mark_boxes(builder.root)
    flow = _Flow(name)
    flow.walk(builder.root)
    flow.flush()
    layout = Layout(source=str(path), format="html", blocks=flow.blocks)
    if not layout.blocks:
        raise InputError(t("formats.no_text", name=name))
    return layout


def _decode(data: bytes, name: str) -> str:
    """The page's text: by its byte-order mark, else its declared charset, else UTF-8, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    candidates = ["utf-8", "gb18030"]
    declared = _CHARSET.search(data[:4096])
    if declared:
        charset = declared.group(1).decode("ascii").lower()
        charset = "gb18030" if charset in ("gb2312", "gbk", "gb18030", "x-gbk") else charset
        candidates.insert(0, charset)
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError(t("formats.undecodable", name=name))


class _TreeBuilder(HTMLParser):
    """HTML → a tree of _Node, closing what HTML leaves implied (a <td> by the next <td>, a <p> by the next <p>)."""

    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.root = _Node("#root", {})
        self.stack: list[_Node] = [self.root]
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _CELL:
            self._close_within(("td", "th"), stop=("table",))
        elif tag == "tr":
            self._close_within(("tr",), stop=("table",))
        elif tag in _SECTION:
            self._close_within(tuple(_SECTION), stop=("table",))
        elif tag == "li":
            self._close_within(("li",), stop=("ul", "ol"))
        elif tag in ("p", "div", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol") and self.stack[-1].tag == "p":
            self.stack.pop()
        self.count += 1
        if self.count > MAX_MARKUP_ELEMENTS:
            raise InputError(t("formats.too_many", name=self.name, limit=f"{MAX_MARKUP_ELEMENTS:,}"))
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)
            if len(self.stack) > MAX_MARKUP_DEPTH:
                raise InputError(t("formats.too_deep", name=self.name, limit=MAX_MARKUP_DEPTH))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
            if self.stack[i].tag == "table" and tag != "table":
                return  # a stray end tag does not close the table around it

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def _close_within(self, tags: tuple[str, ...], stop: tuple[str, ...]) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            here = self.stack[i].tag
            if here in stop:
                return
            if here in tags:
                del self.stack[i:]
                return


def _has_table(node: _Node) -> bool:
    todo = [c for c in node.children if isinstance(c, _Node)]
    while todo:
        n = todo.pop()
        if n.tag == "table":
            return True
        todo.extend(c for c in n.children if isinstance(c, _Node))
    return False


def _span(value: str | None) -> int:
    try:
        return max(1, int((value or "1").strip()))
    except ValueError:
        return 1


@dataclass
class _Flow:
    """Walks the tree as a browser lays it out: text gathers into a line until a block boundary."""

    name: str
    blocks: list[Line | Grid] = field(default_factory=list)
    number: int = 0
    buffer: list[str] = field(default_factory=list)

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.buffer)).strip()
        self.buffer.clear()
        if text:
            self.number += 1
            self.blocks.append(Line(text, None, self.number))

    def walk(self, node: _Node) -> None:
        todo: list[_Node | str | None] = [node]  # None marks the end of a block element
        while todo:
            item = todo.pop()
            if item is None:
                self.flush()
                continue
            if isinstance(item, str):
                self.buffer.append(item)
                continue
            if item.tag in _HIDDEN:
                continue
            if item.tag == "br":
                self.flush()
                continue
            if item.tag == "table" and not _has_table(item):
                self.flush()
                self.table(item)
                continue
            block = item.tag in _BLOCK or item.box
            if block:
                self.flush()
                todo.append(None)
            todo.extend(reversed(item.children))

    def table(self, table: _Node) -> None:
        caption: list[str] = []
        rows: list[_Node] = []
        todo: list[_Node | str] = list(reversed(table.children))
        while todo:
            item = todo.pop()
            if isinstance(item, str):
                continue
            if item.tag == "tr":
                rows.append(item)
            elif item.tag == "caption":
                caption.append(_text(item))
            elif item.tag not in _HIDDEN:
                todo.extend(reversed(item.children))
        for text in caption:
            self.buffer.append(text)
            self.flush()
        if not rows:
            return
        spans: list[list[Span]] = []
        lines: list[int] = []
        for tr in rows:
            self.number += 1
            lines.append(self.number)
            spans.append(
                [
                    Span(_text(c), colspan=_span(c.attrs.get("colspan")), rowspan=_span(c.attrs.get("rowspan")))
                    for c in tr.children
                    if isinstance(c, _Node) and c.tag in _CELL
                ]
            )
        self.blocks.append(Grid(rows=place(spans, lines, None, self.name), page=None, line=lines[0]))


def _text(node: _Node) -> str:
    """A cell's text: its lines (ended by <br> or a block) joined as the PDF reader joins a cell's lines."""
    lines: list[str] = []
    current: list[str] = []
    todo: list[_Node | str | None] = [node]
    while todo:
        item = todo.pop()
        if item is None or (isinstance(item, _Node) and item.tag == "br"):
            lines.append(_SPACE.sub(" ", "".join(current)).strip())
            current = []
            continue
        if isinstance(item, str):
            current.append(item)
            continue
        if item.tag in _HIDDEN:
            continue
        if (item.tag in _BLOCK or item.box) and item is not node:
            lines.append(_SPACE.sub(" ", "".join(current)).strip())
            current = []
            todo.append(None)
        todo.extend(reversed(item.children))
    lines.append(_SPACE.sub(" ", "".join(current)).strip())
    return join_wrapped([x for x in lines if x])
