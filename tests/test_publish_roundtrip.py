"""Acceptance: seed 003's figures → workbook → build → PDF → cnbudget's own reader → the same figures.

The expected values are computed here from the workbook figures (test_publish_seed003), not by
the publisher: every 项 value must come back exactly as entered, every 类/款/合计 as the sum of
its 项, every 收支总表 line as the sum of what it adds up. Then the whole Disclosure read back from
the PDF must equal the Disclosure the build wrote, value for value.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import cache
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest

from cnbudget.model import Disclosure, Table
from cnbudget.pipeline import read_disclosure
from cnbudget.publish.build import Package, build_from_workbook
from test_publish_seed003 import BALANCES, ECON, LINES, SANGONG, fill_seed003

D = Decimal
Z = D(0)


@cache
def _package(tmp: str) -> tuple[Package, Disclosure]:
    root = Path(tmp)
    workbook = fill_seed003(root / "seed003.xlsx")
    package = build_from_workbook(workbook, root / "out")
    return package, read_disclosure(str(package.files["pdf"]))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Package, Disclosure]:
    return _package(str(tmp_path_factory.mktemp("seed003")))


def _amount(line: dict[str, object], key: str) -> Decimal:
    v = line.get(key, Z)
    assert isinstance(v, Decimal)
    return v


def _tree(keys: dict[str, tuple[str, ...]]) -> dict[str, dict[str, Decimal]]:
    """Expected rows of a 类/款/项 table: {code or '合计': {column: sum}} over lines with any non-zero value.
    A column none of whose cells was entered on the lines summed is blank (absent), not 0.00."""
    rows: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for line in LINES:
        values = {col: sum((_amount(line, k) for k in ks), Z) for col, ks in keys.items()}
        if not any(values.values()):
            continue
        code = str(line["code"])
        for target in ("合计", code[:3], code[:5], code):
            for col, v in values.items():
                if any(k in line for k in keys[col]):
                    rows[target][col] = rows[target].get(col, Z) + v
    return {k: dict(v) for k, v in rows.items()}


def _values(t: Table) -> dict[tuple[str, str, str], Decimal]:
    out = {}
    for r in t.rows:
        for v in r.values:
            assert v.amount is not None
            out[(r.side, r.code or r.label, v.column)] = v.amount.value
    return out


def _check_tree(read: Disclosure, spec_id: str, keys: dict[str, tuple[str, ...]]) -> None:
    t = read.table(spec_id)
    assert t is not None, spec_id
    got = _values(t)
    expected = {("", code, col): v for code, cols in _tree(keys).items() for col, v in cols.items()}
    assert got == expected, spec_id


INCOME = ("inc.gen", "inc.fund", "inc.soe", "inc.upper", "inc.business", "inc.operating", "inc.affiliated", "inc.other")
GEN = ("exp.gen.personnel", "exp.gen.public", "exp.gen.project")
EXPENSE = (*GEN, "exp.fund.personnel", "exp.fund.public", "exp.fund.project")


def test_every_item_line_comes_back_exactly(built: tuple[Package, Disclosure]) -> None:
    _, read = built
    _check_tree(
        read,
        "F2",
        {
            "合计": INCOME,
            "财政拨款收入": ("inc.gen", "inc.fund", "inc.soe"),
            "上级补助收入": ("inc.upper",),
            "事业收入": ("inc.business",),
            "经营收入": ("inc.operating",),
            "附属单位上缴收入": ("inc.affiliated",),
            "其他收入": ("inc.other",),
        },
    )
    _check_tree(
        read,
        "F3",
        {
            "合计": EXPENSE,
            "基本支出": ("exp.gen.personnel", "exp.gen.public", "exp.fund.personnel", "exp.fund.public"),
            "项目支出": ("exp.gen.project", "exp.fund.project"),
            "上缴上级支出": ("exp.upper",),
            "经营支出": ("exp.operating",),
            "对附属单位补助支出": ("exp.affiliated",),
        },
    )
    _check_tree(read, "F5", {"合计": GEN, "基本支出": ("exp.gen.personnel", "exp.gen.public"), "项目支出": ("exp.gen.project",)})
    _check_tree(
        read,
        "F8",
        {
            "年初结转和结余": ("bal.fund.begin",),
            "本年收入": ("inc.fund",),
            "本年支出": ("exp.fund.personnel", "exp.fund.public", "exp.fund.project"),
            "本年支出.基本支出": ("exp.fund.personnel", "exp.fund.public"),
            "本年支出.项目支出": ("exp.fund.project",),
            "年末结转和结余": ("bal.fund.end",),
        },
    )


def test_known_figures_of_seed_003(built: tuple[Package, Disclosure]) -> None:
    """Spot values as printed by the seed (项 lines) and as summed from them (the seed's own rounded
    class totals differ by 0.01 from the sums of its 项: 1,533.30 printed vs 1,533.29 summed)."""
    _, read = built
    f5 = _values(read.table("F5"))  # type: ignore[arg-type]
    assert f5[("", "2101301", "合计")] == D("1283.93")
    assert f5[("", "210", "合计")] == D("1533.29")
    assert f5[("", "合计", "基本支出")] == D("222.29")
    f1 = _values(read.table("F1"))  # type: ignore[arg-type]
    assert f1[("收入", "一、一般公共预算财政拨款收入", "决算数")] == D("1566.21")
    assert f1[("收入", "年初结转和结余", "决算数")] == D("53.23")
    assert f1[("支出", "年末结转和结余", "决算数")] == D("15.35")
    assert f1[("收入", "总计", "决算数")] == f1[("支出", "总计", "决算数")] == D("1654.70")


def test_summary_tables_add_up_to_the_workbook(built: tuple[Package, Disclosure]) -> None:
    _, read = built
    total = lambda keys: sum((_amount(ln, k) for ln in LINES for k in keys), Z)  # noqa: E731
    begin = BALANCES["gen.begin"] + total(("bal.fund.begin",))
    end = BALANCES["gen.end"] + total(("bal.fund.end",))
    f1 = _values(read.table("F1"))  # type: ignore[arg-type]
    assert f1[("收入", "一、一般公共预算财政拨款收入", "决算数")] == total(("inc.gen",))
    assert f1[("收入", "二、政府性基金预算财政拨款收入", "决算数")] == total(("inc.fund",))
    assert f1[("收入", "本年收入合计", "决算数")] == total(INCOME)
    assert f1[("支出", "八、社会保障和就业支出", "决算数")] == D("29.52")
    assert f1[("支出", "二十三、其他支出", "决算数")] == total(("exp.fund.project",))
    assert f1[("支出", "本年支出合计", "决算数")] == total(EXPENSE)
    assert f1[("收入", "总计", "决算数")] == total(INCOME) + begin
    assert f1[("支出", "总计", "决算数")] == total(EXPENSE) + end
    f4 = _values(read.table("F4"))  # type: ignore[arg-type]
    assert f4[("收入", "一般公共预算财政拨款", "金额")] == BALANCES["gen.begin"]  # the 年初 sub-line, not line 一
    assert f4[("收入", "一、一般公共预算财政拨款", "金额")] == total(("inc.gen",))
    assert f4[("支出", "本年支出合计", "一般公共预算")] == total(GEN)
    assert f4[("支出", "年末财政拨款结转和结余", "一般公共预算")] == BALANCES["gen.end"]
    assert f4[("支出", "总计", "政府性基金")] == total(("exp.fund.project",)) + total(("bal.fund.end",))
    f6 = _values(read.table("F6"))  # type: ignore[arg-type]
    for code, personnel, public in ECON:
        side = "人员经费" if code[:3] in ("301", "303") else "公用经费"
        assert f6[(side, code, "决算数")] == (personnel if side == "人员经费" else public), code
    assert f6[("人员经费", "301", "决算数")] == sum((p for c, p, _ in ECON if c.startswith("301")), Z)
    assert f6[("人员经费", "人员经费合计", "决算数")] == sum((p for _, p, _ in ECON), Z)
    assert f6[("公用经费", "公用经费合计", "决算数")] == sum((q for _, _, q in ECON), Z)
    assert ("公用经费", "30701", "决算数") not in f6  # the template's rows are printed even when nothing was entered:
    assert [r.values for r in read.table("F6").rows if r.code == "30701"] == [[]]  # type: ignore[union-attr]  # blank, not 0.00
    f7 = _values(read.table("F7"))  # type: ignore[arg-type]
    assert f7[("", "", "预算数.合计")] == sum((b for b, _ in SANGONG.values()), Z)
    assert f7[("", "", "决算数.公务用车运行费")] == SANGONG["car_running"][1]
    assert f7[("", "", "决算数.公务用车购置及运行费")] == SANGONG["car_purchase"][1] + SANGONG["car_running"][1]
    f9 = read.table("F9")
    assert f9 is not None and f9.empty and "故本表无数据" in f9.note


def test_pdf_reads_back_as_the_built_disclosure(built: tuple[Package, Disclosure]) -> None:
    """Every standard table, every row, every value: what the PDF prints is what the build made."""
    package, read = built
    made = package.disclosure
    assert [t.spec_id for t in read.tables] == [f"F{i}" for i in range(1, 10)]
    for mine in made.tables:
        theirs = read.table(mine.spec_id)
        assert theirs is not None
        assert theirs.unit == mine.unit == "万元"
        assert theirs.empty == mine.empty
        assert [(r.side, r.code, r.label) for r in theirs.rows] == [(r.side, r.code, r.label) for r in mine.rows], mine.spec_id
        for a, b in zip(mine.rows, theirs.rows, strict=True):
            assert sorted((v.column, v.text) for v in a.values) == sorted(set((v.column, v.text) for v in b.values)), (
                mine.spec_id,
                a.code,
                a.label,
            )
    assert read.meta.kind == "决算" and read.meta.year == 2020
    assert not read.absent


def test_checker_finds_no_error_in_the_produced_pdf(built: tuple[Package, Disclosure]) -> None:
    from cnbudget.rules.registry import run

    _, read = built
    errors = [f for f in run(read) if f.severity == "error"]
    assert errors == []


def test_narrative_is_read_back_with_its_figures(built: tuple[Package, Disclosure]) -> None:
    _, read = built
    by_subject = {(f.kind, f.subject): f for f in read.facts}
    total = by_subject[("amount", "收、支总计")]
    assert total.value == D("1654.70")
    change = by_subject[("change", "收、支总计")]
    assert change.change == D("1404.71") and change.percent == D("561.91")  # 1404.71 / 249.99
    share = by_subject[("share", "基本支出")]
    assert share.value == D("222.29") and share.percent == D("13.56")
    completion = by_subject[("completion", "卫生健康支出（类）医疗救助（款）城乡医疗救助（项）")]
    assert (completion.budget, completion.actual, completion.percent) == (D("1150.00"), D("1283.93"), D("111.65"))


def _rendered(pdf: Path, page_index: int) -> tuple[np.ndarray, float]:
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[page_index]
    scale = 3.0
    image = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
    return image, scale


def test_pdf_page_is_chinese_text_not_blank_or_tofu(built: tuple[Package, Disclosure]) -> None:
    """Render the 收入支出决算总表 page and OCR its title: a missing font gives blank boxes (tofu)
    or nothing, and OCR then reads no Chinese."""
    package, _ = built
    pdf = package.files["pdf"]
    doc = pdfium.PdfDocument(str(pdf))
    index = next(i for i in range(len(doc)) if doc[i].get_textpage().get_text_range().startswith("收入支出决算总表"))
    image, _scale = _rendered(pdf, index)
    ink = (image < 128).mean()
    assert 0.01 < ink < 0.5, f"page {index + 1} looks blank or black ({ink:.3f} of pixels inked)"
    from rapidocr_onnxruntime import RapidOCR

    top = image[: image.shape[0] // 6]
    result, _ = RapidOCR()(np.stack([top] * 3, axis=-1))
    texts = "".join(r[1] for r in result or [])
    assert "收入支出决算总表" in texts.replace(" ", "")
    assert "万元" in texts
