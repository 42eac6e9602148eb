"""N-CLAIM: a sentence that states two amounts and the change between them is checked on its own figures.

'2022年当年预算执行数为1.48万元，2023年预算安排2.63万元，比2022年预算执行数增加77.70%' carries
everything needed to check it: the direction word must agree with the sign of B − A, a stated
difference must be B − A, and the rate (B − A) ÷ A is recomputed to the places printed. The
amounts are rounded as printed, so a rate is accepted when some values inside their rounding
intervals give it; a rate cut instead of rounded is a warning; anything else is an error. A base
of 0 has no rate. Which sentences are such claims is data (specs/claims.json: templates).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cnbudget.i18n import Message
from cnbudget.model import Disclosure, Fact
from cnbudget.rules.findings import Finding, where
from cnbudget.rules.registry import Rule
from cnbudget.rules.sentences import ItemHead, Sentence, item_heads, number, pattern, places, quantize, sentences, spec

HUNDRED = Decimal(100)
RULE_ID = "N-CLAIM"


@dataclass(frozen=True)
class Claim:
    """What one template read from a sentence."""

    sentence: Sentence
    match: re.Match[str]
    template: dict[str, Any]

    def get(self, name: str) -> str:
        return self.match.groupdict().get(name) or ""


def claims(d: Disclosure) -> Iterator[Claim]:
    """Every template match in the narrative, in document order (one sentence may hold several)."""
    for s in sentences(d):
        for template in spec()["claims"]:
            for m in pattern(template["re"]).finditer(s.text):
                yield Claim(s, m, template)


def _sign(word: str) -> int:
    return int(spec()["directions"].get(word, 0))


def _half(n: int) -> Decimal:
    return Decimal(5).scaleb(-(n + 1))


def rate_verdict(prior: Decimal, prior_places: int, cur: Decimal, cur_places: int, stated: Decimal, n: int) -> str:
    """ok | truncated | wrong for a stated |change| rate printed with ``n`` places."""
    hp, hc = _half(prior_places), _half(cur_places)
    candidates = []
    for p in (prior - hp, prior, prior + hp):
        if p <= 0:
            continue
        for c in (cur - hc, cur, cur + hc):
            candidates.append(abs(c - p) / p * HUNDRED)
    if not candidates:
        return "ok"
    exact = abs(cur - prior) / prior * HUNDRED
    low, high = min(candidates), max(candidates)
    if quantize(low, n) <= stated <= quantize(high, n):
        return "ok"
    if quantize(exact, n, floor=True) == stated:
        return "truncated"
    return "wrong"


def _restated(c: Claim, head: ItemHead | None) -> bool:
    cur = number(c.get("cur"))
    return bool(c.template.get("restates_head")) and head is not None and cur is not None and cur[0] != head.value


def _growth_checked(s: Sentence) -> bool:
    """N-GROWTH already checks a sentence whose change the reader tied to its current amount."""
    return any(f.kind == "change" and f.value is not None and f.change is not None and f.percent is not None for f in s.facts)


def _finding(c: Claim, severity: str, key: str, printed: str, expected: str, actual: str, **values: Any) -> Finding:
    s = c.sentence
    return Finding(
        RULE_ID, "narrative", severity,  # type: ignore[arg-type]
        Message(f"rules.{RULE_ID}.{key}", sentence=c.match.group(0), expected=expected, actual=actual, **values),
        where(location=s.at(printed), section=s.path),
        expected=expected, actual=actual,
    )


def check_claim(c: Claim, cur_text: str | None = None) -> Iterator[Finding]:
    """The findings of one claim; nothing when it cannot be sure. ``cur_text`` replaces the compared
    amount (to try the amount the claim's list item stated first)."""
    dir_word, dir2 = c.get("dir"), c.get("dir2")
    if dir_word and dir2 and _sign(dir_word) and _sign(dir2) and _sign(dir_word) != _sign(dir2):
        if _growth_checked(c.sentence):
            return  # N-GROWTH recomputes this sentence's rate and reports it
        yield _finding(c, "error", "directions", dir2, expected=dir_word, actual=dir2, first=dir_word, second=dir2)
        return
    shown = cur_text or c.get("cur")  # the amount compared, as the finding states it
    prior, cur = number(c.get("prior")), number(shown)
    if prior is None or cur is None:
        return
    (pv, pp), (cv, cp) = prior, cur
    diff = cv - pv
    pct_text, change_text = c.get("pct"), c.get("change")
    sign = _sign(dir_word)
    if c.get("flat"):
        if diff != 0:
            word = "增加" if diff > 0 else "减少"
            yield _finding(c, "error", "flat", c.get("cur"), expected=f"{word}{abs(diff)}万元", actual=c.get("flat"),
                           prior=c.get("prior"), cur=shown)
        return
    if not sign:
        return
    if diff != 0 and (diff > 0) != (sign > 0):
        yield _finding(c, "error", "sign", dir_word, expected="增加" if diff > 0 else "减少", actual=dir_word,
                       prior=c.get("prior"), cur=shown)
        return
    if diff == 0 and (pct_text or change_text):
        stated_zero = all(number(x) is None or number(x)[0] == 0 for x in (pct_text, change_text))  # type: ignore[index]
        if not stated_zero:
            yield _finding(c, "error", "flat_stated_change", pct_text or change_text, expected="持平",
                           actual=f"{dir_word}{change_text or pct_text}", prior=c.get("prior"), cur=shown)
        return
    change = number(change_text)
    if change is not None and abs(abs(diff) - change[0]) > _half(max(pp, cp)) * 2 + _half(change[1]):
        yield _finding(c, "error", "change", change_text, expected=f"{abs(diff)}", actual=change_text,
                       prior=c.get("prior"), cur=shown)
    pct = number(pct_text)
    if pct is None:
        return
    stated, n = pct[0], places(pct_text)
    if pv == 0:
        yield _finding(c, "error", "zero_base", pct_text, expected="新增（无增长率）", actual=f"{pct_text}%",
                       prior=c.get("prior"), cur=shown)
        return
    verdict = rate_verdict(pv, pp, cv, cp, stated, n)
    if verdict == "ok":
        return
    exact = abs(diff) / pv * HUNDRED
    yield _finding(c, "warning" if verdict == "truncated" else "error", verdict, pct_text,
                   expected=f"{quantize(exact, max(n, 2))}%", actual=f"{pct_text}%",
                   prior=c.get("prior"), cur=shown)


def check_claims(d: Disclosure) -> Iterator[Finding]:
    heads = item_heads(d)
    for c in claims(d):
        head = heads.get((id(c.sentence.section), c.sentence.item))
        if _restated(c, head) and head is not None:
            # the sentence restates its item's amount wrongly (N-SAME-FACT says so): its change is judged
            # against the item's own amount, so the restated figure is not reported a second time
            yield from check_claim(c, head.printed)
            continue
        yield from check_claim(c)
    yield from _negative_base(d)
    yield from _partition_shares(d)


def _partition_shares(d: Disclosure) -> Iterator[Finding]:
    """'因公出国（境）费222.5万元，占“三公”经费的8.75%；公务用车…；公务接待费…': when one sentence states every
    part of a whole with its share of that whole, the whole is their sum and each share is recomputed."""
    from cnbudget.rules.consistency import part_name

    by_sentence: dict[str, list[Fact]] = {}
    for f in d.facts:
        if f.kind == "share" and f.value is not None and f.percent is not None:
            by_sentence.setdefault(f.sentence, []).append(f)
    for sentence, shares in by_sentence.items():
        text = re.sub(r"\s", "", sentence)
        for whole, parts in spec()["partitions"].items():
            if f"占{whole}" not in text:
                continue
            found: dict[str, Fact] = {}
            for f in shares:
                part = part_name(re.sub(r"\s", "", f.subject), parts)
                if part:
                    found.setdefault(part, f)
            if len(found) != len(parts):
                continue
            members = [found[p] for p in parts]
            total = sum((f.value for f in members if f.value is not None), Decimal(0))
            if total <= 0:
                continue
            n_total = max(places(f.printed) for f in members)
            wrong: list[tuple[Fact, str, str]] = []
            for f in members:
                assert f.value is not None and f.percent is not None
                n = places(f.percent_printed)
                verdict = share_verdict(f.value, places(f.printed), total, n_total, len(members), f.percent, n)
                if verdict != "ok":
                    wrong.append((f, verdict, f"{quantize(f.value / total * HUNDRED, max(n, 2))}%"))
            if len(wrong) == 1:
                f, verdict, expected = wrong[0]
                yield Finding(
                    RULE_ID, "narrative", "warning" if verdict == "truncated" else "error",
                    Message(f"rules.{RULE_ID}.share", subject=f.subject, amount=f.printed, whole=whole, total=total,
                      expected=expected, actual=f"{f.percent_printed}%"),
                    where(location=f.location, section=f.section),
                    expected=expected, actual=f"{f.percent_printed}%",
                )
            elif wrong:  # one root cause: the shares were taken of something else
                stated = "、".join(f"{f.percent_printed}%" for f in members)
                expected = "、".join(
                    f"{quantize((f.value or Decimal(0)) / total * HUNDRED, max(places(f.percent_printed), 2))}%" for f in members
                )
                yield Finding(
                    RULE_ID, "narrative", "error",
                    Message(f"rules.{RULE_ID}.shares", whole=whole, total=total, parts="、".join(_plain(f.subject) for f in members),
                      expected=expected, actual=stated),
                    where(location=members[0].location, section=members[0].section),
                    expected=expected, actual=stated,
                )


def _plain(subject: str) -> str:
    return re.sub(r"\s", "", subject)


def share_verdict(part: Decimal, part_places: int, total: Decimal, total_places: int, terms: int, stated: Decimal, n: int) -> str:
    """ok | truncated | wrong for a share of a total that is the sum of ``terms`` printed amounts."""
    hp, ht = _half(part_places), _half(total_places) * terms
    low = max(part - hp, Decimal(0)) / (total + ht) * HUNDRED
    high = (part + hp) / max(total - ht, part + hp) * HUNDRED
    if quantize(low, n) <= stated <= quantize(high, n):
        return "ok"
    if quantize(part / total * HUNDRED, n, floor=True) == stated:
        return "truncated"
    return "wrong"


def _negative_base(d: Disclosure) -> Iterator[Finding]:
    """'政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元': last year would have been negative."""
    excluded = re.compile(spec()["signed_subjects"])
    for f in d.facts:
        if f.kind != "change" or f.direction != "增加" or f.value is None or f.change is None or excluded.search(f.subject):
            continue
        prior = f.value - f.change
        if prior >= -_half(places(f.printed)) - _half(places(f.change_printed)):
            continue
        yield Finding(
            RULE_ID, "narrative", "error",
            Message(f"rules.{RULE_ID}.negative_base", subject=f.subject, cur=f.printed or f.value,
              change=f.change_printed or f.change, prior=prior),
            where(location=f.location, section=f.section),
            expected=f"≤ {f.printed or f.value}", actual=f"增加{f.change_printed or f.change}",
        )


RULES: tuple[Rule, ...] = (
    Rule(
        RULE_ID, "narrative", "error",
        ("N-B02", "N-B08", "N-F07"), check_claims,
    ),
)
