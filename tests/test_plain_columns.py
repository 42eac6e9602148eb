"""Plain-text tables whose columns cannot be seen (recognize/plain_columns.py, plain_header.py): the amounts
of a row printed without its blank cells, and a header of several levels printed as lines.

The lines are those of the pdfplumber conversion of 万里 2024 (../shared/samples/wild), as printed; the
variants change one thing each and must leave the table unread (no guessed column), never misread.
"""

from __future__ import annotations

from cnbudget.model import Line
from cnbudget.recognize.plain import read_plain
from cnbudget.recognize.plain_columns import Constraints, Stream, place
from cnbudget.recognize.plain_header import spanning_header
from cnbudget.specs import specs

B4_LINES = """编制部门：上海市普陀区人民政府万里街道办事处 单位：元
财政拨款收入 财政拨款支出
项目 预算数 项目 合计 一般公共预算 政府性基金预算 国有资本经营预算
一、一般公共预算资金 156,211,123 一、一般公共服务支出 2,932,700 2,932,700
二、政府性基金 二、公共安全支出 1,633,000 1,633,000
三、国有资本经营预算 三、教育支出 250,000 250,000
四、科学技术支出 100,000 100,000
五、文化旅游体育与传媒支出 200,000 200,000
六、社会保障和就业支出 19,604,064 19,604,064
七、卫生健康支出 3,223,657 3,223,657
八、城乡社区支出 119,385,303 119,385,303
九、住房保障支出 8,882,399 8,882,399
收入总计 156,211,123 支出总计 156,211,123 156,211,123"""

B7_HEADER = """2024年“三公”经费预算数
2024年机关运行经
公务用车购置及运行费
费预算数
合计 因公出国(境)费 公务接待费
小计 购置费 运行费"""


def _lines(text: str) -> list[Line]:
    return [Line(t, None, n) for n, t in enumerate(text.split("\n"), start=1)]


def _b4(grid_text: str) -> list[list[str]] | None:
    found = read_plain(specs().by_id("B4"), _lines(grid_text))
    return None if found is None else [[c.text for c in row] for row in found[0].rows]


def test_b4_amounts_stand_where_every_total_reconciles() -> None:
    rows = _b4(B4_LINES)
    assert rows is not None
    assert rows[1] == ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]
    assert rows[2] == ["一、一般公共预算资金", "156,211,123", "一、一般公共服务支出", "2,932,700", "2,932,700", "", ""]
    assert rows[5] == ["", "", "四、科学技术支出", "100,000", "100,000", "", ""]
    assert rows[-1] == ["收入总计", "156,211,123", "支出总计", "156,211,123", "156,211,123", "", ""]


def test_b4_left_unread_when_the_fund_cannot_be_told() -> None:
    """With 政府性基金 income printed too, the second amount of each row could be either fund: not read."""
    both = B4_LINES.replace("二、政府性基金 二、公共安全支出", "二、政府性基金 5 二、公共安全支出")
    assert _b4(both) is None


def test_b4_left_unread_when_a_total_does_not_reconcile() -> None:
    """A 支出总计 that is not the sum of its rows fits no placement: not read (never placed against a total)."""
    assert _b4(B4_LINES.replace("支出总计 156,211,123 156,211,123", "支出总计 156,211,124 156,211,124")) is None
    assert _b4(B4_LINES.replace("教育支出 250,000 250,000", "教育支出 250,000 250,001")) is None


def test_place_is_none_unless_one_placement_is_left() -> None:
    stream = Stream(keys=["合计", "a", "b"], labels=["一、x", "合计"], amounts=[["5", "5"], ["5", "5"]], total_row=1, top_rows=[0])
    sums = ((0, (1, 2)),)
    assert place(stream, Constraints(sums, frozenset())) is None  # 'a' or 'b': both reconcile
    assert place(stream, Constraints(sums, frozenset({2}))) == [(0, 1), (0, 1)]


def _b7(values: str) -> tuple[list[list[str]], list[tuple[int, ...]]] | None:
    header = [line.split() for line in B7_HEADER.split("\n")]
    return spanning_header(specs().by_id("B7"), header, [values.split()])


def test_b7_header_of_three_levels_in_its_one_order() -> None:
    found = _b7("47.91 0 1.35 46.56 25 21.56 443.18")
    assert found is not None
    head, columns = found
    assert head == [
        ["2024年“三公”经费预算数", "", "", "", "", "", "2024年机关运行经费预算数"],
        ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "", "", ""],
        ["", "", "", "小计", "购置费", "运行费", ""],
    ]
    assert columns == [(0, 1, 2, 3, 4, 5, 6)]


def test_b7_header_left_unread_when_its_order_cannot_be_told() -> None:
    assert _b7("0 0 0 0 0 0 0") is None  # every order holds the identities: which column is which is unknown
    assert _b7("47.91 0 1.35 46.56 25 20.56 443.18") is None  # no order holds them (rounding aside)
    assert _b7("47.91 0 1.35 46.56 25 21.56") is None  # 6 amounts under 7 columns, no column total to place them


FINANCE_B7 = """编制部门：上海市普陀区财政局 单位:万元
“三公”经费预算数
机关运行经费预算
公务用车购置及运行费
数
合计 因公出国(境)费 公务接待费
小计 购置费 运行费
0.95 0.95 229.43"""


def test_b7_of_three_amounts_under_seven_columns_is_not_read_as_three_columns() -> None:
    """普陀区财政局 2025 (pdfplumber text of shpt-finance-2025-dept-budget.pdf p.21) prints 0.95 0.95 229.43: 合计, one
    of 因公出国(境)费 / 公务接待费 (both fit 合计 = its parts), 机关运行经费. Read as the one header line naming three
    columns it gave 因公出国 0.95 and 公务接待费 229.43 (false, and a false B7-1 error); now it is not read."""
    assert read_plain(specs().by_id("B7"), _lines(FINANCE_B7)) is None


B5_HEAD = """项目 一般公共预算支出
功能分类科目编码
功能分类科目名称 合计 基本支出 项目支出
类 款 项
"""


def _b5(rows: str) -> list[list[str]] | None:
    found = read_plain(specs().by_id("B5"), _lines(B5_HEAD + rows))
    return None if found is None else [[c.text for c in row][-3:] for row in found[0].rows[1:]]


def test_rows_without_their_blank_cells_placed_by_the_tree() -> None:
    """普陀区政府办公室 2025 p.14 as pdfplumber prints it (3 of its rows): 一般行政管理事务 46,140,000.00 is 项目支出,
    because 201 03's 基本支出 is the sum of the other 项 rows' 基本支出."""
    rows = """201 一般公共服务支出 58,279,501.84 11,919,501.84 46,360,000.00
201 03 政府办公厅（室）及相关机构事务 58,279,501.84 11,919,501.84 46,360,000.00
201 03 01 行政运行 12,029,501.84 11,919,501.84 110,000.00
201 03 02 一般行政管理事务 46,140,000.00 46,140,000.00
201 03 99 其他 110,000.00 110,000.00
合计 58,279,501.84 11,919,501.84 46,360,000.00"""
    assert _b5(rows) == [
        ["58,279,501.84", "11,919,501.84", "46,360,000.00"],
        ["58,279,501.84", "11,919,501.84", "46,360,000.00"],
        ["12,029,501.84", "11,919,501.84", "110,000.00"],
        ["46,140,000.00", "", "46,140,000.00"],
        ["110,000.00", "", "110,000.00"],
        ["58,279,501.84", "11,919,501.84", "46,360,000.00"],
    ]


def test_rows_left_unread_when_the_tree_leaves_a_choice() -> None:
    """Two 项 of 100 under a 款 of 100 基本 + 100 项目: which is which cannot be told."""
    rows = """201 一般公共服务支出 200 100 100
201 03 政府办公厅（室）及相关机构事务 200 100 100
201 03 01 行政运行 100 100
201 03 02 一般行政管理事务 100 100
合计 200 100 100"""
    assert _b5(rows) is None
