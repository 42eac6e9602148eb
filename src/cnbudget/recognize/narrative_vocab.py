"""The narrative reader's vocabulary: the patterns and word lists more than one of its steps reads.

Vocabularies and cue patterns are module-level tables, so that a new document variant is handled by
adding a row, not a branch. A pattern only one step reads lives in that step's module.
"""

from __future__ import annotations

import re

_CN = "一二三四五六七八九十"

# Enumerators that start a new item (and so a new paragraph) without being headings.
_ITEM_RE = re.compile(rf"^(?:[{_CN}]{{1,3}}[、．.]|[（(][{_CN}\d]{{1,3}}[)）]|\d{{1,2}}(?:、|[.．](?!\d))|注[：:]|说明[：:]|附件[：:])")

# Figures: a number and its unit. Money, percentages, counts and scores.
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"

# U+FFFD stands for a character the source does not map to text (ingest/sanitize.py): a figure touching one
# has lost a digit or a unit, so it is not read ('1,6�54.71万元' is not 54.71万元)
_UNREADABLE = "\ufffd"

_FIGURE_RE = re.compile(
    rf"(?<![\d.{_UNREADABLE}])(?<!\d,)(?P<num>{_NUM})\s*(?P<unit>%|％|亿元|万元|元|万人|万(?![人元])|人次|批次|台[（(]套[)）]|辆|个(?!百分点)|台|套|项(?!目)|家|名|户|人(?![民员])|次|分(?![钟类析配别期值数]))(?!{_UNREADABLE})"
)

_TAIL_FILLER_RE = re.compile(r"(?:均为|分别为|为|是|共有|共计|共|达|约|近|各|累计|[，,、：:])+$")
