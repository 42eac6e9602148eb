"""Workbook → Disclosure → Document → files. The one entry point the CLI and the tests use.

``build_from_workbook`` checks the workbook (nothing is written when it has an error), builds the
canonical Disclosure (standard tables, narrative facts and sections, performance forms) and the
printed Document, and writes the package. ``build_from_disclosure`` re-prints any Disclosure JSON
in the standard form: its tables and forms from the model, its 概况 / 情况说明 / 名词解释 as the
source printed them when its sections carry paragraphs (``source_text``), else the 情况说明
regenerated from its tables (no workbook extras).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from cnbudget import i18n
from cnbudget.errors import InputError
from cnbudget.i18n import Message
from cnbudget.model import Amount, Disclosure, Indicator, Location, Meta, PerformanceForm, Section, Table, Unit
from cnbudget.outfile import OutputError, write_atomic
from cnbudget.publish.compose import build_tables, chinese_ordinal, project_groups, project_unit, squash_label
from cnbudget.publish.document import Block, CoverLine, Document, Heading, Paragraph, TableBlock
from cnbudget.publish.families import Family, family_of, plan
from cnbudget.publish.inputs import BudgetData, Issue, read_workbook
from cnbudget.publish.local_tables import local_printed
from cnbudget.publish.money import ZERO, amount_text, percent, q2
from cnbudget.publish.narrative import write_narrative
from cnbudget.publish.own_layout import differs, own_printed
from cnbudget.publish.printed import PCell, PrintedTable, printed_table
from cnbudget.publish.source_text import SourceText, heading, part_body, section_blocks, source_text
from cnbudget.publish.spec import glossary, narrative_spec, tables_spec
from cnbudget.publish.writers import FORMATS, document_writer
from cnbudget.reasons import os_reason
from cnbudget.recognize.performance import clean, parse_target
from cnbudget.safe_text import name_part, plain, utf8
from cnbudget.specs import specs

STANDARD = {"决算": "部门决算公开：公开01–09表", "预算": "部门预算公开：财预〔2016〕143号 8表 + 国有资本经营预算支出表"}


@dataclass
class Package:
    disclosure: Disclosure
    document: Document
    files: dict[str, Path] = field(default_factory=dict)
    warnings: list[Issue] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Disclosure
# ---------------------------------------------------------------------------------------------


def _amount(value: Decimal, unit: Unit) -> Amount:
    v = q2(value)
    return Amount(printed=amount_text(v), value=v, unit=unit, places=2)


def _indicator(i: dict[str, Any], where: Location) -> Indicator:
    """An indicator as the reader will read it back: the 指标值 parsed by the same grammar."""
    text = str(i.get("target", ""))
    target = parse_target(text)
    return Indicator(
        level1=str(i.get("level1", "")),
        level2=str(i.get("level2", "")),
        name=str(i.get("name", "")),
        target_text=text,
        operator=target.operator,
        target=target.value,
        target_unit=target.unit,
        qualitative=target.qualitative,
        actual_text=str(i.get("actual", "")),
        weight=i["weight"] if isinstance(i.get("weight"), Decimal) else None,
        score=i["score"] if isinstance(i.get("score"), Decimal) else None,
        note=str(i.get("note", "")),
        location=where,
    )


def _forms(data: BudgetData) -> list[PerformanceForm]:
    """决算: one 自评表 per project row. 预算: the 整体绩效目标表, then one 绩效目标表 per project
    (rows of one project charged to several 项 together), its 年度资金总额 and 财政拨款 summed
    from the project's fund columns."""
    unit: Unit = "元" if data.unit == "元" else "万元"
    final = data.kind == "决算"
    groups = [[p] for p in data.projects] if final else project_groups(data)
    forms = [] if final or not data.overall else [_overall_form(data, unit)]
    for group in groups:
        p = group[0]
        amounts: dict[str, Amount] = {}
        if final:
            for key, label in (("budget_initial", "年度资金总额"), ("budget_fiscal", "财政拨款")):
                v = p.get(key)
                if isinstance(v, Decimal):
                    amounts[label] = Amount(printed=amount_text(v), value=v, unit=unit, places=2)
        else:
            total = sum((data.project_amount(x) for x in group), ZERO)
            fiscal = sum((data.project_amount(x, f) for x in group for f in ("gen", "fund", "soe")), ZERO)
            amounts = {"年度资金总额": _amount(total, unit), "财政拨款": _amount(fiscal, unit)}
        name = squash_label(str(p["name"]))
        indicators = [
            _indicator(i, Location(source=f"{data.source}#绩效指标", line=i["_row"]))
            for i in data.indicators
            if squash_label(str(i["project"])) == name
        ]
        forms.append(
            PerformanceForm(
                kind="project_self_eval" if final else "project_target",
                name=str(p["name"]) if final else name,
                unit_name=str(p.get("unit_name", data.department)) if final else project_unit(data, p),
                amounts=amounts,
                budget_initial=p.get("budget_initial") if isinstance(p.get("budget_initial"), Decimal) else None,
                budget_full_year=p.get("budget_full_year") if isinstance(p.get("budget_full_year"), Decimal) else None,
                executed=p.get("executed") if isinstance(p.get("executed"), Decimal) else None,
                indicators=indicators,
                total_score=p.get("score") if isinstance(p.get("score"), Decimal) else None,
                grade=str(p.get("grade", "")),
                location=Location(source=f"{data.source}#项目绩效", line=p["_row"]),
            )
        )
    return forms


def overall_amounts(data: BudgetData) -> dict[str, Decimal]:
    """预算情况 of the 整体绩效目标表, from the tables' own figures: 部门预算总额 = 收支总表 收入总计;
    资金来源 = 政府预算资金 (财政拨款 and its 上年结转) + 财政专户管理资金 + 单位资金 (the rest);
    资金结构 = 支出总表 基本支出 and 项目支出 (+ 其他支出 where the budget has any)."""
    total = data.total("inc.all")
    fiscal = data.total("inc.fiscal") + sum((data.balances.get(f"carry.{f}", ZERO) for f in ("gen", "fund", "soe")), ZERO)
    special = data.total("inc.special")
    out = {
        "部门预算总额": total,
        "政府预算资金": fiscal,
        "财政专户管理资金": special,
        "单位资金": total - fiscal - special,
        "基本支出": data.total("exp.basic"),
        "项目支出": data.total("exp.project"),
    }
    other = data.total("exp.total") - out["基本支出"] - out["项目支出"]
    if other:
        out["其他支出"] = other
    return out


def _overall_form(data: BudgetData, unit: Unit) -> PerformanceForm:
    """The 整体绩效目标表 as the reader will read it back: 年度履职目标 one item per line entered,
    年度主要任务 one per row, texts without wrap whitespace (``performance.clean``)."""
    where = Location(source=f"{data.source}#整体绩效目标")
    goal = str(data.overall.get("goal", ""))
    tasks = [
        {"任务名称": clean(str(t.get("name", ""))), "主要内容": clean(str(t.get("content", "")))} for t in data.overall.get("tasks", [])
    ]
    return PerformanceForm(
        kind="overall_target",
        name=squash_label(data.department),
        amounts={k: _amount(v, unit) for k, v in overall_amounts(data).items()},
        goals=[c for ln in goal.splitlines() if (c := clean(ln))],
        tasks=tasks,
        indicators=[_indicator(i, Location(source=where.source, line=i["_row"])) for i in data.overall.get("indicators", [])],
        location=where,
    )


def build_disclosure(data: BudgetData) -> Disclosure:
    """The canonical Disclosure of a checked workbook."""
    tables = build_tables(data)
    meta = Meta(
        department=data.department,
        region=data.region,
        year=data.year,
        kind=data.kind,  # type: ignore[arg-type]
        scope="单位" if data.scope == "单位" else "部门",
        standard=STANDARD[data.kind],
        units={t.name: t.unit for t in tables if t.unit},
    )
    d = Disclosure(source=data.source, format="xlsx", meta=meta, tables=tables, performance=_forms(data))
    _blocks, facts, sections = write_narrative(d, data)
    d.facts = facts
    d.sections = _outline(d) + sections
    d.sections.sort(key=lambda s: _PART_ORDER.get(s.number, 9))
    d.contents = [ps.title for ps in tables_spec().sets[data.kind]]
    d.notes = [str(w) for w in data.warnings + data.notes]
    return d


_PART_ORDER = {"第一部分": 1, "第二部分": 2, "第三部分": 3, "第四部分": 4, "第五部分": 5}


def _outline(d: Disclosure) -> list[Section]:
    """The parts other than the 情况说明 (which the narrative writer returns)."""
    where = Location(source=d.source)
    out = []
    for part in narrative_spec()["parts"][d.meta.kind or "决算"]:
        if part["writer"] == "explanation":
            continue
        title = part["title"].format(year=d.meta.year, scope=_scope(d))
        out.append(Section(number=part["number"], title=title, level=1, location=where))
    return out


def _scope(d: Disclosure) -> str:
    return "单位" if d.meta.scope == "单位" else "部门"


# ---------------------------------------------------------------------------------------------
# Document
# ---------------------------------------------------------------------------------------------


def _empty_table(spec_id: str, source: str) -> Table:
    spec = specs().by_id(spec_id)
    return Table(spec_id=spec_id, name=spec.name, title=spec.name, empty=True, location=Location(source=source))


def _printed_tables(d: Disclosure, from_source: bool = False) -> list[PrintedTable]:
    """The standard tables in the standard forms; re-printing a source document, a table the form
    would drop figures of is printed in the source's own layout instead (``own_layout``)."""
    kind = d.meta.kind or "决算"
    out = []
    for ps in tables_spec().sets[kind]:
        found = d.table(ps.id)
        if found is None and from_source and ps.id not in specs().required.get(kind, ()):
            continue  # an optional table the source does not print: an empty one would claim it has no data
        table = found or _empty_table(ps.id, d.source)
        own = own_printed(table) if from_source and differs(table, ps) else None
        if own is None:
            own = printed_table(table, ps)
            if from_source and found is not None and found.title:
                own.title = found.title  # the source's own title (2025年部门政府性基金预算支出功能分类预算表)
        out.append(own)
    if from_source:  # in the order the source prints them (a Shanghai 预算 puts B8, B9 before B6)
        order = {t.spec_id: k for k, t in enumerate(d.tables)}
        out.sort(key=lambda p: order.get(p.spec_id, len(order)))
    return out


def _overview(d: Disclosure, data: BudgetData | None) -> list[Block]:
    spec = narrative_spec()["overview"]
    blocks: list[Block] = []
    meta = data.meta if data is not None else {}
    n = 0
    for key in ("duties", "organisation", "units_included"):
        text = meta.get(key, "").strip()
        if not text:
            continue
        n += 1
        blocks.append(Heading(2, "一二三"[n - 1], spec[key].format(kind=d.meta.kind or "")))
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        if key == "units_included":
            blocks.append(
                Paragraph(
                    spec["units_sentence"].format(scope=_scope(d), year=d.meta.year, kind=d.meta.kind, n=len(lines), names="、".join(lines))
                )
            )
        else:
            blocks.extend(Paragraph(ln) for ln in lines)
    return blocks


def _glossary(d: Disclosure) -> list[Block]:
    g = glossary()
    kind = d.meta.kind or "决算"
    items: list[tuple[str, str]] = [(t[0], t[1]) for t in g["terms"][kind]]
    names: dict[str, str] = {}
    for t in d.tables:
        if t.spec_id in ("F3", "F5", "F8", "B3", "B5", "B8"):
            for r in t.rows:
                if r.code:
                    names.setdefault(r.code, r.label)
    for code in sorted(c for c in names if len(c) == 7):
        definition = g["function_items"].get(code)
        if definition:
            items.append((f"{names.get(code[:3], '')}（类）{names.get(code[:5], '')}（款）{names[code]}（项）", definition))
    return [Paragraph(f"{chinese_ordinal(i)}、{term}：{text}") for i, (term, text) in enumerate(items, start=1)]


def _form_tables(d: Disclosure, data: BudgetData | None = None) -> list[PrintedTable]:
    """The 附件: 决算 the 自评汇总表 and 自评表; 预算 the 整体绩效目标表 and 项目支出绩效目标表."""
    out: list[PrintedTable] = []
    if d.meta.kind == "预算":
        out.extend(_overall_table(f, d) for f in d.performance if f.kind == "overall_target")
    forms = [f for f in d.performance if f.kind in ("project_self_eval", "project_target")]
    if not forms:
        return out
    goals = {squash_label(str(p["name"])): str(p.get("goal", "")) for p in data.projects} if data is not None else {}
    year = d.meta.year
    if d.meta.kind == "决算":
        body: list[list[PCell | None]] = [
            [
                PCell(str(i)),
                PCell(f.name),
                PCell(f"{f.total_score}" if f.total_score is not None else "", align="right"),
                PCell(f.grade, align="center"),
            ]
            for i, f in enumerate(forms, start=1)
        ]
        header: list[list[PCell | None]] = [[PCell(t, align="center") for t in ("序号", "项目名称", "自评得分", "自评等级")]]
        out.append(
            PrintedTable(
                spec_id="PE_SUM",
                number="",
                title=f"{year}年度项目支出绩效自评情况汇总表",
                unit="万元",
                orientation="P",
                header=header,
                body=body,
                widths=[0.8, 5.0, 1.4, 1.4],
            )
        )
    for f in forms:
        out.append(_form_table(f, d.meta.kind == "决算", goals.get(f.name, "")))
    return out


def _c(text: object, span: int = 1, align: str = "left") -> list[PCell | None]:
    """One printed cell spanning ``span`` columns (the covered positions None)."""
    return [PCell("" if text is None else str(text), colspan=span, align=align), *([None] * (span - 1))]


_MERGED = PCell("", merge_up=True)  # a cell continuing the one above (a merged cell of the template)
_MERGED2 = PCell("", colspan=2, merge_up=True)
_OVERALL_LABELS = (
    ("部门预算总额", "部门预算总额（{unit}）"),
    ("政府预算资金", "1、资金来源：（1）政府预算资金"),
    ("财政专户管理资金", "（2）财政专户管理资金"),
    ("单位资金", "（3）单位资金"),
    ("基本支出", "2、资金结构：（1）基本支出"),
    ("项目支出", "（2）项目支出"),
    ("其他支出", "（3）其他支出"),
)


def _overall_table(f: PerformanceForm, d: Disclosure) -> PrintedTable:
    """部门（单位）整体绩效目标表 as the Henan template prints it (seeds 001, 002): 年度履职目标 (one
    row per item, so that the items read back as items), 年度主要任务, 预算情况, then the
    indicators — all from the model. 一级 / 二级指标 are printed on the first row of their group
    only, as the merged cells of the template read."""
    c = _c
    unit = next((a.unit for a in f.amounts.values()), "万元")
    body: list[list[PCell | None]] = [c("部门（单位）名称") + c(d.meta.department, 4)]
    for n, goal in enumerate(f.goals):
        first_cell: list[PCell | None] = c("年度履职目标") if n == 0 else [_MERGED]
        body.append(first_cell + c(goal, 4))
    if f.tasks:
        body.append(c("年度主要任务") + c("任务名称", 1, "center") + c("主要内容", 3, "center"))
        body.extend([_MERGED, *c(t.get("任务名称", "")), *c(t.get("主要内容", ""), 3)] for t in f.tasks)
    first = True
    for key, label in _OVERALL_LABELS:
        a = f.amounts.get(key)
        if a is None:
            continue
        body.append((c("预算情况") if first else [_MERGED]) + c(label.format(unit=unit), 2) + c(a.printed, 2, "right"))
        first = False
    body.append([PCell(t, align="center") for t in ("一级指标", "二级指标", "三级指标", "指标值", "指标值说明")])
    previous = ("", "")
    for i in f.indicators:
        same1 = i.level1 == previous[0]
        same2 = same1 and i.level2 == previous[1]
        previous = (i.level1, i.level2)
        levels = ([_MERGED] if same1 else c(i.level1)) + ([_MERGED] if same2 else c(i.level2))
        body.append(levels + c(i.name) + c(i.target_text) + c(i.note))
    scope = "单位" if d.meta.scope == "单位" else "部门"
    return PrintedTable(
        spec_id="PT_ALL",
        number="",
        title=f"{scope}整体绩效目标表",
        unit=unit,
        orientation="P",
        header=[],
        body=body,
        widths=[2.0, 1.8, 2.4, 1.4, 3.8],
    )


def _form_table(f: PerformanceForm, final: bool, goal: str = "") -> PrintedTable:
    c = _c
    body: list[list[PCell | None]] = []
    body.append(c("项目名称") + c(f.name, 7))
    body.append(c("实施单位") + c(f.unit_name, 7))
    if final:
        rate = percent(f.executed or ZERO, f.budget_full_year or ZERO)
        body.append(
            c("项目资金（万元）")
            + c("年初预算数", 2, "center")
            + c("全年预算数", 2, "center")
            + c("全年执行数", 2, "center")
            + c("执行率", 1, "center")
        )
        body.append(
            c("年度资金总额")
            + c(amount_text(f.budget_initial) if f.budget_initial is not None else "", 2, "right")
            + c(amount_text(f.budget_full_year) if f.budget_full_year is not None else "", 2, "right")
            + c(amount_text(f.executed) if f.executed is not None else "", 2, "right")
            + c(f"{rate}%" if rate is not None else "", 1, "right")
        )
        body.append(
            c("一级指标")
            + c("二级指标")
            + c("三级指标")
            + c("年度指标值")
            + c("实际完成值")
            + c("分值")
            + c("得分")
            + c("偏差原因分析及改进措施")
        )
        for i in f.indicators:
            body.append(
                c(i.level1)
                + c(i.level2)
                + c(i.name)
                + c(i.target_text)
                + c(i.actual_text)
                + c(i.weight, 1, "right")
                + c(i.score, 1, "right")
                + c(i.note)
            )
        body.append(c("总分", 5, "center") + c("100", 1, "right") + c(f.total_score, 1, "right") + c(f.grade))
        title = specs().by_id("PE_PROJ").name
        widths = [1.6, 1.6, 3.0, 1.4, 1.4, 0.8, 0.8, 2.2]
    else:
        total = f.amounts.get("年度资金总额")
        fiscal = f.amounts.get("财政拨款")
        if goal.strip():
            body.append(c("年度总体目标") + c(" ".join(ln.strip() for ln in goal.splitlines() if ln.strip()), 7))
        body.append(
            c(f"年度资金总额（{total.unit if total else '万元'}）")
            + c(total.printed if total else "", 3, "right")
            + c("其中：财政拨款")
            + c(fiscal.printed if fiscal else "", 3, "right")
        )
        body.append(c("一级指标", 2) + c("二级指标", 2) + c("三级指标", 3) + c("指标值"))
        previous = ("", "")
        for i in f.indicators:  # 一级 / 二级 merged down their group, as in the template
            same1 = i.level1 == previous[0]
            same2 = same1 and i.level2 == previous[1]
            previous = (i.level1, i.level2)
            levels = ([_MERGED2, None] if same1 else c(i.level1, 2)) + ([_MERGED2, None] if same2 else c(i.level2, 2))
            body.append(levels + c(i.name, 3) + c(i.target_text))
        title = "项目支出绩效目标表"
        widths = [1.4, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.6]
    return PrintedTable(
        spec_id="PE_PROJ" if final else "PT_PROJ", number="", title=title, unit="万元", orientation="P", header=[], body=body, widths=widths
    )


def build_document(d: Disclosure, data: BudgetData | None = None) -> Document:
    """The printed document of a Disclosure (with the workbook's extras when there is one).

    From a workbook the 情况说明 is written from the figures. A Disclosure read from a document
    (its sections carry paragraphs) prints its own 概况, 情况说明 and 名词解释 instead
    (``source_text``); its tables and forms are printed from the model either way."""
    kind = d.meta.kind or "决算"
    year = d.meta.year
    dept = d.meta.department
    title = f"{dept}{year}年度决算" if kind == "决算" else f"{dept}{year}年部门预算"
    doc = Document(title=title, subtitle=f"{_scope(d)}{kind}公开")
    parts = narrative_spec()["parts"][kind]
    standard = [t for part in parts if part["writer"] == "explanation" for _n, t, _w in part["sections"]]
    source = source_text(d, standard) if data is None else None
    if source is not None and source.printed("explanation") is not None:
        narrative_blocks: list[Block] = []
    else:
        narrative_blocks = write_narrative(d, data)[0]
    printed = _printed_tables(d, from_source=data is None)
    family = family_of(d) if source is not None else None
    if source is not None and family is not None:  # a known template family: re-printed in its own form
        doc.cover = [CoverLine(p.text.strip(), bool(family.cover_sub and family.cover_sub.search(p.text.strip()))) for p in d.cover]
        _family_parts(doc, d, family, source, parts, standard, narrative_blocks, printed)
        doc.not_printed.extend(source.not_printed)
        return doc
    _source_extras(doc, source, "")
    for part in parts:
        part_title = part["title"].format(year=year, scope=_scope(d))
        writer = part["writer"]
        own = source.printed(writer) if source is not None else None
        if source is not None and own is not None:
            body, contents = part_body(own, source, standard if writer == "explanation" else None)
            doc.blocks.append(Heading(1, part["number"], own.title or part_title))
            doc.contents.append(f"{part['number']} {own.title or part_title}")
            doc.blocks.extend(body)
            doc.contents.extend(contents)
        else:
            _standard_part(doc, d, data, part, part_title, narrative_blocks, printed, source)
        _source_extras(doc, source, writer)
    if source is not None:
        doc.not_printed.extend(source.not_printed)
    return doc


def _family_parts(
    doc: Document,
    d: Disclosure,
    family: Family,
    source: SourceText,
    parts: list[dict[str, Any]],
    standard: list[str],
    narrative_blocks: list[Block],
    printed: list[PrintedTable],
) -> None:
    """The parts in the source's order (``families.plan``) with its own headings, numbered as the
    family numbers them: in the body (第一部分 …) or only in the 目录 (一、… over unnumbered headings)."""
    by_writer = {p["writer"]: p for p in parts}
    n = 0
    for slot in plan(d, source, list(by_writer)):
        s = slot.section
        if s is not None and s.level > 1:  # a run of sections with no part heading above them
            doc.blocks.extend(section_blocks(s, source))
            doc.contents.append(heading(s).text)
            continue
        if s is None and not _prints(d, slot.writer):
            continue  # a standard part with nothing to print here (no 概况 of its own, no forms)
        counted = s is None or bool(s.number) or not family.part_numbers
        n += counted
        number = family.number(family.part_numbers, n) if family.part_numbers and counted else (s.number if s is not None else "")
        part = by_writer.get(slot.writer, {})
        if s is not None:
            title = s.title
        elif slot.writer == "tables":
            title = family.tables_part.format(department=d.meta.department, year=d.meta.year, scope=_scope(d))
        else:
            title = part["title"].format(year=d.meta.year, scope=_scope(d))
        head = Heading(1, number, title)
        entry = f"{family.number(family.contents_numbers, n)}{head.text}" if family.contents_numbers and counted else head.text
        if s is not None and slot.writer not in ("tables", "forms"):
            body, contents = part_body(s, source, standard if slot.writer == "explanation" else None)
            doc.blocks.append(head)
            doc.contents.append(entry)
            doc.blocks.extend(body)
            doc.contents.extend(contents)
        else:
            numbers = family.table_numbers
            _standard_part(doc, d, None, part, title, narrative_blocks, printed, source, head=head, entry=entry, table_number=numbers)


def _prints(d: Disclosure, writer: str) -> bool:
    """Whether the standard writer prints anything for a re-printed source (no workbook)."""
    if writer == "overview":
        return bool(_overview(d, None))
    if writer == "forms":
        return bool(_form_tables(d, None))
    return True


def _source_extras(doc: Document, source: SourceText | None, after: str) -> None:
    """The source's sections that no standard part matches, printed after the part they followed."""
    if source is None:
        return
    for s in source.after(after):
        doc.blocks.extend(section_blocks(s, source))
        doc.contents.append(heading(s).text)


def _standard_part(
    doc: Document,
    d: Disclosure,
    data: BudgetData | None,
    part: dict[str, Any],
    part_title: str,
    narrative_blocks: list[Block],
    printed: list[PrintedTable],
    source: SourceText | None = None,
    head: Heading | None = None,
    entry: str = "",
    table_number: str = "{cn}、",
) -> None:
    """One part as the standard writers print it (under ``head`` and the 目录 ``entry`` when given:
    a family's own heading and numbering; ``table_number``: how the 目录 numbers the tables)."""
    writer = part["writer"]
    dept = d.meta.department
    head = head or Heading(1, part["number"], part_title)
    entry = entry or head.text
    if writer == "explanation":
        doc.blocks.extend(narrative_blocks)
        doc.contents.append(f"{part['number']} {part_title}")
        doc.contents.extend(f"　{n}、{t}" for n, t, _w in part["sections"])
        return
    if writer == "forms":
        forms = _form_tables(d, data)
        if not forms:
            return
        doc.blocks.append(head)
        doc.contents.append(entry)
        doc.blocks.extend(TableBlock(t, "", new_page=i == 0) for i, t in enumerate(forms))
        return
    overview = _overview(d, data) if writer == "overview" else []
    if writer == "overview" and not overview and source is not None:
        return  # re-printing a source whose 概况 is its own parts (X主要职能 …, printed where it has them): no empty part
    doc.blocks.append(head)
    doc.contents.append(entry)
    if writer == "overview":
        doc.blocks.extend(overview)
        doc.contents.extend(f"　{b.text}" for b in overview if isinstance(b, Heading) and b.level == 2)
    elif writer == "tables":
        for i, t in enumerate(printed, start=1):
            doc.blocks.append(TableBlock(t, dept))
            doc.contents.append(f"　{table_number.format(cn=chinese_ordinal(i), n=i)}{t.title}")
        # the source's own tables outside the standard set, after them (those its text holds print there)
        if source is not None:
            others = source.unplaced()
        else:
            others = []
            for local in d.tables:
                if local.spec_id == "LOCAL":
                    grid = local_printed(local)
                    if grid is None:
                        doc.not_printed.append(local.title)
                    else:
                        others.append(TableBlock(grid))
        for n, block in enumerate(others, start=len(printed) + 1):
            block.department = dept
            doc.blocks.append(block)
            if block.table.title:
                doc.contents.append(f"　{table_number.format(cn=chinese_ordinal(n), n=n)}{block.table.title}")
    elif writer == "glossary":
        doc.blocks.extend(_glossary(d))


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


def write_package(d: Disclosure, doc: Document, outdir: Path, formats: tuple[str, ...] = FORMATS, stem: str = "") -> dict[str, Path]:
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(Message("errors.publish.more.folder_not_created", folder=plain(outdir), why=os_reason(exc))) from None
    name = name_part(stem or f"{d.meta.year}{d.meta.kind}")
    files: dict[str, Path] = {}
    for fmt in formats:
        path = outdir / (f"{name}.disclosure.json" if fmt == "json" else f"{name}.{fmt}")
        if fmt == "json":
            write_atomic(path, lambda p: p.write_text(utf8(d.model_dump_json(indent=1)) + "\n", encoding="utf-8"))
        else:
            write_atomic(path, partial(document_writer(fmt), doc))
        files[fmt] = path
    return files


def build_from_workbook(workbook: Path, outdir: Path, formats: tuple[str, ...] = FORMATS) -> Package:
    from cnbudget.publish.region import build_from_region_workbook, is_region_workbook

    if is_region_workbook(workbook):  # the district's own template, filled in
        return build_from_region_workbook(workbook, outdir, formats)
    data = read_workbook(workbook)  # raises WorkbookInvalid before anything is written
    d = build_disclosure(data)
    doc = build_document(d, data)
    files = write_package(d, doc, outdir, formats)
    return Package(disclosure=d, document=doc, files=files, warnings=data.warnings, notes=data.notes)


def _printable(data: object) -> object:
    """Every string of a loaded JSON document printable (control characters refused by xlsx and docx)."""
    if isinstance(data, str):
        return plain(data)
    if isinstance(data, list):
        return [_printable(v) for v in data]
    if isinstance(data, dict):
        return {k: _printable(v) for k, v in data.items()}
    return data


def _why_not(exc: ValueError) -> Message:
    """The first thing wrong in a loaded Disclosure JSON: where it stands and why, in the catalogs' words
    (a figure beyond the limits keeps the model's own sentence)."""
    from pydantic import ValidationError

    from cnbudget.reasons import field_path, syntax_reason, validation_reason

    if isinstance(exc, ValidationError) and exc.errors():
        first = exc.errors()[0]
        inner = (first.get("ctx") or {}).get("error")
        if first.get("type") == "value_error" and inner is not None:
            return Message("errors.field.at", field=plain(field_path(first))[:200], why=plain(inner))
        return validation_reason(exc)
    return syntax_reason(exc)


def build_from_disclosure(source: Path, outdir: Path, formats: tuple[str, ...] = FORMATS) -> Package:
    from cnbudget.publish.region import build_from_region_workbook, is_region_workbook

    if is_region_workbook(source):  # `--from` the district's own workbook: read as the disclosure it lays out
        return build_from_region_workbook(source, outdir, formats)
    try:
        d = Disclosure.model_validate(_printable(json.loads(source.read_text(encoding="utf-8"))))
    except FileNotFoundError:
        raise InputError(Message("errors.publish.no_file", path=plain(source))) from None
    except IsADirectoryError:
        raise InputError(Message("errors.publish.json_is_folder", path=plain(source))) from None
    except OSError as exc:
        raise InputError(Message("errors.publish.cannot_read", path=plain(source), why=os_reason(exc))) from None
    except RecursionError:
        raise InputError(Message("errors.publish.json_too_deep", name=plain(source.name))) from None
    except ValueError as exc:
        raise InputError(Message("errors.publish.not_json", name=source.name, why=_why_not(exc))) from None
    return reprint(d, outdir, tuple(f for f in formats if f != "json"))  # the JSON is the input


def is_disclosure_json(source: Path) -> bool:
    """Whether a file starts as JSON does (a Disclosure JSON or a damaged one, for ``build_from_disclosure``
    to read or refuse) rather than as a document to read first."""
    try:
        with source.open("rb") as fh:
            head = fh.read(64)
    except OSError:
        return True  # build_from_disclosure says why it cannot be read
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"[", b"")


def reprint(d: Disclosure, outdir: Path, formats: tuple[str, ...] = FORMATS) -> Package:
    """Re-print a Disclosure read from a document (or its JSON) in the standard form, or in its own
    template family's form (``families``)."""
    if d.meta.kind is None:
        kinds = {t.spec_id[:1] for t in d.tables}
        d.meta.kind = "预算" if "B" in kinds and "F" not in kinds else "决算"
    doc = build_document(d, None)
    files = write_package(d, doc, outdir, formats)
    notes = [Issue("note", title, "", i18n.t("publish.local.not_printed", title=title)) for title in doc.not_printed]
    return Package(disclosure=d, document=doc, files=files, notes=notes)
