"""N-SAME-FACT: one fact, one value — the same item stated with different amounts in one section.

Three shapes, each one certain on its own words:

* a list item that states its amount first ('16.“…（项）”220.63万元') and restates it in its
  comparison sentence ('2023年预算安排441.25万元'): the two must be one number;
* a named subject (a 科目 path, a 总计, 收入预算/支出预算, 机关运行经费 — specs/claims.json
  keyed_subjects) stated twice in one section with two amounts;
* totals that balance (收入总计 = 支出总计) stated beside increases that differ: when both totals
  are equal this year, and were equal last year, their changes are one number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from cnbudget.i18n import Message
from cnbudget.model import Disclosure, Fact
from cnbudget.numbers import squash
from cnbudget.rules.claims import claims, rate_verdict
from cnbudget.rules.findings import Finding, where
from cnbudget.rules.registry import Rule
from cnbudget.rules.sentences import item_heads, number, places, spec

RULE_ID = "N-SAME-FACT"
_QUOTES = "“”\"'"


def _key(subject: str) -> str:
    """The subject without quotes and without a leading 本年/全年 ('本年收、支总计' is '收、支总计')."""
    return re.sub(spec()["subject_prefix"], "", squash(subject).strip(_QUOTES))


def check_item_restated(d: Disclosure) -> Iterator[Finding]:
    heads = item_heads(d)
    for c in claims(d):
        if not c.template.get("restates_head"):
            continue
        head = heads.get((id(c.sentence.section), c.sentence.item))
        cur = number(c.get("cur"))
        if head is None or cur is None or cur[0] == head.value:
            continue
        note = ""
        prior, pct = number(c.get("prior")), number(c.get("pct"))
        if prior is not None and pct is not None and prior[0] > 0:
            n = places(c.get("pct"))
            fits_head = rate_verdict(prior[0], prior[1], head.value, places(head.printed), pct[0], n) == "ok"
            fits_cur = rate_verdict(prior[0], prior[1], cur[0], cur[1], pct[0], n) == "ok"
            if fits_head and not fits_cur:
                note = Message(f"rules.{RULE_ID}.rate_fits", pct=c.get("pct"), amount=head.printed)
        yield Finding(
            RULE_ID, "narrative", "error",
            Message(f"rules.{RULE_ID}.item", subject=head.subject, head=head.printed, restated=c.get("cur"), note=note),
            where(location=c.sentence.at(c.get("cur")), section=c.sentence.path),
            expected=head.printed, actual=c.get("cur"),
        )


def check_same_subject(d: Disclosure) -> Iterator[Finding]:
    keyed = re.compile(spec()["keyed_subjects"])
    first: dict[tuple[str, str], Fact] = {}
    for f in d.facts:
        if f.kind not in ("amount", "change", "share") or f.value is None:
            continue
        key = _key(f.subject)
        if not keyed.search(key):
            continue
        seen = first.setdefault((f.section, key), f)
        if seen is f or seen.value == f.value or (squash(seen.sentence) == squash(f.sentence) and seen.printed == f.printed):
            continue
        if _within_rounding(seen, f):
            continue
        yield Finding(
            RULE_ID, "narrative", "error",
            Message(f"rules.{RULE_ID}.subject", subject=key, first=seen.printed or seen.value, second=f.printed or f.value,
              first_at=_place(seen)),
            where(location=f.location, section=f.section),
            expected=seen.printed or str(seen.value), actual=f.printed or str(f.value),
        )


def _within_rounding(a: Fact, b: Fact) -> bool:
    """'1,234.5万元' and '1234.50万元' are one figure; a coarser rounding of it is too."""
    assert a.value is not None and b.value is not None
    coarse = min(places(a.printed or str(a.value)), places(b.printed or str(b.value)))
    return abs(a.value - b.value) <= Decimal(5).scaleb(-(coarse + 1))


def _place(f: Fact) -> str:
    loc = f.location
    return f"第{loc.page}页" if loc.page else f"第{loc.line}行"


def check_balanced_changes(d: Disclosure) -> Iterator[Finding]:
    changes = [f for f in d.facts if f.kind == "change" and f.value is not None and f.change is not None]
    keyed = [(_key(f.subject), f) for f in changes]  # each subject normalised once
    for left, right in spec()["balanced_totals"]:
        # the right-hand totals by (section, total), each signed change once, first statement first:
        # the first that differs from a left-hand change is the first the statements give
        rights: dict[tuple[str, Decimal], dict[Decimal, Fact]] = {}
        for key, b in keyed:
            if key == right:
                assert b.value is not None
                rights.setdefault((b.section, b.value), {}).setdefault(_signed(b), b)
        for key, a in keyed:
            if key != left:
                continue
            assert a.value is not None
            sa = _signed(a)
            differs = next((r for sr, r in rights.get((a.section, a.value), {}).items() if sr != sa), None)
            if differs is None:
                continue
            yield Finding(
                RULE_ID, "narrative", "error",
                Message(f"rules.{RULE_ID}.balanced", left=left, right=right, total=a.printed or a.value,
                  left_change=f"{a.direction}{a.change_printed or a.change}",
                  right_change=f"{differs.direction}{differs.change_printed or differs.change}"),
                where(location=differs.location, section=differs.section),
                expected=f"{a.direction}{a.change_printed or a.change}",
                actual=f"{differs.direction}{differs.change_printed or differs.change}",
            )


def _signed(f: Fact) -> Decimal:
    """A stated change with its direction: 减少 is negative (the fact has a change)."""
    assert f.change is not None
    return -f.change if f.direction == "减少" else f.change


_WINDOW = 12  # facts after a whole that may still be its parts (one or two sentences)


def part_name(subject: str, parts: list[str]) -> str:
    """The partition part ``subject`` names ('A|B' lists a part's spellings), or ''."""
    return next((p for p in parts if subject in p.split("|")), "")


def _is_whole(subject: str, whole: str) -> bool:
    """'收入预算' and '上海市…办事处收入预算' name the whole; '财政拨款收入预算' does not."""
    return subject == whole or (subject.endswith(whole) and len(subject) > len(whole) + 4)


def _signed_change(f: Fact) -> Decimal | None:
    if f.direction == "持平":
        return Decimal(0)
    if f.change is None or f.direction not in ("增加", "减少"):
        return None
    return f.change if f.direction == "增加" else -f.change


def check_parts(d: Disclosure) -> Iterator[Finding]:
    """Parts stated beside their whole add up to it: amounts, and changes over last year."""
    facts = [f for f in d.facts if f.value is not None and f.kind in ("amount", "change", "share")]
    reported: set[tuple[str, str, str]] = set()
    for i, whole in enumerate(facts):
        subject = _key(whole.subject)
        for name, parts in spec()["partitions"].items():
            if not _is_whole(subject, name) or (whole.section, name, whole.kind) in reported:
                continue
            amounts: dict[str, Fact] = {}
            changes: dict[str, Fact] = {}
            for g in facts[i + 1 : i + 1 + _WINDOW]:
                if g.section != whole.section:
                    break
                part = part_name(_key(g.subject), parts)
                if part:
                    target = changes if g.kind == "change" else amounts
                    target.setdefault(part, g)
            if whole.kind != "change" and len(amounts) == len(parts):
                reported.add((whole.section, name, whole.kind))
                yield from _sum_finding(whole, name, [amounts[p] for p in parts])
            if whole.kind == "change" and len(changes) == len(parts):
                reported.add((whole.section, name, whole.kind))
                yield from _change_sum_finding(whole, name, [changes[p] for p in parts])


def _sum_finding(whole: Fact, name: str, parts: list[Fact]) -> Iterator[Finding]:
    assert whole.value is not None
    total = sum((p.value for p in parts if p.value is not None), Decimal(0))
    n = max([places(whole.printed)] + [places(p.printed) for p in parts])
    if abs(total - whole.value) <= Decimal(1).scaleb(-n) * len(parts):
        return  # equal, or within the rounding of the printed parts
    yield Finding(
        RULE_ID, "narrative", "error",
        Message(f"rules.{RULE_ID}.parts", whole=name, total=whole.printed or whole.value, sum=total,
          parts="＋".join(f"{_key(p.subject)}{p.printed}" for p in parts)),
        where(location=whole.location, section=whole.section),
        expected=str(total), actual=whole.printed or str(whole.value),
    )


def _change_sum_finding(whole: Fact, name: str, parts: list[Fact]) -> Iterator[Finding]:
    signed = [_signed_change(p) for p in parts]
    total_change = _signed_change(whole)
    if total_change is None or any(x is None for x in signed):
        return
    if any(p.value is not None and p.value < (_signed_change(p) or 0) for p in parts):
        return  # a part that grew by more than it now is: N-CLAIM reports that root cause
    added = sum((x for x in signed if x is not None), Decimal(0))
    n = max([places(whole.change_printed)] + [places(p.change_printed) for p in parts])
    if abs(added - total_change) <= Decimal(1).scaleb(-n) * len(parts):
        return
    yield Finding(
        RULE_ID, "narrative", "error",
        Message(f"rules.{RULE_ID}.change_parts", whole=name, change=total_change, sum=added),
        where(location=parts[-1].location, section=whole.section),
        expected=str(total_change), actual=str(added),
    )


def check_consistency(d: Disclosure) -> Iterator[Finding]:
    yield from check_item_restated(d)
    yield from check_same_subject(d)
    yield from check_balanced_changes(d)
    yield from check_parts(d)


RULES: tuple[Rule, ...] = (
    Rule(
        RULE_ID, "narrative", "error",
        ("N-B01", "N-F01"), check_consistency,
    ),
)
