"""`cnbudget build --from`: a Disclosure read from a document re-prints that document's own text.

Seed 003 (峄城区医疗保障局 2020 决算) is parsed to JSON, built with `build --from`, and the PDF
is read back: every narrative fact equals the source's — kind, subject, value and every other
figure field, the sentence and the section path — because the 概况, 情况说明 and 名词解释 are the
source's headings and paragraphs, not a narrative regenerated from the tables (which would lose
the reasons for changes and the prior-year figures). The two places where the read-back splits a
paragraph differently from the source are listed in ``test_paragraphs_read_back``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cnbudget.commands import register
from cnbudget.model import Disclosure, Location, Paragraph, Section
from cnbudget.pipeline import read_disclosure
from cnbudget.publish.build import build_document
from cnbudget.publish.document import Heading
from cnbudget.publish.document import Paragraph as PrintedParagraph
from conftest import SEED_FILES

FACT_FIELDS = (
    "kind", "subject", "value", "unit", "printed", "direction", "change", "change_printed",
    "percent", "percent_printed", "budget", "actual", "sentence", "section",
)  # fmt: skip


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """cnbudget (test app with the publish commands)."""

    register(app, "template", "build")
    return app


@pytest.fixture(scope="module")
def seed003(tmp_path_factory: pytest.TempPathFactory) -> tuple[Disclosure, Disclosure]:
    """(the Disclosure parsed from seed 003, the one read back from `build --from` of its JSON)."""
    root = tmp_path_factory.mktemp("from003")
    source = read_disclosure(str(SEED_FILES["003"]))
    js = root / "seed003.json"
    js.write_text(source.model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(_app(), ["build", "--from", str(js), "-o", str(root / "out"), "-f", "pdf"])
    assert result.exit_code == 0, result.output
    return source, read_disclosure(str(root / "out" / "2020决算.pdf"))


def _facts(d: Disclosure) -> list[tuple[object, ...]]:
    return [tuple(getattr(f, name) for name in FACT_FIELDS) for f in d.facts]


def test_narrative_facts_read_back_equal_the_sources(seed003: tuple[Disclosure, Disclosure]) -> None:
    source, read = seed003
    assert len(source.facts) == 107
    assert _facts(read) == _facts(source)
    kinds = {f.kind for f in read.facts}
    assert kinds == {"amount", "share", "change", "completion", "count", "budget_vs_actual"}
    # what a regenerated narrative could not say: the source's reasons and prior-year comparisons
    total = next(f for f in read.facts if f.kind == "change" and f.subject == "收、支总计")
    assert (total.change, total.percent) == (Decimal("1404.72"), Decimal("561.91"))
    explanation = next(s for s in read.sections if s.number == "第三部分")
    assert explanation.children[0].paragraphs[0].text.endswith("增长561.91%。主要是医疗救助资金增长较大。")


def _outline(sections: list[Section], skip: tuple[str, ...] = ()) -> list[tuple[int, str, str]]:
    out = []
    for s in sections:
        if s.level == 1 and s.title.endswith(skip):
            continue
        out.append((s.level, s.number, s.title))
        out.extend(_outline(s.children))
    return out


def _texts(sections: list[Section], path: str = "") -> dict[str, str]:
    """Section path → its paragraphs run together (figure captions left out: they are not printed)."""
    out: dict[str, str] = {}
    for s in sections:
        here = f"{path}/{s.number}"
        out[here] = "".join(p.text for p in s.paragraphs if not re.match(r"^图\s*\d+[：:]", p.text))
        out.update(_texts(s.children, here))
    return out


def test_section_tree_and_text_read_back(seed003: tuple[Disclosure, Disclosure]) -> None:
    """The 概况, 情况说明 and 名词解释 come back heading for heading and character for character.
    The table part and the 附件 are printed from the model (their text in the source is the
    tables' residue: titles, 公开01表, 单位 lines), so they are not compared."""
    source, read = seed003
    skip = ("表", "附件")
    assert _outline(read.sections, skip) == _outline(source.sections, skip)
    assert [s.number for s in read.sections] == ["第一部分", "第二部分", "第三部分", "第四部分", "第五部分"]
    mine, theirs = _texts(source.sections), _texts(read.sections)
    compared = [k for k in mine if not k.startswith(("/第二部分", "/第五部分"))]
    assert len(compared) == 28
    assert {k: theirs.get(k) for k in compared} == {k: mine[k] for k in compared}


def test_paragraphs_read_back(seed003: tuple[Disclosure, Disclosure]) -> None:
    """Paragraph by paragraph, the only differences: in 七（二） the PDF reader starts a new paragraph
    where a printed line ends with a sentence ('…车辆保险等。' / '等支出。…'; '…节约公务接待费用。' /
    '其中：国内接待费…'): two source paragraphs come back as four, the text unchanged."""
    source, read = seed003

    def paragraphs(d: Disclosure) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []

        def walk(ss: list[Section], path: str) -> None:
            for s in ss:
                if s.level == 1 and s.title.endswith(("表", "附件")):
                    continue
                here = f"{path}/{s.number}"
                out.extend((here, p.text) for p in s.paragraphs if not re.match(r"^图\s*\d+[：:]", p.text))
                walk(s.children, here)

        walk(d.sections, "")
        return out

    mine, theirs = paragraphs(source), paragraphs(read)
    assert len(mine) == 85 and len(theirs) == 87
    split = [(p, t) for p, t in mine if (p, t) not in theirs]
    assert [p for p, _ in split] == ["/第三部分/七/（二）", "/第三部分/七/（二）"]
    assert split[0][1].startswith("公务用车运行维护费1.13万元") and split[1][1].startswith("3、公务接待费")
    assert [x for x in theirs if x not in mine] == [
        ("/第三部分/七/（二）", split[0][1][: split[0][1].index("等支出")]),
        ("/第三部分/七/（二）", split[0][1][split[0][1].index("等支出") :]),
        ("/第三部分/七/（二）", split[1][1][: split[1][1].index("其中：国内")]),
        ("/第三部分/七/（二）", split[1][1][split[1][1].index("其中：国内") :]),
    ]


def test_tables_are_still_printed_from_the_model(seed003: tuple[Disclosure, Disclosure]) -> None:
    source, read = seed003
    assert [t.spec_id for t in read.tables] == [t.spec_id for t in source.tables]
    assert [f.kind for f in read.performance] == [f.kind for f in source.performance]


# ---------------------------------------------------------------------------------------------
# the printed document, without rendering
# ---------------------------------------------------------------------------------------------


def _blocks(d: Disclosure, kinds: type | tuple[type, ...] = (Heading, PrintedParagraph)) -> list[str]:
    return [b.text for b in build_document(d).blocks if isinstance(b, kinds)]


def test_budget_seed_prints_its_text_without_table_residue() -> None:
    """Seed 002 prints its 情况说明 as 第二部分 and its tables after the 名词解释 with no part heading,
    so the reader leaves table titles, 公开01表 and 单位 lines in the 名词解释: none is printed."""
    d = read_disclosure(str(SEED_FILES["002"]))
    text = _blocks(d)
    assert "第三部分 台前县医疗保障局2023年部门汇总预算情况说明" in text  # the source's title, the standard place
    assert "一、财政拨款收入：是指同级财政当年拨付的资金。" in text  # the source's 名词解释
    assert any(t.startswith("台前县医疗保障局2023年“三公”经费预算为0万元") for t in text)
    residue = [t for t in _blocks(d, PrintedParagraph) if re.search(r"公开\d+表|单位[:：]|预算表|绩效目标表|部门名称[:：]", t)]
    assert residue == []


def _section(number: str, title: str, level: int, *paragraphs: str) -> Section:
    where = Location(source="x.txt", line=1)
    return Section(
        number=number, title=title, level=level, location=where, paragraphs=[Paragraph(text=p, location=where) for p in paragraphs]
    )


def _disclosure(sections: list[Section]) -> Disclosure:
    d = read_disclosure(str(SEED_FILES["003"])).model_copy(deep=True)
    d.sections = sections
    return d


def test_standard_headings_take_the_standard_order_others_stay() -> None:
    """二 and 一 printed the other way round, a non-standard heading between them: the standard ones
    swap places (and are renumbered in their new order), the other keeps its place."""
    part = _section("第三部分", "2020年度单位决算情况说明", 1)
    part.children = [
        _section("一", "收入决算情况说明", 2, "本年收入合计1,601.48万元。"),
        _section("二", "本单位的特别说明", 2, "特别的话。"),
        _section("三", "收入支出决算总体情况说明", 2, "2020年度收、支总计1,654.71万元。"),
    ]
    text = _blocks(_disclosure([part]))
    i = text.index("第三部分 2020年度单位决算情况说明")
    assert text[i : i + 7] == [
        "第三部分 2020年度单位决算情况说明",
        "一、收入支出决算总体情况说明",
        "2020年度收、支总计1,654.71万元。",
        "二、本单位的特别说明",
        "特别的话。",
        "三、收入决算情况说明",
        "本年收入合计1,601.48万元。",
    ]
    # no 概况 / 名词解释 in the source: the standard writers fill those parts
    assert "第四部分 名词解释" in text and any(t.startswith("一、财政拨款收入：") for t in text)


def test_without_paragraphs_the_narrative_is_regenerated() -> None:
    """A Disclosure whose sections carry no paragraphs (written by an older cnbudget, or built from
    a workbook) gets the 情况说明 written from its tables, as before."""
    d = _disclosure([_section("第三部分", "2020年度单位决算情况说明", 1)])
    text = _blocks(d)
    assert "一、收入支出决算总体情况说明" in text
    assert "2020年度收、支总计1,654.71万元。" in text  # the standard sentence, from the 收支总表


def test_a_document_without_part_headings_has_its_explanation_found(tmp_path: Path) -> None:
    """一、二、 headings at the top (no 第X部分): the run holding standard headings is the 情况说明."""
    d = _disclosure(
        [
            _section("一", "收入支出决算总体情况说明", 2, "2020年度收、支总计1,654.71万元。"),
            _section("二", "其他说明", 2, "无。"),
        ]
    )
    text = _blocks(d)
    i = text.index("第三部分 2020年度单位决算情况说明")
    assert text[i + 1 : i + 5] == ["一、收入支出决算总体情况说明", "2020年度收、支总计1,654.71万元。", "二、其他说明", "无。"]
