"""Table shapes the reader must read by family, on small grids built here (the real documents are in
tests/test_wild_golden_js.py): a group header drawn over the neighbouring stream's amount column, a
continuation piece drawn with fewer columns, a 小计 word in a second name column."""

from __future__ import annotations

from itertools import pairwise

from cnbudget.model import Cell, Grid, Line, Table
from cnbudget.recognize.tables import Segment, build_table, column_bounds, realign
from cnbudget.specs import specs

# column edges of a three-sided 收支预算总表 (收入 名称|金额, 功能分类 名称|金额, 支出用途 名称|金额)
EDGES = [68.0, 167.0, 218.0, 337.0, 389.0, 487.0, 538.0]


def _row(texts: list[str], top: float, edges: list[float] = EDGES, page: int = 1) -> list[Cell]:
    return [Cell(t, page, int(top), (edges[i], top, edges[i + 1], top + 20)) for i, t in enumerate(texts)]


def _table(spec_id: str, grids: list[Grid], title: str) -> Table:
    spec = next(s for s in specs().tables if s.id == spec_id)
    segment = Segment(spec=spec, title=Line(title, 1, 1), grids=grids, lines=[Line("单位：万元", 1, 2)])
    return build_table(segment, "test.pdf", None)


def _summary_header(use_group_at: int) -> list[list[Cell]]:
    """The header of a 收支预算总表; the 支出用途 group cell starts at column ``use_group_at``."""
    groups = ["项目名称", "金额", "功能分类", "", "", ""]
    groups[use_group_at] = "支出用途"
    return [
        _row(["收入", "", "支出", "", "", ""], 100),
        _row(groups, 120),
        _row(["", "", "功能科目名称", "金额", "项目名称", "金额"], 140),
    ]


def _facts(table: Table) -> set[tuple[str, str, str, str]]:
    return {(row.side, row.label, v.path, v.text) for row in table.rows for v in row.values}


def test_function_amount_under_a_misdrawn_group_header_stays_with_its_name() -> None:
    rows = [
        _row(["一、财政拨款", "100.00", "一、一般公共服务支出", "", "一、基本支出", "60.00"], 160),
        _row(["", "", "四、公共安全支出", "100.00", "二、项目支出", "40.00"], 180),
    ]
    for use_group_at in (3, 4):  # drawn one column too far left (high court 2019 p.8), and as it should be
        table = _table("B1", [Grid(_summary_header(use_group_at) + rows, 1, 100)], "收支预算总表")
        assert ("支出", "四、公共安全支出", "支出-功能分类-金额", "100.00") in _facts(table), use_group_at
        assert ("支出用途", "二、项目支出", "支出-支出用途-金额", "40.00") in _facts(table), use_group_at
        assert [c.path for c in table.columns][3] == "支出-功能分类-金额"


def test_total_row_of_a_narrower_continuation_piece_goes_under_the_first_pieces_columns() -> None:
    record = _row(["一、财政拨款", "100.00", "一、一般公共服务支出", "100.00", "一、基本支出", "100.00"], 160)
    first = Grid([*_summary_header(4), record], 1, 100)
    narrow = [68.0, 167.0, 218.0, 487.0, 538.0]  # page 2: the 功能分类/支出用途 rules are not drawn
    second = Grid([_row(["收入合计", "100.00", "支出合计", "100.00"], 72, narrow, page=2)], 2, 72, continued=True)
    table = _table("B1", [first, second], "收支预算总表")
    # the label is centred over both expenditure streams; its amount is printed in the last column
    assert ("支出", "支出合计", "支出-支出用途-金额", "100.00") in _facts(table)
    assert ("收入", "收入合计", "收入-金额", "100.00") in _facts(table)


def test_realign_by_position_and_refusals() -> None:
    bounds = column_bounds([_row(["a", "1.00", "b", "2.00", "c", "3.00"], 160)])
    assert bounds == list(pairwise(EDGES))
    narrow = _row(["支出合计", "5.00"], 72, [218.0, 487.0, 538.0])
    assert [c.text for c in realign(narrow, bounds)] == ["", "", "支出合计", "", "", "5.00"]
    no_box = [Cell("支出合计", 2, 1), Cell("5.00", 2, 1)]
    assert realign(no_box, bounds) is no_box  # a text conversion: nothing to place by
    crowded = _row(["甲", "乙"], 72, [218.0, 300.0, 330.0])  # two names in one column: not guessed
    assert realign(crowded, bounds) is crowded


def test_subtotal_word_in_a_second_name_column_is_no_value() -> None:
    edges = [58.0, 192.0, 353.0, 538.0]
    grid = Grid(
        [
            _row(["项目名称", "", "金额"], 100, edges),
            _row(["收入总计", "", "100.00"], 120, edges),
            _row(["一般公共预算资金", "小计", "100.00"], 140, edges),
            _row(["", "公共财政拨款（补助）资金", "100.00"], 160, edges),
            _row(["政府性基金", "小计", ""], 180, edges),
            _row(["", "专项收入", ""], 200, edges),
        ],
        1,
        100,
    )
    table = _table("B2", [grid], "收入预算总表")
    assert [(r.label, [(v.path, v.text) for v in r.values]) for r in table.rows] == [
        ("收入总计", [("金额", "100.00")]),
        ("一般公共预算资金", [("金额", "100.00")]),
        ("公共财政拨款（补助）资金", [("金额", "100.00")]),
        ("政府性基金", []),
        ("专项收入", []),
    ]
