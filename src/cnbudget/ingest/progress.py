"""Page progress of a long read, for a progress line on a terminal.

Reading an image-only PDF runs OCR page by page and takes minutes; the command line listens here and
shows where the read is. The reader only announces each page read; with no listener nothing happens,
and a worker process (check -j N) has none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

PageListener = Callable[[str, int, int, bool], None]  # source, page read (1-based), page count, read by OCR
_listeners: list[PageListener] = []


@contextmanager
def listening(listener: PageListener) -> Iterator[None]:
    """Call ``listener`` after every page a reader finishes, while the block runs."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def page_read(source: str, page: int, pages: int, ocr: bool) -> None:
    for listener in list(_listeners):
        listener(source, page, pages, ocr)
