"""The 情况说明: every figure computed from the tables, phrased with the standard sentences.

Figures are read from the Disclosure's standard tables (so a Disclosure from any source gets a
narrative), prior-year figures, reasons and the facts no table holds from the workbook when there
is one. Shares, growth and completion rates are Decimal, half-up, 2 dp; a rate against a zero base
is never printed (新增 / no completion rate). Each figure-bearing sentence is also recorded as a
Fact of the canonical model, with its section path as the reader writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cnbudget.model import Disclosure, Fact, Location, Section, Table
from cnbudget.publish.document import Block, Heading, Paragraph
from cnbudget.publish.inputs import BudgetData
from cnbudget.publish.money import ZERO, amount_text, percent
from cnbudget.publish.spec import narrative_spec

_WAN = Decimal(10000)


def _money(x: Decimal) -> str:
    return amount_text(x)


def _pct(x: Decimal) -> str:
    return f"{x:.2f}"


@dataclass
class Extras:
    """What no table holds: prior-year figures, reasons, counts, projects (from the workbook)."""

    prior: dict[str, Decimal] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    sangong: dict[str, dict[str, Any]] = field(default_factory=dict)
    lines: list[Any] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, data: BudgetData | None) -> Extras:
        if data is None:
            return cls()
        return cls(prior=data.prior, facts=data.facts, sangong=data.sangong, lines=data.lines, projects=data.projects, meta=data.meta)

    def text(self, key: str) -> str:
        v = self.facts.get(key)
        return str(v).strip().rstrip("。") if isinstance(v, str) else ""

    def number(self, key: str) -> Decimal | None:
        v = self.facts.get(key)
        return v if isinstance(v, Decimal) else None


class _Tables:
    """Figures of the Disclosure's tables in 万元, by spec id, row and canonical column key."""

    def __init__(self, d: Disclosure) -> None:
        self.by_id: dict[str, Table] = {t.spec_id: t for t in d.tables}

    def table(self, spec_id: str) -> Table | None:
        return self.by_id.get(spec_id)

    def get(self, spec_id: str, column: str, *, code: str = "", label: str = "", side: str = "") -> Decimal:
        t = self.by_id.get(spec_id)
        if t is None:
            return ZERO
        for r in t.rows:
            if side and r.side != side:
                continue
            if code and r.code != code:
                continue
            if label and r.label != label:
                continue
            if not code and not label and (r.code or r.label not in ("", "合计")):
                continue
            v = r.get(column)
            if v is not None and v.amount is not None:
                return v.amount.in_wan()
        return ZERO

    def rows(self, spec_id: str, digits: int) -> list[tuple[str, str, dict[str, Decimal]]]:
        """(code, label, {column: 万元}) of the rows whose code has ``digits`` digits."""
        t = self.by_id.get(spec_id)
        if t is None:
            return []
        out = []
        for r in t.rows:
            if len(r.code) == digits:
                out.append((r.code, r.label, {v.column: v.amount.in_wan() for v in r.values if v.amount is not None}))
        return out


class Writer:
    def __init__(self, d: Disclosure, extras: Extras) -> None:
        self.d = d
        self.x = extras
        self.t = _Tables(d)
        self.s: dict[str, str] = narrative_spec()["sentences"]
        self.spec = narrative_spec()
        self.kind = d.meta.kind or "决算"
        self.year = d.meta.year or 0
        self.scope = "单位" if d.meta.scope == "单位" else "部门"
        self.blocks: list[Block] = []
        self.facts: list[Fact] = []
        self.path: list[str] = []
        self.where = Location(source=d.source)

    # --- output ------------------------------------------------------------------------------

    def say(self, key: str, **values: Any) -> str:
        return self.s[key].format(year=self.year, prior_year=self.year - 1, scope=self.scope, **values)

    def para(self, text: str) -> None:
        if text:
            self.blocks.append(Paragraph(text))

    def fact(self, kind: str, subject: str, sentence: str, value: Decimal | None = None, **kw: Any) -> None:
        self.facts.append(
            Fact(
                kind=kind,
                subject=subject,
                value=value,
                unit="万元" if value is not None else "",
                printed=_money(value) if value is not None else "",
                sentence=sentence,
                section="/".join(self.path),
                location=self.where,
                **kw,
            )
        )

    # --- shared phrases ------------------------------------------------------------------------

    def change(self, subject: str, current: Decimal, prior_key: str, basis: str = "决算数") -> str:
        prior = self.x.prior.get(prior_key)
        if prior is None:
            return ""
        diff = current - prior
        if diff == 0:
            text = self.say("change_flat", basis=basis)
            self.fact("change", subject, text, current, direction="持平", change=ZERO)
            return text
        p = percent(abs(diff), prior) if prior != 0 else None
        if prior == 0:
            text = self.say("change_new", subject=subject, change=_money(diff))
        elif p is None:
            text = self.say("change_gone", subject=subject, change=_money(abs(diff)))
        elif diff > 0:
            text = self.say("change_up", subject=subject, change=_money(diff), pct=_pct(p))
        else:
            text = self.say("change_down", subject=subject, change=_money(abs(diff)), pct=_pct(p))
        self.fact(
            "change",
            subject,
            text,
            current,
            direction="增加" if diff > 0 else "减少",
            change=abs(diff),
            change_printed=_money(abs(diff)),
            percent=p,
            percent_printed=f"{_pct(p)}%" if p is not None else "",
        )
        return text

    def _absent(self, amount: Decimal, prior_key: str) -> bool:
        """An item with no amount this year and none the year before: said to be absent."""
        return amount == 0 and not self.x.prior.get(prior_key)

    def reason(self, key: str) -> str:
        r = self.x.text(key)
        return self.say("reason", reason=r) if r else ""

    def shares(self, items: list[tuple[str, Decimal]], whole: Decimal, template: str = "item_share") -> str:
        """Each item with its amount and share; items without an amount are named once as absent
        (本部门无…; 预算: 本年度未安排…), never printed as 0.00万元，占0.00%."""
        parts = []
        absent = [name for name, a in items if a == 0]
        if whole != 0:
            items = [(name, a) for name, a in items if a != 0]
        for name, a in items:
            p = percent(a, whole)
            if p is None:
                parts.append(self.say("item_no_share", name=name, a=_money(a)))
                continue
            text = self.say(template, name=name, a=_money(a), p=_pct(p))
            parts.append(text)
            self.fact("share", name, text, a, percent=p, percent_printed=f"{_pct(p)}%")
        if whole != 0 and absent:
            key = "items_absent" if self.kind == "决算" else "items_absent_budget"
            parts.append(self.say(key, names=self.s["absent_join"].join(absent)))
        return "；".join(parts)

    # --- the document ---------------------------------------------------------------------------

    def write(self) -> tuple[list[Block], list[Fact], list[Section]]:
        sections: list[Section] = []
        for part in self.spec["parts"][self.kind]:
            if part["writer"] != "explanation":
                continue
            title = part["title"].format(year=self.year, scope=self.scope)
            self.blocks.append(Heading(1, part["number"], title))
            top = Section(number=part["number"], title=title, level=1, location=self.where)
            sections.append(top)
            for number, sub_title, writer in part["sections"]:
                self.blocks.append(Heading(2, number, sub_title))
                top.children.append(Section(number=number, title=sub_title, level=2, location=self.where))
                self.path = [part["number"], f"{number}、{sub_title}"]
                builder = SECTION_BUILDERS[self.kind].get(writer)
                if builder is None:
                    raise KeyError(f"publish_narrative.json names the section writer {writer!r}, which has no builder for {self.kind}")
                builder(self)
        return self.blocks, self.facts, sections

    def sub(self, number: str, title: str) -> None:
        self.blocks.append(Heading(3, number, title))
        self.path = [*self.path[:2], f"{number}{title}"]

    # --- 决算 -----------------------------------------------------------------------------------

    def _total_final(self) -> None:
        x = self.t.get("F1", "决算数", label="总计", side="收入")
        text = self.say("both_total", x=_money(x))
        self.fact("amount", "收、支总计", text, x)
        self.para(
            text
            + self.change("收、支总计", x, "total")
            .replace("收、支总计增加", "收、支总计各增加")
            .replace("收、支总计减少", "收、支总计各减少")
            + self.reason("reason.total")
        )

    def _income_final(self) -> None:
        x = self.t.get("F2", "合计")
        items = [(name, self.t.get("F2", col)) for name, col in self._income_columns()]
        self.sub("（一）", "收入决算结构情况")
        text = self.say("income_structure", x=_money(x), items=self.shares(items, x))
        self.fact("amount", "本年收入合计", text, x)
        self.para(text)
        self.sub("（二）", "收入决算具体情况")
        for n, ((name, _col), (_, amount)) in enumerate(zip(self._income_columns(), items, strict=True), start=1):
            prior_key = next(k for label, _c, k in self.spec["income_items"]["决算"] if label == name)
            if self._absent(amount, prior_key):
                self.para(self.say("item_absent", n=n, name=name))
                continue
            text = self.say("item_amount", n=n, name=name, a=_money(amount))
            self.fact("amount", name, text, amount)
            self.para(text + self.change(name, amount, prior_key) + (self.reason("reason.income") if n == 1 else ""))

    def _income_columns(self) -> list[tuple[str, str]]:
        return [(label, label) for label, _q, _p in self.spec["income_items"]["决算"]]

    def _expense_final(self) -> None:
        x = self.t.get("F3", "合计")
        columns = {
            "基本支出": "基本支出",
            "项目支出": "项目支出",
            "上缴上级支出": "上缴上级支出",
            "经营支出": "经营支出",
            "对附属单位补助支出": "对附属单位补助支出",
        }
        rows = self.spec["expense_items"]["决算"]
        items = [(name, self.t.get("F3", columns[name])) for name, _q, _p, _r in rows]
        self.sub("（一）", "支出决算结构情况")
        text = self.say("expense_structure", x=_money(x), items=self.shares(items, x))
        self.fact("amount", "本年支出合计", text, x)
        self.para(text)
        self.sub("（二）", "支出决算具体情况")
        for n, ((name, _q, prior_key, reason_key), (_, amount)) in enumerate(zip(rows, items, strict=True), start=1):
            if self._absent(amount, prior_key):
                self.para(self.say("item_absent", n=n, name=name))
                continue
            text = self.say("item_amount", n=n, name=name, a=_money(amount))
            self.fact("amount", name, text, amount)
            self.para(text + self.change(name, amount, prior_key) + (self.reason(reason_key) if reason_key else ""))

    def _fiscal_final(self) -> None:
        x = self.t.get("F4", "金额", label="总计", side="收入")
        text = self.say("fiscal_total", x=_money(x))
        self.fact("amount", "财政拨款收、支总计", text, x)
        change = self.change("财政拨款收、支总计", x, "fiscal_total")
        self.para(
            text
            + change.replace("收、支总计增加", "收、支总计各增加").replace("收、支总计减少", "收、支总计各减少")
            + self.reason("reason.fiscal")
        )

    def _gen_final(self) -> None:
        x = self.t.get("F5", "合计")
        expense = self.t.get("F3", "合计")
        self.sub("（一）", "一般公共预算财政拨款支出决算总体情况")
        p = percent(x, expense)
        text = self.say("gen_total", x=_money(x), p=_pct(p) if p is not None else "0.00")
        self.fact("share", "一般公共预算财政拨款支出", text, x, percent=p)
        self.para(text + self.change("一般公共预算财政拨款支出", x, "gen") + self.reason("reason.gen"))
        self.sub("（二）", "一般公共预算财政拨款支出决算结构情况")
        classes = [(label.removesuffix("支出"), v.get("合计", ZERO)) for _c, label, v in self.t.rows("F5", 3)]
        text = self.say("gen_structure", x=_money(x), items=self.shares(classes, x, "class_share"))
        self.para(text)
        self.sub("（三）", "一般公共预算财政拨款支出决算具体情况")
        budgets = {ln.code: ln for ln in self.x.lines}
        if not budgets:
            return
        total_budget = sum((ln.get("budget.gen") for ln in self.x.lines), ZERO)
        c = percent(x, total_budget)
        if c is None:
            text = self.say("completion_total_nobudget", b=_money(x))
        else:
            text = self.say("completion_total", a=_money(total_budget), b=_money(x), c=_pct(c))
        self.fact("completion", "一般公共预算财政拨款支出", text, x, budget=total_budget, actual=x, percent=c)
        self.para(text + self._budget_reason(x, total_budget, self.x.text("reason.gen_budget")))
        names = {code: label for code, label, _v in self.t.rows("F5", 3) + self.t.rows("F5", 5)}
        for n, (code, label, v) in enumerate(self.t.rows("F5", 7), start=1):
            ln = budgets.get(code)
            a = ln.get("budget.gen") if ln is not None else ZERO
            b = v.get("合计", ZERO)
            path = f"{names.get(code[:3], '')}（类）{names.get(code[:5], '')}（款）{label}（项）"
            c = percent(b, a)
            if c is None:
                text = self.say("completion_item_nobudget", n=n, path=path, b=_money(b))
            else:
                text = self.say("completion_item", n=n, path=path, a=_money(a), b=_money(b), c=_pct(c))
            self.fact("completion", path, text, b, budget=a, actual=b, percent=c)
            self.para(text + self._budget_reason(b, a, ln.reason if ln is not None else ""))

    def _budget_reason(self, actual: Decimal, budget: Decimal, reason: str) -> str:
        reason = reason.strip().rstrip("。")
        if actual == budget:
            return self.say("equal_budget") if budget != 0 else ""
        if not reason:
            return ""
        return self.say("over_budget" if actual > budget else "under_budget", reason=reason)

    def _econ_items(self, side: str, key: str) -> str:
        given = self.x.text(key)
        if given:
            return given
        t = self.t.table("F6") or self.t.table("B6")
        if t is None:
            return self.say("none_items")
        names = []
        column = "人员经费" if side == "人员经费" else "公用经费"
        for r in t.rows:
            if len(r.code) != 5:
                continue
            if t.spec_id == "F6" and r.side != side:
                continue
            v = r.get("决算数") if t.spec_id == "F6" else r.get(column)
            if v is not None and v.amount is not None and v.amount.value != 0:
                names.append(r.label)
        return "、".join(names) or self.say("none_items")

    def _basic_final(self) -> None:
        a = self.t.get("F6", "决算数", label="人员经费合计", side="人员经费")
        b = self.t.get("F6", "决算数", label="公用经费合计", side="公用经费")
        x = self.t.get("F5", "基本支出")
        text = self.say("basic_total", x=_money(x))
        self.fact("amount", "一般公共预算财政拨款基本支出", text, x)
        self.para(text)
        t1 = self.say("personnel", a=_money(a), items=self._econ_items("人员经费", "personnel_items"))
        self.fact("amount", "人员经费", t1, a)
        self.para(t1)
        t2 = self.say("public", b=_money(b), items=self._econ_items("公用经费", "public_items"))
        self.fact("amount", "公用经费", t2, b)
        self.para(t2)

    def _diff(self, budget: Decimal, actual: Decimal) -> str:
        if actual < budget:
            return self.say("diff_less", d=_money(budget - actual))
        if actual > budget:
            return self.say("diff_more", d=_money(actual - budget))
        return self.say("diff_none")

    def _sangong_final(self) -> None:
        get = lambda key: self.t.get("F7", key)  # noqa: E731
        a, b = get("预算数.合计"), get("决算数.合计")
        self.sub("（一）", "“三公”经费支出决算总体情况说明")
        c = percent(b, a)
        if a == 0 and b == 0:
            self.para(self.say("sangong_total_absent"))
        else:
            if c is None:
                text = self.say("sangong_total_nobudget", b=_money(b))
            else:
                text = self.say("sangong_total", a=_money(a), b=_money(b), diff=self._diff(a, b), c=_pct(c))
            self.fact("completion", "“三公”经费", text, b, budget=a, actual=b, percent=c)
            self.para(text + self._budget_reason(b, a, self.x.text("reason.sangong")))
        self.sub("（二）", "“三公”经费支出决算具体情况说明")
        items = (
            ("因公出国（境）费", "因公出国（境）费"),
            ("公务用车购置及运行维护费", "公务用车购置及运行费"),
            ("公务接待费", "公务接待费"),
        )
        f = self.x.number
        for n, (name, key) in enumerate(items, start=1):
            ia, ib = get(f"预算数.{key}"), get(f"决算数.{key}")
            if ia == 0 and ib == 0:
                self.para(self.say("sangong_item_absent", n=n, name=name))
                continue
            c = percent(ib, ia)
            if c is None:
                text = self.say("sangong_item_nobudget", n=n, name=name, b=_money(ib))
            else:
                text = self.say("sangong_item", n=n, name=name, a=_money(ia), b=_money(ib), diff=self._diff(ia, ib), c=_pct(c))
            self.fact("completion", name, text, ib, budget=ia, actual=ib, percent=c)
            detail = ""
            if n == 1 and f("abroad_groups") is not None:
                detail = self.say("abroad_detail", groups=int(f("abroad_groups") or 0), people=int(f("abroad_people") or 0))
            if n == 2:
                detail = self.say("car_purchase_detail", a=_money(get("决算数.公务用车购置费")), n=int(f("cars_bought") or 0))
                if f("cars_held") is not None:
                    detail += self.say("car_running_detail", a=_money(get("决算数.公务用车运行费")), n=int(f("cars_held") or 0))
            if n == 3 and f("reception_batches") is not None:
                detail = self.say(
                    "reception_detail",
                    a=_money(f("reception_domestic") or ib),
                    batches=int(f("reception_batches") or 0),
                    people=int(f("reception_people") or 0),
                    fb=int(f("reception_foreign_batches") or 0),
                    fp=int(f("reception_foreign_people") or 0),
                )
            self.para(text + detail)

    def _fund_final(self) -> None:
        t = self.t.table("F8")
        if t is None or t.empty or not t.rows:
            self.para(self.say("fund_none"))
            return
        a, b = self.t.get("F8", "年初结转和结余"), self.t.get("F8", "本年收入")
        c, d = self.t.get("F8", "本年支出"), self.t.get("F8", "年末结转和结余")
        text = self.say("fund_summary", a=_money(a), b=_money(b), c=_money(c), d=_money(d))
        self.fact("amount", "政府性基金预算财政拨款支出", text, c)
        self.para(text)
        budgets = {ln.code: ln for ln in self.x.lines}
        if not budgets:
            return
        names = {code: label for code, label, _v in self.t.rows("F8", 3) + self.t.rows("F8", 5)}
        for n, (code, label, v) in enumerate(self.t.rows("F8", 7), start=1):
            ln = budgets.get(code)
            ba = ln.get("budget.fund") if ln is not None else ZERO
            bb = v.get("本年支出", ZERO)
            path = f"{names.get(code[:3], '')}（类）{names.get(code[:5], '')}（款）{label}（项）"
            cn = "一二三四五六七八九十"[n - 1] if n <= 10 else str(n)
            pc = percent(bb, ba)
            if pc is None:
                text = self.say("fund_item_nobudget", n=cn, path=path, b=_money(bb))
            else:
                text = self.say("fund_item", n=cn, path=path, a=_money(ba), b=_money(bb), c=_pct(pc))
            self.fact("completion", path, text, bb, budget=ba, actual=bb, percent=pc)
            self.para(text + self._budget_reason(bb, ba, ln.reason if ln is not None else ""))

    def _soe_final(self) -> None:
        self._soe("F9", "本年支出", "soe_none", "soe_total", "国有资本经营预算财政拨款支出")

    def _soe(self, spec: str, column: str, none_key: str, total_key: str, subject: str) -> None:
        """The 国有资本经营预算 paragraph: the amount, or the sentence saying there is none."""
        t = self.t.table(spec)
        if t is None or t.empty or not t.rows:
            self.para(self.say(none_key))
            return
        x = self.t.get(spec, column)
        text = self.say(total_key, x=_money(x))
        self.fact("amount", subject, text, x)
        self.para(text)

    def _other_final(self) -> None:
        self._running(final=True)
        self._procurement(final=True)
        self._assets(final=True)

    def _running(self, final: bool) -> None:
        self.sub("（一）", "机关运行经费支出情况" if final else "机关运行经费")
        x = self.x.number("running")
        if x is None:
            return
        budget = self.x.number("running_budget")
        if final and budget is not None:
            diff = x - budget
            p = percent(abs(diff), budget)
            if diff == 0 or p is None:
                d_text = self.say("running_equal")
            elif diff < 0:
                d_text = self.say("running_less", d=_money(-diff), p=_pct(p))
            else:
                d_text = self.say("running_more", d=_money(diff), p=_pct(p))
            text = self.say("running_budget_vs", x=_money(x), a=_money(budget), diff=d_text)
        else:
            text = self.say("running" if final else "running_budget", x=_money(x))
        self.fact("amount", "机关运行经费", text, x)
        self.para(text + self.change("机关运行经费", x, "running", "决算数" if final else "预算数") + self.reason("reason.running"))

    def _procurement(self, final: bool) -> None:
        self.sub("（二）", "政府采购支出情况" if final else "政府采购情况")
        f = self.x.number
        a, b, c = f("procurement.goods"), f("procurement.works"), f("procurement.services")
        if a is None and b is None and c is None:
            return
        a, b, c = a or ZERO, b or ZERO, c or ZERO
        x = a + b + c
        if x == 0:
            self.para(self.say("procurement_absent" if final else "procurement_absent_budget"))
            return
        text = self.say("procurement" if final else "procurement_budget", x=_money(x), a=_money(a), b=_money(b), c=_money(c))
        self.fact("amount", "政府采购", text, x)
        if final:
            d, e = f("procurement.sme") or ZERO, f("procurement.small") or ZERO
            p = percent(d, x)
            text += (
                self.say("procurement_sme", d=_money(d), p=_pct(p), e=_money(e))
                if p is not None
                else self.say("procurement_sme_zero", d=_money(d), e=_money(e))
            )
        self.para(text)

    def _assets(self, final: bool) -> None:
        self.sub("（三）", "国有资产占用情况")
        names: dict[str, str] = self.spec["vehicle_names"]
        counts = {k: self.x.number(k) for k in names}
        if all(v is None for v in counts.values()):
            return
        total = sum((v or ZERO for v in counts.values()), ZERO)
        vehicles = "、".join(self.say("vehicle_item", name=names[k], n=int(v or 0)) for k, v in counts.items())
        note = self.x.text("vehicles.other_note")
        if note:
            vehicles += "，" + self.say("other_vehicle_note", note=note)
        date = self.say("assets_date_final" if final else "assets_date_budget")
        text = self.say(
            "assets",
            date=date,
            n=int(total),
            vehicles=vehicles,
            g=int(self.x.number("equipment.general") or 0),
            s=int(self.x.number("equipment.special") or 0),
        )
        self.fact("count", "车辆", text, None)
        self.para(text)

    def _performance_final(self) -> None:
        projects = self.x.projects
        note = self.x.text("performance_note")
        if not projects:
            self.para(note + "。" if note else self.say("performance_none"))
            return
        x = sum((p.get("executed", ZERO) for p in projects if isinstance(p.get("executed"), Decimal)), ZERO)
        whole = self.t.get("F3", "项目支出")
        p = percent(x, whole)
        counts = {g: sum(1 for pr in projects if str(pr.get("grade", "")) == g) for g in self.spec["grades"]}
        grades = self.say("performance_grades", a=counts["优"], b=counts["良"], c=counts["中"], d=counts["差"])
        text = self.say("performance", n=len(projects), x=_money(x), p=_pct(p) if p is not None else "0.00", grades=grades)
        self.fact("count", "项目", text, None)
        self.para(text + (note + "。" if note else ""))

    # --- 预算 -----------------------------------------------------------------------------------

    def _total_budget(self) -> None:
        x = self.t.get("B1", "金额", label="收入总计", side="收入")
        y = self.t.get("B1", "金额", label="支出总计", side="支出")
        text = self.say("both_total_budget", department=self.d.meta.department, x=_money(x), y=_money(y))
        self.fact("amount", "收入总计", text, x)
        self.para(text + self.change("收支总预算", x, "total", "预算数") + self.reason("reason.total"))

    def _income_budget(self) -> None:
        x = self.t.get("B2", "合计")
        columns = {
            "inc.gen": "一般公共预算",
            "inc.fund": "政府性基金",
            "inc.soe": "国有资本经营预算",
            "inc.special": "财政专户管理资金",
            "inc.business": "事业收入",
            "inc.operating": "事业单位经营收入",
            "inc.upper": "上级补助收入",
            "inc.affiliated": "附属单位上缴收入",
            "inc.other": "其他收入",
            "inc.carry": "上年结转",
        }
        items = [(label, self.t.get("B2", columns[q])) for label, q, _p in self.spec["income_items"]["预算"]]
        items = [(n, a) for n, a in items if a != 0]
        text = self.say("income_structure_budget", x=_money(x), items=self.shares(items, x))
        self.fact("amount", "收入合计", text, x)
        self.para(text + self.change("收入预算", x, "income", "预算数") + self.reason("reason.income"))

    def _expense_budget(self) -> None:
        x = self.t.get("B3", "合计")
        columns = {
            "exp.basic": "基本支出",
            "exp.project": "项目支出",
            "exp.upper": "上缴上级支出",
            "exp.operating": "经营支出",
            "exp.affiliated": "对附属单位补助支出",
        }
        items = [(label, self.t.get("B3", columns[q])) for label, q, _p, _r in self.spec["expense_items"]["预算"]]
        items = [(n, a) for n, a in items if a != 0 or n in ("基本支出", "项目支出")]
        text = self.say("expense_structure_budget", x=_money(x), items=self.shares(items, x))
        self.fact("amount", "支出合计", text, x)
        self.para(text + self.change("支出预算", x, "expense", "预算数") + self.reason("reason.expense"))

    def _fiscal_budget(self) -> None:
        x = self.t.get("B4", "金额", label="收入总计", side="收入")
        gen = self.t.get("B4", "一般公共预算", label="支出总计", side="支出")
        fund = self.t.get("B4", "政府性基金", label="支出总计", side="支出")
        soe = self.t.get("B4", "国有资本经营预算", label="支出总计", side="支出")
        text = self.say("fiscal_total_budget", x=_money(x), gen=_money(gen), fund=_money(fund), soe=_money(soe))
        self.fact("amount", "财政拨款收支总预算", text, x)
        self.para(text + self.change("财政拨款收支预算", x, "fiscal_total", "预算数") + self.reason("reason.fiscal"))

    def _gen_budget(self) -> None:
        x = self.t.get("B5", "合计")
        text = self.say("gen_total_budget", x=_money(x))
        self.fact("amount", "一般公共预算支出", text, x)
        self.para(text + self.change("一般公共预算支出", x, "gen", "预算数") + self.reason("reason.gen"))
        classes = [(label.removesuffix("支出"), v.get("合计", ZERO)) for _c, label, v in self.t.rows("B5", 3)]
        self.para(self.say("gen_structure_budget", x=_money(x), items=self.shares(classes, x, "class_share")))

    def _basic_budget(self) -> None:
        x = self.t.get("B6", "合计", label="合计")
        a = self.t.get("B6", "人员经费", label="合计")
        b = self.t.get("B6", "公用经费", label="合计")
        text = self.say("basic_total_budget", x=_money(x))
        self.fact("amount", "一般公共预算基本支出", text, x)
        self.para(text)
        t1 = self.say("personnel", a=_money(a), items=self._econ_items("人员经费", "personnel_items"))
        self.fact("amount", "人员经费", t1, a)
        self.para(t1)
        t2 = self.say("public", b=_money(b), items=self._econ_items("公用经费", "public_items"))
        self.fact("amount", "公用经费", t2, b)
        self.para(t2)

    def _fund_budget(self) -> None:
        t = self.t.table("B8")
        if t is None or t.empty or not t.rows:
            self.para(self.say("fund_none_budget"))
            return
        x = self.t.get("B8", "合计")
        text = self.say("fund_budget", x=_money(x))
        self.fact("amount", "政府性基金预算支出", text, x)
        self.para(text + self.change("政府性基金预算支出", x, "fund", "预算数"))

    def _soe_budget(self) -> None:
        self._soe("B9", "合计", "soe_none_budget", "soe_budget", "国有资本经营预算支出")

    def _sangong_budget(self) -> None:
        get = lambda key: self.t.get("B7", key)  # noqa: E731
        x = get("合计")
        text = self.say("sangong_total_budget", x=_money(x))
        self.fact("amount", "“三公”经费预算", text, x)
        prior = {k: v.get("prior") for k, v in self.x.sangong.items()}
        prior_total = (
            sum((v for v in prior.values() if isinstance(v, Decimal)), ZERO)
            if any(isinstance(v, Decimal) for v in prior.values())
            else None
        )
        if prior_total is not None:
            self.x.prior.setdefault("sangong", prior_total)
        self.para(text + self.change("“三公”经费预算", x, "sangong", "预算数") + self.reason("reason.sangong"))
        for n, name in (("一", "因公出国（境）费"), ("二", "公务用车购置及运行费"), ("三", "公务接待费")):
            a = get(name)
            if a == 0:
                self.para(self.say("sangong_item_absent_budget", n=n, name=name))
            elif n == "二":
                b1, b2 = _money(get("公务用车购置费")), _money(get("公务用车运行费"))
                self.para(self.say("sangong_car_budget", n=n, a=_money(a), b1=b1, b2=b2))
            else:
                self.para(self.say("sangong_item_budget", n=n, name=name, a=_money(a)))

    def _other_budget(self) -> None:
        self._running(final=False)
        self._procurement(final=False)
        self._assets(final=False)
        self.sub("（四）", "绩效目标设置情况")
        t = self.t.table("PROJ")
        rows = [r for r in t.rows if r.label != "合计"] if t is not None and not t.empty else []
        if not rows:
            return
        x = self.t.get("PROJ", "合计", label="合计")
        types = []
        for name in ("其他运转类", "特定目标类"):
            chosen = [r for r in rows if (v := r.get("类型")) is not None and v.text == name]
            if chosen:
                amount = sum((v.amount.in_wan() for r in chosen if (v := r.get("合计")) is not None and v.amount is not None), ZERO)
                types.append(self.say("performance_type", name=name, n=len(chosen), a=_money(amount)))
        forms = "整体绩效目标表和项目绩效目标表" if any(f.kind == "overall_target" for f in self.d.performance) else "项目绩效目标表"
        text = self.say("performance_budget", n=len(rows), x=_money(x), types="，其中：" + "，".join(types) if types else "", forms=forms)
        self.fact("amount", "纳入预算绩效管理的项目", text, x)
        self.para(text)


# The sentence builders a section's "writer" in publish_narrative.json names, per kind: an explicit
# table, so that a spec naming a builder that does not exist is found by a test, not at run time.
SECTION_BUILDERS: dict[str, dict[str, Callable[[Writer], None]]] = {
    "决算": {
        "total": Writer._total_final,
        "income": Writer._income_final,
        "expense": Writer._expense_final,
        "fiscal": Writer._fiscal_final,
        "gen": Writer._gen_final,
        "basic": Writer._basic_final,
        "sangong": Writer._sangong_final,
        "fund": Writer._fund_final,
        "soe": Writer._soe_final,
        "other": Writer._other_final,
        "performance": Writer._performance_final,
    },
    "预算": {
        "total": Writer._total_budget,
        "income": Writer._income_budget,
        "expense": Writer._expense_budget,
        "fiscal": Writer._fiscal_budget,
        "gen": Writer._gen_budget,
        "basic": Writer._basic_budget,
        "fund": Writer._fund_budget,
        "soe": Writer._soe_budget,
        "sangong": Writer._sangong_budget,
        "other": Writer._other_budget,
    },
}


def write_narrative(d: Disclosure, data: BudgetData | None) -> tuple[list[Block], list[Fact], list[Section]]:
    """The blocks of the 情况说明 part, its facts and its section tree."""
    return Writer(d, Extras.of(data)).write()


def wan(value: Decimal, unit: str) -> Decimal:
    """An amount of a table's unit in 万元 (the narrative's unit)."""
    return value / _WAN if unit == "元" else value
