"""Is a text the characters a disclosure prints, or valid Unicode that nobody printed (mojibake)?

Text decoded with the wrong table is made of real characters: GBK bytes read as Latin-1 give
'Ô¤Ëã', UTF-8 read as GBK gives '棰勭畻', a PDF font whose ToUnicode map points at other code
points gives other Hanzi. Nothing downstream can tell such text from a document: labels, titles
and sentences would be read as printed and every rule would judge them. So the text is judged by
data (``specs/plausible.json``): the share of its characters outside those disclosures print, and
the share of its pairs of adjacent Hanzi among the pairs disclosures print (a map onto other common
characters keeps the characters plausible, never the words).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
# Not counted: what ingest/sanitize.py marks unreadable (U+FFFD, controls, surrogates, private-use glyphs), and
# invisible format characters — the sanitizer's business, not a question of which characters were printed.
_PRIVATE = re.compile("[\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff]")


@dataclass(frozen=True)
class _Data:
    characters: frozenset[str]
    bigrams: frozenset[str]
    min_characters: int
    max_rare_share: float
    min_bigrams: int
    min_bigram_share: float


@lru_cache(maxsize=1)
def _data() -> _Data:
    raw = json.loads(resources.files("cnbudget.specs").joinpath("plausible.json").read_text(encoding="utf-8"))
    return _Data(
        characters=frozenset(raw["characters"]),
        bigrams=frozenset(raw["bigrams"].split()),
        min_characters=int(raw["min_characters"]),
        max_rare_share=float(raw["max_rare_share"]),
        min_bigrams=int(raw["min_bigrams"]),
        min_bigram_share=float(raw["min_bigram_share"]),
    )


@dataclass(frozen=True)
class Judgement:
    """What was counted: non-ASCII characters and the rare ones; Hanzi pairs and the common ones."""

    characters: int
    rare: int
    pairs: int
    common_pairs: int

    @property
    def rare_share(self) -> float:
        return self.rare / self.characters if self.characters else 0.0

    @property
    def pair_share(self) -> float:
        return self.common_pairs / self.pairs if self.pairs else 1.0

    @property
    def implausible(self) -> bool:
        d = _data()
        if self.characters >= d.min_characters and self.rare_share > d.max_rare_share:
            return True
        return self.pairs >= d.min_bigrams and self.pair_share < d.min_bigram_share


def judge(text: str) -> Judgement:
    """Count what ``text`` holds."""
    d = _data()
    counted = rare = 0
    for ch, n in Counter(text).items():  # each distinct character once: a page repeats most of its characters
        if ord(ch) > 0x7F and ch.isprintable() and not ch.isspace() and not _PRIVATE.match(ch):
            counted += n
            if ch not in d.characters:
                rare += n
    pairs = common = 0
    for run in _HAN_RUN.findall(text):
        pairs += len(run) - 1
        common += sum(map(d.bigrams.__contains__, map(str.__add__, run, run[1:])))  # each adjacent pair
    return Judgement(counted, rare, pairs, common)


def implausible(text: str) -> bool:
    """True when ``text`` is too long to be judged by chance and is not Chinese a disclosure prints."""
    return judge(text).implausible
