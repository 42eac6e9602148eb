"""Draft golden rows of a Shanghai 预算 PDF's standard tables, read from its ruled cells with pdfplumber.

Deliberately independent of cnbudget (a second reader, used to build tests/golden/wild_*.tables.csv): the output is
only a draft; every row was then checked against the rendered page (tests/golden/WILD_REVIEW.md).

    python tests/golden/tools/ruled_tables.py FILE.pdf > draft.csv     (a report of the pages goes to stderr)
"""

from __future__ import annotations

import csv
import re
import sys
from typing import Any

import pdfplumber

# (words of the printed title, canonical table name); first match wins.
TITLES = (
    ("财务收支预算总表", "收支总表"),
    ("财政拨款收支预算总表", "财政拨款收支总表"),
    ("收入预算总表", "收入表"),
    ("支出预算总表", "支出表"),
    ("一般公共预算基本支出", "一般公共预算基本支出表"),
    ("一般公共预算支出功能分类", "一般公共预算支出表"),
    ("政府性基金预算支出", "政府性基金预算支出表"),
    ("国有资本经营预算支出", "国有资本经营预算支出表"),
    ("三公", "三公经费支出表"),
    ("项目支出预算表", "项目支出表"),
)
NUMBER = re.compile(r"^-?[\d,]+(\.\d+)?$")
CODE = re.compile(r"^\d{1,3}$")
Row = tuple[str, str, str, str, str, int]


def clean(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def title_above(page: Any, top: float) -> str:
    """The printed line above the table holding '表' (not the 编制部门 line), or ''."""
    lines: dict[int, list[dict[str, Any]]] = {}
    for w in page.extract_words():
        if w["bottom"] <= top + 1:
            lines.setdefault(round(w["top"]), []).append(w)
    for y in sorted(lines):
        text = "".join(w["text"] for w in sorted(lines[y], key=lambda w: w["x0"]))
        if "表" in text and "编制" not in text:
            return text
    return ""


def table_name(title: str) -> str | None:
    return next((name for key, name in TITLES if key in title), None)


def column_edges(table: Any) -> list[tuple[float, float]]:
    ncol = len(table.rows[0].cells)
    x0s = [min(r.cells[c][0] for r in table.rows if r.cells[c] is not None) for c in range(ncol)]
    x0s.append(table.bbox[2])
    return [(x0s[i], x0s[i + 1]) for i in range(ncol)]


def header_paths(table: Any, nhead: int) -> list[list[str]]:
    """Per column, the header cells covering its x-centre, top to bottom (merged cells by geometry)."""
    cells = [c for r in table.rows[:nhead] for c in r.cells if c is not None]
    texts = {c: clean(table.page.crop(c).extract_text()) for c in cells}
    paths = []
    for x0, x1 in column_edges(table):
        xm = (x0 + x1) / 2
        path: list[str] = []
        for c in sorted(cells, key=lambda c: c[1]):
            if c[0] <= xm <= c[2] and texts[c] and (not path or path[-1] != texts[c]):
                path.append(texts[c])
        paths.append(path)
    return paths


def is_data_row(row: list[str | None]) -> bool:
    vals = [clean(x) for x in row if x is not None]
    if all(v == "" for v in vals):
        return True
    return any(NUMBER.match(v) or CODE.match(v) or v.startswith(("一、", "收入总计")) for v in vals)


def realign(table: Any, edges: list[tuple[float, float]]) -> list[list[str | None]]:
    """Rows of a continuation piece whose merged cells differ: each cell to the column holding its x-centre."""
    out = []
    for r in table.rows:
        row: list[str | None] = [None] * len(edges)
        for c in r.cells:
            if c is not None:
                xm = (c[0] + c[2]) / 2
                i = next(i for i, (a, b) in enumerate(edges) if a <= xm <= b)
                row[i] = table.page.crop(c).extract_text() or ""
        out.append(row)
    return out


def table_rows(name: str, paths: list[list[str]], body: list[list[str | None]], page: int) -> list[Row]:
    leaf = [p[-1] if p else "" for p in paths]
    kinds = ["code" if lf in ("类", "款", "项") else "label" if lf.endswith("科目名称") or lf == "项目" else "value" for lf in leaf]
    sides: list[int | None] = []
    side = None
    for i, k in enumerate(kinds):
        if k == "label" and leaf[i] == "项目":
            side = i
        sides.append(side)
    side_starts = sorted({s for s in sides if s is not None})
    out: list[Row] = []
    for raw in body:
        cells = [clean(c) if c is not None else None for c in raw]
        if len(side_starts) > 1:  # side by side: 收入 | 支出
            for s in side_starts:
                for i, k in enumerate(kinds):
                    if sides[i] == s and k == "value" and cells[i]:
                        out.append((name, "", cells[s] or "", "-".join(paths[i]), cells[i] or "", page))
            continue
        codes = [cells[i] for i, k in enumerate(kinds) if k == "code"]
        labels = [c for i, k in enumerate(kinds) if k == "label" and (c := cells[i])]
        code = ""
        if all(not c or c.isdigit() for c in codes):
            code = "".join(c if i == 0 else c.zfill(2) for i, c in enumerate(codes) if c)
        else:  # 合计 merged over the code cells
            labels = [c for c in codes if c] + labels
        for i, k in enumerate(kinds):
            if k == "value" and cells[i]:
                out.append((name, code, "".join(labels), "-".join(paths[i]), cells[i] or "", page))
    return out


def extract(path: str) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    report: list[str] = []
    current: tuple[str, list[list[str | None]], list[list[str]], list[tuple[float, float]]] | None = None
    last_page = -1
    with pdfplumber.open(path) as pdf:
        for pno, page in enumerate(pdf.pages, 1):
            for t in page.find_tables():
                grid = t.extract()
                title = title_above(page, t.bbox[1])
                name = table_name(title)
                if name:
                    nhead = 0
                    while nhead < len(grid) and not is_data_row(grid[nhead]):
                        nhead += 1
                    current = (name, grid[:nhead], header_paths(t, nhead), column_edges(t))
                    body = grid[nhead:]
                    report.append(f"p{pno} {name} [{title}] columns {['-'.join(p) for p in current[2]]}")
                elif current is not None and not title and pno == last_page + 1:
                    name, head = current[0], current[1]
                    if len(grid[0]) != len(current[3]):
                        body = realign(t, current[3])
                        report.append(f"p{pno} {name} continued, cells realigned by x")
                    elif grid[: len(head)] == head:
                        body = grid[len(head) :]
                        report.append(f"p{pno} {name} continued, header repeated")
                    else:
                        body = grid
                        report.append(f"p{pno} {name} continued")
                else:
                    report.append(f"p{pno} table skipped: {title or grid[0]}")
                    continue
                rows += table_rows(name, current[2], body, pno)
                last_page = pno
    return rows, report


def main() -> None:
    rows, report = extract(sys.argv[1])
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["table", "row_code", "row_label", "column", "value", "page"])
    writer.writerows(rows)
    print("\n".join(report), file=sys.stderr)


if __name__ == "__main__":
    main()
