"""Narrative, step 5: the figures of one unit (an enumerated item and its continuation) bound into facts.

What kind of figure it is comes from the words just before it (占… → share, 比上年增加 → change,
年初预算为 → budget …), what it is about from the words before those, carried over from the
previous clause when omitted; budget, actual and completion figures of one subject are grouped
across sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from cnbudget.limits import MAX_SENTENCE_CHARS
from cnbudget.model import Fact, Line
from cnbudget.recognize.narrative_blocks import _has_figure, _location, _Para
from cnbudget.recognize.narrative_figures import _sentences, _Tok, _tokens
from cnbudget.recognize.narrative_subjects import _item_subject, _subject
from cnbudget.recognize.narrative_vocab import _ITEM_RE, _TAIL_FILLER_RE

_YEAR_REF_RE = re.compile(r"\d{4}|上年|上一年|去年|上一度")

# Cues at the end of the words before a figure.
_SHARE_CUE_RE = re.compile(r"^[（(]?占")

_COMPLETION_CUE_RE = re.compile(r"完成(?:年初)?预算(?:数)?的$|(?:完成|执行)率(?:为|是)?$")

_CHANGE_CUE_RE = re.compile(
    r"^(?P<pre>.*?)(?:(?:比|较|同比)(?P<base>.*?)|(?:与|和)(?P<base2>.*?)相比)?"
    r"(?P<dir>增加|减少|新增|增长|下降|降低|上升|减)了?(?:[（(][^）)]*[）)])?$"
)

_BUDGET_CUE_RE = re.compile(r"(?P<cue>(?P<early>年初)?预算(?P<shu>数)?(?P<wei>为|是)?)$")

_ACTUAL_CUE_RE = re.compile(r"(?P<cue>决算(?:数)?(?:为|是)?)$")

_CHANGED_CLAUSE_RE = re.compile(r"(?:增加|减少|增长|下降)$")  # '项目支出增加，较上年增加A万元'

_DIRECTIONS = {"增加": "增加", "增长": "增加", "上升": "增加", "新增": "新增", "减少": "减少", "下降": "减少", "降低": "减少", "减": "减少"}

_SCORE_WORD_RE = re.compile(r"(?:自评|评价|绩效)?(?:得分|评分|分数)")

_COUNT_VERB_END_RE = re.compile(r"(?:设|有|包括|以及|和|及|下属|内设|的|涵盖|涉及|开展|安排|完成|等|为|是)$")

# Subjects printed short for a total named just before ('收入增加…' after '收入总计…').
_ABBREVIATED_SUBJECTS = frozenset({"收入", "支出", "收支"})

# Subjects that name nothing by themselves: the figure is about the previous subject.
_GENERIC_SUBJECTS = frozenset(
    {"", "预算数", "决算数", "预算", "决算", "支出", "收入", "金额", "支出决算", "年初预算", "年初预算数", "合计", "总额", "其中"}
)


@dataclass
class _Group:
    """Budget, actual and completion figures of one subject, which may span sentences."""

    subject: str
    key: tuple[int, int, int]
    src: Line
    sentences: list[str] = field(default_factory=list)
    budget: _Tok | None = None
    budget_lead: str = ""
    actual: _Tok | None = None
    actual_subject: str = ""
    pct: _Tok | None = None
    vs: _Tok | None = None
    vs_direction: str = ""
    vs_pct: _Tok | None = None
    flat: bool = False
    shared: bool = False  # the actual was stated with its share ('决算0万元，占0%'): that fact says it


class _UnitReader:
    """Turns the figures of one unit into facts, keeping what later clauses refer back to."""

    def __init__(self, source: str, section: str, para_index: int) -> None:
        self.source = source
        self.section = section
        self.para_index = para_index
        self.out: list[tuple[tuple[int, int, int], Fact]] = []
        self.amounts: dict[str, tuple[Decimal, str]] = {}  # subject → (value, printed) stated so far
        self.last_subject = ""
        self.last_count_subject = ""
        self.item_subject = ""
        self.group: _Group | None = None
        # where we are
        self.para = _Para()
        self.p = 0
        self.offset = 0
        self.sentence = ""
        self.prev: tuple[str, Fact | None] = ("", None)  # role of the previous figure in the sentence, and its fact
        self.amount_like: tuple[_Tok, str] | None = None  # the last amount (or actual) in the sentence, and its subject

    # -- driving -------------------------------------------------------------------------------

    def read(self, paras: list[_Para]) -> list[tuple[tuple[int, int, int], Fact]]:
        self.item_subject = _item_subject(paras[0].text) if _ITEM_RE.match(paras[0].text) else ""
        for p, para in enumerate(paras):
            self.para, self.p = para, p
            self.last_subject = ""  # an unnamed subject is carried within a paragraph only
            for offset, sentence in _sentences(para.text):
                if len(sentence) > MAX_SENTENCE_CHARS:
                    continue  # no real sentence is this long: its figures are not read (each fact would carry all of it)
                self.sentence, self.offset = sentence, offset
                self.prev, self.amount_like = ("", None), None
                for tok in _tokens(sentence):
                    if tok.kind == "money":
                        self._money(tok)
                    elif tok.kind == "pct":
                        self._pct(tok)
                    elif tok.kind == "count":
                        self._count(tok)
                    elif tok.kind == "score":
                        self._score(tok)
                    else:
                        self._flat(tok)
        self._flush_group()
        return self.out

    # -- helpers -------------------------------------------------------------------------------

    def _key(self, tok: _Tok, rank: int = 1) -> tuple[int, int, int]:
        """Facts are ordered by where their figure stands; a completion before the share it holds."""
        return (self.para_index + self.p, self.offset + tok.start, rank)

    def _src(self, tok: _Tok) -> Line:
        return self.para.line_at(self.offset + tok.start)

    def _new(self, tok: _Tok, kind: str, subject: str, **fields: object) -> Fact:
        """A fact stated at tok, in the current sentence and section."""
        fact = Fact.model_validate(
            {
                "kind": kind,
                "subject": subject,
                "sentence": self.sentence,
                "section": self.section,
                "location": _location(self._src(tok), self.source),
                **fields,
            }
        )
        self.out.append((self._key(tok), fact))
        return fact

    def _new_change(self, tok: _Tok, subject: str, direction: str, **fields: object) -> Fact:
        """A change on last year; its value is the subject's current amount if the paragraph stated it."""
        value, printed = self.amounts.get(subject, (None, ""))
        return self._new(tok, "change", subject, value=value, unit="万元", printed=printed, direction=direction, **fields)

    def _resolve(self, subject: str) -> str:
        """An explicit subject, completed from the paragraph ('收入' → '收入总计'), or the carried one."""
        if subject in _ABBREVIATED_SUBJECTS:
            for known in reversed(list(self.amounts)):
                if known.startswith(subject):
                    return known
        if subject in _GENERIC_SUBJECTS:
            return self.last_subject or self.item_subject
        return subject

    def _fallback_subject(self, tok: _Tok) -> str:
        """For a figure with no subject words: the figure-free clause before it, else the carried one."""
        prev = _subject(tok.prev_clause)
        if prev and prev not in _GENERIC_SUBJECTS:
            return prev
        return self.last_subject or self.item_subject

    def _change_subject(self, tok: _Tok, pre: str) -> str:
        """The subject of '…增加A万元': named before the verb, or in a clause like '项目支出增加，', or carried."""
        subject = _subject(pre)
        if not subject and _CHANGED_CLAUSE_RE.search(tok.prev_clause) and not _has_figure(tok.prev_clause):
            subject = _subject(tok.prev_clause)
        return self._resolve(subject)

    def _remember(self, subject: str, tok: _Tok) -> None:
        self.amounts[subject] = (tok.value, tok.printed)
        self.last_subject = subject

    # -- money ---------------------------------------------------------------------------------

    def _money(self, tok: _Tok) -> None:
        lead = tok.lead
        change = _CHANGE_CUE_RE.match(lead)
        if change:
            base = change.group("base") or change.group("base2") or ""
            direction = _DIRECTIONS[change.group("dir")]
            if "预算" in base and not _YEAR_REF_RE.search(base):  # '比年初预算减少0.55万元': against the budget
                group = self._group_slot(tok, "vs", None)
                group.vs_direction = direction
                self.prev = ("vs", None)
                return
            subject = self._change_subject(tok, change.group("pre"))
            fact = self._new_change(tok, subject, direction, change=tok.value, change_printed=tok.printed)
            self.prev = ("change", fact)
            return
        actual = _ACTUAL_CUE_RE.search(lead)
        if actual:
            named = _subject(lead[: actual.start()])
            group = self._group_slot(tok, "actual", named if named not in _GENERIC_SUBJECTS else None)
            group.actual_subject = named or group.subject
            self._remember(group.subject, tok)
            self.amount_like = (tok, group.subject)
            self.prev = ("actual", None)
            return
        budget = _BUDGET_CUE_RE.search(lead)
        if budget and (budget.group("early") or budget.group("shu") or budget.group("wei")):
            named = _subject(lead[: budget.start()])
            group = self._group_slot(tok, "budget", named if named not in _GENERIC_SUBJECTS else None)
            group.budget_lead = lead
            full = _subject(lead)  # '“三公”经费预算' if nothing else follows
            if full not in _GENERIC_SUBJECTS:
                self._remember(full, tok)
            self.prev = ("budget", None)
            return
        subject = _subject(lead)
        if subject in _GENERIC_SUBJECTS:
            subject = self._fallback_subject(tok)
        fact = self._new(tok, "amount", subject, value=tok.value, unit=tok.unit, printed=tok.printed)
        self._remember(subject, tok)
        self.amount_like = (tok, subject)
        self.prev = ("amount", fact)

    # -- percentages ---------------------------------------------------------------------------

    def _pct(self, tok: _Tok) -> None:
        lead = tok.lead
        if _SHARE_CUE_RE.match(lead):
            self._share(tok)
            return
        if _COMPLETION_CUE_RE.search(lead):
            self._group_slot(tok, "pct", None)
            self.prev = ("pct", None)
            return
        change = _CHANGE_CUE_RE.match(lead)
        if change:
            kind, fact = self.prev
            if kind == "change" and fact is not None and fact.percent is None:
                fact.percent, fact.percent_printed = tok.value, tok.printed
                return
            if kind == "vs" and self.group is not None and self.group.vs_pct is None:
                self.group.vs_pct = tok
                return
            subject = self._change_subject(tok, change.group("pre"))
            fact = self._new_change(tok, subject, _DIRECTIONS[change.group("dir")], percent=tok.value, percent_printed=tok.printed)
            self.prev = ("change_pct", fact)
            return
        subject = _subject(lead)
        if subject in _GENERIC_SUBJECTS:
            subject = self._fallback_subject(tok)
        self._new_percent(tok, subject)

    def _new_percent(self, tok: _Tok, subject: str) -> None:
        self._new(tok, "percent", subject, value=tok.value, unit="%", printed=tok.printed, percent=tok.value, percent_printed=tok.printed)
        self.prev = ("percent", None)

    def _share(self, tok: _Tok) -> None:
        """'a万元，占p%': the share of the amount just stated; a bare '占p%' keeps its subject."""
        kind, fact = self.prev
        if kind == "amount" and fact is not None and fact.percent is None:
            fact.kind, fact.percent, fact.percent_printed = "share", tok.value, tok.printed
            self.prev = ("share", fact)
            return
        if self.amount_like is not None and kind in ("pct", "actual"):  # '支出决算0万元，完成预算的0%，占0%'
            at, subject = self.amount_like
            if self.group is not None and self.group.actual is at:
                self.group.shared = True
            self._new(
                at, "share", subject, value=at.value, unit=at.unit, printed=at.printed, percent=tok.value, percent_printed=tok.printed
            )
            self.prev = ("share", None)
            return
        self._new_percent(tok, self._fallback_subject(tok))

    # -- counts, scores and 持平 -----------------------------------------------------------------

    def _score(self, tok: _Tok) -> None:
        """'自评得分99分' in an enumerated project item is that project's score."""
        subject = _subject(tok.lead)
        if (not subject or _SCORE_WORD_RE.fullmatch(subject)) and self.item_subject:
            subject = self.item_subject
        self._new(tok, "score", subject, value=tok.value, unit="分", printed=tok.printed)
        self.prev = ("score", None)

    def _count(self, tok: _Tok) -> None:
        """'共有车辆1辆' names its subject before; '包括2个行政股室' after."""
        before = _subject(tok.lead, count=True)
        verb_ended = _COUNT_VERB_END_RE.search(_TAIL_FILLER_RE.sub("", tok.lead)) is not None
        after = _subject(tok.after, count=True) if tok.after else ""
        subject = after if (not before or verb_ended) and after else before or self.last_count_subject or self._fallback_subject(tok)
        self._new(tok, "count", subject, value=tok.value, unit=tok.unit, printed=tok.printed)
        self.last_count_subject = subject
        self.prev = ("count", None)

    def _flat(self, tok: _Tok) -> None:
        """'与2020年持平' is a change of nothing; '决算与预算持平' belongs to the completion."""
        if "预算" in tok.base and self.group is not None:
            self.group.flat = True
            return
        if not _YEAR_REF_RE.search(tok.base):
            return
        self._new_change(tok, self._resolve(_subject(tok.lead)), "持平")
        self.prev = ("flat", None)

    # -- completion groups ---------------------------------------------------------------------

    def _group_slot(self, tok: _Tok, slot: str, named: str | None) -> _Group:
        """Put a budget / actual / completion figure into the open group, or start a new one."""
        g = self.group
        if g is not None and ((named and named != g.subject) or getattr(g, slot) is not None):
            self._flush_group()
            g = None
        if g is None:
            subject = named or self.item_subject or self.last_subject
            g = self.group = _Group(subject=subject, key=self._key(tok, 0), src=self._src(tok), sentences=[self.sentence])
        setattr(g, slot, tok)
        if g.sentences[-1] != self.sentence:
            g.sentences.append(self.sentence)
        return g

    def _flush_group(self) -> None:
        g, self.group = self.group, None
        if g is None:
            return
        sentence, loc = "".join(g.sentences), _location(g.src, self.source)
        alone = g.pct is None and g.vs is None
        if alone and g.actual is None and g.budget is not None:
            # a budget figure on its own is a plain amount: '“三公”经费预算为2.5万元'
            amount, subject = g.budget, _subject(g.budget_lead) or g.subject
        elif alone and g.budget is None and g.actual is not None:
            if g.shared:
                return
            amount, subject = g.actual, _subject(g.actual_subject) or g.subject
        else:
            amount = None
        if amount is not None:
            fact = Fact(
                kind="amount",
                subject=subject,
                value=amount.value,
                unit=amount.unit,
                printed=amount.printed,
                sentence=sentence,
                section=self.section,
                location=loc,
            )
        else:
            value, printed = (g.actual.value, g.actual.printed) if g.actual else self.amounts.get(g.subject, (None, ""))
            completion = g.pct is not None or ("年初" in g.budget_lead and g.actual is not None and g.vs is None)
            pct = g.pct or g.vs_pct
            fact = Fact(
                kind="completion" if completion else "budget_vs_actual",
                subject=g.subject,
                value=value,
                unit="万元",
                printed=printed,
                budget=g.budget.value if g.budget else None,
                actual=value,
                percent=pct.value if pct else None,
                percent_printed=pct.printed if pct else "",
                direction=g.vs_direction or ("持平" if g.flat else ""),
                change=g.vs.value if g.vs else None,
                change_printed=g.vs.printed if g.vs else "",
                sentence=sentence,
                section=self.section,
                location=loc,
            )
        self.out.append((g.key, fact))
