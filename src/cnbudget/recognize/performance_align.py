"""Aligning a row's cells to the printed columns of a performance form, by content (a converter's
shifted row lands where it was printed)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from cnbudget.numbers import parse_percent
from cnbudget.recognize.performance_values import (
    DASHES,
    is_level1,
    is_level2,
    is_numeric_value,
    key,
    looks_like_name,
    looks_qualitative,
    money,
    plain_number,
)

_FORBIDDEN = 40  # content that cannot stand in a column
_DROP = 30  # leaving a cell out (it is then reported as unreadable)
_SHIFT = 3  # moving a cell one column from where the converter put it


def align(
    cells: Sequence[tuple[int, str]],
    columns: Sequence[tuple[int, str]],
    cost: Callable[[str, str], int],
    skip: Callable[[str, str], int] = lambda skipped, used: 0,
) -> list[str | None]:
    """Assign each non-empty cell (position, text) to a column (position, role), keeping their
    order, minimising ``_SHIFT`` × displacement + ``cost(text, role)`` + ``skip(skipped, used)``
    for each column passed over before a used one; a cell no column can take is None.

    This is what undoes the converter's shifts: '→→项目管理→合同管理完备性' puts 项目管理 under
    二级指标 because a level-2 name in the 三级指标 column costs more than a one-column shift."""
    n, m = len(cells), len(columns)
    inf = 10**9
    # best[i][j]: cost of placing the first i cells with column j-1 the last one used (j=0: none)
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0
    for i in range(1, n + 1):
        pos, text = cells[i - 1]
        for j in range(m + 1):
            # cell i dropped: the last used column stays j
            c, prev = best[i - 1][j] + _DROP, (i - 1, j)
            if j > 0:
                col, role = columns[j - 1]
                here = _SHIFT * abs(pos - col) + cost(text, role)
                passed = 0
                for k in range(j - 1, -1, -1):  # previous used column k-1 (k=0: none), skipping k..j-2
                    if best[i - 1][k] + here + passed < c:
                        c, prev = best[i - 1][k] + here + passed, (i - 1, -k - 1)
                    if k > 0:
                        passed += skip(columns[k - 1][1], role)
            best[i][j] = c
            back[i][j] = prev
    j = min(range(m + 1), key=lambda jj: best[n][jj])
    roles: list[str | None] = [None] * n
    i = n
    while i > 0:
        pi, pk = back[i][j]
        if pk < 0:  # cell i took column j-1; the previous used column is -pk-1
            roles[i - 1] = columns[j - 1][1]
            j = -pk - 1
        i = pi
    return roles


def indicator_skip(skipped: str, used: str) -> int:
    """Passing over 三级指标 / 指标值 to fill a later value column: a value without a name, or an
    actual without a target, is unlikely (a remark without them is not: level-only rows have one)."""
    if skipped == "name" and used in ("target", "actual", "weight", "score"):
        return 5
    if skipped == "target" and used == "actual":
        return 3
    return 0


@lru_cache(maxsize=16384)
def indicator_cost(text: str, role: str) -> int:
    """How badly a cell's content fits an indicator column (0 = fits; compare ``_SHIFT``).

    Only clear misfits cost more than a shift: a level name in the 三级指标 column, a number in
    the 二级指标 column, a long sentence as a 二级指标, a name ending in 率/性 as an 指标值."""
    numeric = is_numeric_value(text)
    lv1, lv2 = is_level1(text), is_level2(text)
    namey = looks_like_name(text)
    if role == "label":
        return _FORBIDDEN
    if role == "level1":
        return 0 if lv1 else _FORBIDDEN
    if role == "level2":
        if lv2:
            return 0
        if numeric:
            return 20
        if lv1 or namey:
            return 8
        return 5 if len(key(text)) <= 10 else 12
    if role == "name":
        if lv1 and not lv2:
            return 10
        if lv2:
            return 2 if namey else 8
        if numeric:
            return 8
        return 2 if looks_qualitative(text) else 0
    if role in ("target", "actual"):
        if numeric or looks_qualitative(text):
            return 0
        if lv1 or lv2:
            return 8
        return 4 if namey and len(key(text)) <= 12 else 1
    if role in ("weight", "score"):
        return 0 if plain_number(text) is not None or key(text) in DASHES else _FORBIDDEN
    # note / description: a short value here more likely belongs to 指标值
    if lv1 or lv2:
        return 8
    if numeric and len(key(text)) <= 10:
        return 3
    return 4 if looks_qualitative(text) else 0


def matrix_cost(text: str, role: str) -> int:
    """Fit of a cell to a column of the 项目资金 block (年初预算数 … 执行率 / 得分)."""
    k = key(text)
    if k in DASHES:
        return 0
    if role == "执行率":
        return 0 if parse_percent(k) else _FORBIDDEN
    if role == "备注":
        return 0
    return 0 if money(text, "万元") is not None else _FORBIDDEN
