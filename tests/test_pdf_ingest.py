"""read_pdf on the three real Shanghai 2024 部门决算 PDFs, on synthetic PDFs, and on bad input.

Every expected cell and line below was checked against the rendered page.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import random
import re
import struct
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from cnbudget.errors import InputError
from cnbudget.ingest.pdf import read_pdf
from cnbudget.model import Grid, Layout, Line

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "pdf"
FINANCE = SAMPLES / "putuo-finance-bureau-2024-final.pdf"
PLANNING = SAMPLES / "putuo-planning-resources-2024-final.pdf"
TEMPLATE = SAMPLES / "shanghai-final-accounts-template-2024.pdf"



@cache
def layout(path: Path) -> Layout:
    return read_pdf(str(path))


def texts(grid: Grid) -> list[list[str]]:
    return [[c.text for c in row] for row in grid.rows]


def grids_on(lay: Layout, page: int) -> list[Grid]:
    return [g for g in lay.grids() if g.page == page]


def lines_on(lay: Layout, page: int) -> list[str]:
    return [ln.text for ln in lay.lines() if ln.page == page]


def row_starting(grid: Grid, first: str) -> list[str]:
    for row in texts(grid):
        if row and row[0] == first:
            return row
    raise AssertionError(f"no row starting with {first!r}")


# --------------------------------------------------------------------------------------------
# 收入支出决算总表
# --------------------------------------------------------------------------------------------


def test_finance_income_expenditure_summary() -> None:
    lay = layout(FINANCE)
    assert lay.format == "pdf" and lay.page_count == 25
    assert lines_on(lay, 6)[:3] == ["第二部分上海市普陀区财政局2024年度部门决算表", "收入支出决算总表", "单位：万元"]
    (grid,) = grids_on(lay, 6)
    rows = texts(grid)
    assert rows[0] == ["收入", "", "支出", ""]
    assert grid.rows[0][0].colspan == 2 and grid.rows[0][2].colspan == 2
    assert rows[1] == ["项目", "决算数", "项目", "决算数"]
    assert rows[2] == ["一、一般公共预算财政拨款收入", "2,940.05", "一、一般公共服务支出", "2,106.66"]
    assert rows[9] == ["八、其他收入", "6.20", "八、社会保障和就业支出", "326.71"]
    assert ["", "", "十九、住房保障支出", "445.69"] in rows
    assert rows[-1] == ["本年收入合计", "2,946.25", "本年支出合计", "2,940.05"]
    assert len(rows) == 29 and not grid.continued
    (rest,) = grids_on(lay, 7)
    assert rest.continued
    assert texts(rest) == [
        ["使用非财政拨款结余（含专用结余）", "", "结余分配", ""],
        ["年初结转和结余", "49.14", "年末结转和结余", "55.34"],
        ["总计", "2,995.39", "总计", "2,995.39"],
    ]


def test_planning_income_expenditure_summary() -> None:
    lay = layout(PLANNING)
    assert lines_on(lay, 7)[:3] == ["上海市规划和自然资源局2024年度部门决算表", "收入支出决算总表", "单位：万元"]
    (grid,) = grids_on(lay, 7)
    rows = texts(grid)
    assert rows[:3] == [
        ["收入", "", "支出", ""],
        ["项目", "决算数", "项目", "决算数"],
        ["一、一般公共预算财政拨款收入", "9746.50", "一、一般公共服务支出", ""],
    ]
    assert ["", "", "十一、城乡社区支出", "3845.25"] in rows
    assert ["", "", "十八、自然资源海洋气象等支出", "4461.67"] in rows
    assert rows[-4:] == [
        ["本年收入合计", "9746.50", "本年支出合计", "9759.38"],
        ["使用非财政拨款结余", "", "结余分配", ""],
        ["年初结转和结余", "112.88", "年末结转和结余", "100.00"],
        ["总计", "9859.38", "总计", "9859.38"],
    ]
    assert lines_on(lay, 7)[-1] == "注：本表反映部门本年度的总收支和年末结转结余情况。"


def test_template_income_expenditure_summary() -> None:
    lay = layout(TEMPLATE)
    assert lines_on(lay, 5)[:3] == ["上海市XX局2024年度部门决算表", "收入支出决算总表", "单位：万元"]
    (grid,) = grids_on(lay, 5)
    rows = texts(grid)
    assert rows[1] == ["项目", "决算数", "项目", "决算数"]
    assert rows[2] == ["一、一般公共预算财政拨款收入", "", "一、一般公共服务支出", ""]
    assert ["", "", "二十四、抗疫特别国债安排的支出", ""] in rows
    assert rows[-1] == ["总计", "", "总计", ""]
    assert len(rows) == 30


# --------------------------------------------------------------------------------------------
# Headers, merged cells, the 合计 row, side-by-side groups
# --------------------------------------------------------------------------------------------


def test_income_table_header_levels_and_total_row_split() -> None:
    (grid,) = grids_on(layout(FINANCE), 8)
    rows = texts(grid)
    assert rows[0][:5] == ["项目", "", "", "", "本年收入合计"]
    assert rows[0][-1] == "其他收入" and rows[0][9] == "附属单位上缴收入"
    top = grid.rows[0]
    assert (top[0].colspan, top[0].rowspan) == (4, 1)
    assert (top[4].colspan, top[4].rowspan) == (1, 3)  # 项目, 支出功能分类, 科目编码 rows
    assert rows[1][:4] == ["支出功能分类", "", "", "科目名称"]
    assert rows[2][:3] == ["科目编码", "", ""]
    # 类/款/项 and 合计 share one ruled row on the page; they come out as two rows.
    assert rows[3] == ["类", "款", "项", "", "", "", "", "", "", "", ""]
    assert rows[4] == ["", "", "", "合计", "2,946.25", "2,940.05", "", "", "", "", "6.20"]
    assert rows[7] == ["201", "06", "01", "行政运行", "1,511.90", "1,511.89", "", "", "", "", "0.01"]
    assert row_starting(grid, "208")[3] == "社会保障和就业支出"
    assert ["208", "05", "05", "机关事业单位基本养老保险缴费支出", "160.75", "160.75", "", "", "", "", ""] in rows


def test_expenditure_table_total_row_with_top_aligned_amounts() -> None:
    (grid,) = grids_on(layout(FINANCE), 10)
    rows = texts(grid)
    assert rows[3][:3] == ["类", "款", "项"] and not any(rows[3][3:])
    assert rows[4] == ["", "", "", "合计", "2,940.05", "2,336.91", "603.14", "", "", ""]
    assert rows[0][9] == "对附属单位补助支出"


def test_basic_expenditure_table_is_one_grid_with_both_groups() -> None:
    lay = layout(FINANCE)
    (grid,) = grids_on(lay, 16)
    rows = texts(grid)
    assert rows[0] == ["经济分类", "", "科目名称", "决算数", "经济分类", "", "科目名称", "决算数"]
    assert rows[2] == ["类", "款", "", "", "类", "款", "", ""]
    assert rows[3] == ["301", "", "工资福利支出", "2,082.85", "302", "", "商品和服务支出", "171.07"]
    assert ["301", "02", "津贴补贴", "1,238.58", "302", "02", "印刷费", "7.61"] in rows
    (rest,) = grids_on(lay, 17)
    assert rest.continued
    assert texts(rest)[-1] == ["人员经费合计", "", "", "2,152.26", "公用经费合计", "", "", "184.65"]
    assert ["", "", "", "", "302", "99", "其他商品和服务支出", "11.53"] in texts(rest)

    (grid,) = grids_on(layout(PLANNING), 16)
    rows = texts(grid)
    assert rows[0] == ["经济分类科目编码", "科目名称", "决算数", "经济分类科目编码", "科目名称", "决算数"]
    assert rows[2] == ["30101", "基本工资", "537.64", "30201", "办公费", "84.62"]
    assert rows[-1] == ["人员经费合计", "", "4884.09", "公用经费合计", "", "480.66"]

    (grid,) = grids_on(layout(TEMPLATE), 11)
    assert texts(grid)[-1] == ["人员经费合计", "", "", "公用经费合计", "", ""]


def test_three_public_expenses_header() -> None:
    (grid,) = grids_on(layout(PLANNING), 17)
    rows = texts(grid)
    assert rows[0][0] == "财政拨款“三公”经费" and grid.rows[0][0].colspan == 12
    assert rows[1][4] == "公务用车购置及运行维护费" and grid.rows[1][4].colspan == 6
    assert rows[2][4:10] == ["小计", "", "公务用车购置费", "", "公务用车运行维护费", ""]
    assert rows[3] == ["预算数", "决算数"] * 6
    assert rows[4] == ["2.85", "0.39", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "2.85", "0.39"]


def test_wrapped_header_cells_join_without_spaces() -> None:
    (grid,) = grids_on(layout(FINANCE), 12)
    assert texts(grid)[1] == [
        "项目",
        "决算数",
        "项目",
        "合计",
        "一般公共预算财政拨款",
        "政府性基金预算财政拨款",
        "国有资本经营预算财政拨款",
    ]


# --------------------------------------------------------------------------------------------
# Continuations, empty tables, positions
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "continued_pages"),
    [(FINANCE, {7, 9, 11, 13, 17}), (PLANNING, {9, 11, 13, 15}), (TEMPLATE, {9})],
)
def test_continued_tables_are_flagged(path: Path, continued_pages: set[int]) -> None:
    lay = layout(path)
    assert {g.page for g in lay.grids() if g.continued} == continued_pages
    for g in lay.grids():
        if g.continued:  # the first block on its page
            assert next(b for b in lay.blocks if b.page == g.page) is g


def test_empty_spill_table_page_is_dropped() -> None:
    lay = layout(FINANCE)
    assert not [b for b in lay.blocks if b.page == 14]  # only the ruling lines of one empty row
    assert any("page 14" in n for n in lay.notes)
    assert lay.ocr_pages == [] and lay.unread_pages == []


def test_positions_and_line_numbers() -> None:
    lay = layout(FINANCE)
    for page in {b.page for b in lay.blocks}:
        blocks = [b for b in lay.blocks if b.page == page]
        tops = [b.bbox[1] for b in blocks if b.bbox]
        assert tops == sorted(tops)  # reading order, top to bottom
        expected = 1
        for b in blocks:
            assert b.line == expected
            expected += len(b.rows) if isinstance(b, Grid) else 1
    (grid,) = grids_on(lay, 6)
    cell = grid.rows[2][1]
    assert cell.text == "2,940.05" and cell.page == 6 and cell.line == grid.line + 2
    assert cell.bbox is not None
    x0, top, x1, bottom = cell.bbox
    assert 240 < x0 < x1 < 320 and grid.bbox is not None and grid.bbox[1] <= top < bottom <= grid.bbox[3]
    doc = pdfium.PdfDocument(str(FINANCE))
    sizes = [doc.get_page_size(i) for i in range(len(doc))]
    doc.close()
    for b in lay.blocks:
        assert b.bbox is not None and b.page is not None
        width, height = sizes[b.page - 1]
        assert 0 <= b.bbox[0] < b.bbox[2] <= width and 0 <= b.bbox[1] < b.bbox[3] <= height


# --------------------------------------------------------------------------------------------
# Narrative lines
# --------------------------------------------------------------------------------------------


def test_numbers_stay_in_their_line() -> None:
    lines = lines_on(layout(FINANCE), 21)
    assert lines[0] == "第三部分上海市普陀区财政局2024年度部门决算情况说明"  # wrapped centred heading joined
    assert lines[2] == "上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入"
    assert lines[3] == "支出总计减少56.95万元，下降1.87%。主要原因：基本支出中人员进出及退休变化，"
    assert "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他" in lines
    p22 = lines_on(layout(FINANCE), 22)
    assert "员经费及公用经费等的基本支出。年初预算为1560.05万元，支出决算为1511.89万" in p22

    lines = lines_on(layout(PLANNING), 20)
    assert "9859.38万元。与2023年度相比，收入支出总计增加1062.85" in lines
    assert "本年收入合计9746.50万元，其中：财政拨款收入9746.50" in lines
    lines = lines_on(layout(TEMPLATE), 15)
    assert "上海市XX局2024年度收入支出总计XXX万元。与2023年" in lines


def test_cover_and_contents() -> None:
    assert lines_on(layout(TEMPLATE), 1) == ["上海市XX局", "2024年度部门决算"]
    contents = lines_on(layout(FINANCE), 2)
    assert contents[0] == "目录"
    assert "七、财政拨款“三公”经费支出决算表" in contents


# --------------------------------------------------------------------------------------------
# Synthetic PDFs: blank pages, a table ruled only horizontally, rotation, form XObjects, titles
# --------------------------------------------------------------------------------------------


class _Maker:
    """Builds small PDFs with the PDFium editing API (standard Helvetica, stroked lines)."""

    def __init__(self) -> None:
        self.doc = pdfium.PdfDocument.new()
        self.page: pdfium.PdfPage | None = None

    def new_page(self, width: float = 595, height: float = 842) -> _Maker:
        if self.page is not None:
            self.page.gen_content()
        self.page = self.doc.new_page(width, height)
        return self

    def text(self, s: str, x: float, y: float, size: float = 10) -> _Maker:
        assert self.page is not None
        obj = pdfium_c.FPDFPageObj_NewTextObj(self.doc.raw, b"Helvetica", ctypes.c_float(size))
        buf = ctypes.create_string_buffer((s + "\0").encode("utf-16-le"))
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
        pdfium_c.FPDFPage_InsertObject(self.page.raw, obj)
        return self

    def line(self, x0: float, y0: float, x1: float, y1: float) -> _Maker:
        assert self.page is not None
        path = pdfium_c.FPDFPageObj_CreateNewPath(ctypes.c_float(x0), ctypes.c_float(y0))
        pdfium_c.FPDFPath_LineTo(path, ctypes.c_float(x1), ctypes.c_float(y1))
        pdfium_c.FPDFPath_SetDrawMode(path, 0, 1)
        pdfium_c.FPDFPageObj_SetStrokeWidth(path, ctypes.c_float(0.75))
        pdfium_c.FPDFPageObj_SetStrokeColor(path, 0, 0, 0, 255)
        pdfium_c.FPDFPage_InsertObject(self.page.raw, path)
        return self

    def box(self, x: float, y: float, width: float, height: float) -> _Maker:
        """A stroked rectangle (some generators draw every table cell this way)."""
        assert self.page is not None
        path = pdfium_c.FPDFPageObj_CreateNewRect(ctypes.c_float(x), ctypes.c_float(y), ctypes.c_float(width), ctypes.c_float(height))
        pdfium_c.FPDFPath_SetDrawMode(path, 0, 1)
        pdfium_c.FPDFPageObj_SetStrokeColor(path, 0, 0, 0, 255)
        pdfium_c.FPDFPage_InsertObject(self.page.raw, path)
        return self

    def save(self, path: Path) -> str:
        if self.page is not None:
            self.page.gen_content()
        self.doc.save(str(path))
        return str(path)


def test_blank_page_and_three_line_table(tmp_path: Path) -> None:
    m = _Maker().new_page()
    m.text("Hello world 2,106.53", 72, 760)
    for y in (700, 680, 640):  # top rule, rule under the header, bottom rule: no vertical rules
        m.line(72, y, 400, y)
    m.text("Item", 80, 686).text("Budget", 200, 686).text("Actual", 300, 686)
    m.text("Salaries", 80, 666).text("1,200.00", 200, 666).text("1,150.50", 300, 666)
    m.text("Rent", 80, 648).text("300.00", 200, 648).text("310.25", 300, 648)
    m.new_page()  # blank
    lay = read_pdf(m.save(tmp_path / "synthetic.pdf"))
    assert lay.page_count == 2
    assert [b.page for b in lay.blocks] == [1, 1]
    line, grid = lay.blocks
    assert isinstance(line, Line) and line.text == "Hello world 2,106.53"
    assert isinstance(grid, Grid)
    assert texts(grid) == [["Item", "Budget", "Actual"], ["Salaries", "1,200.00", "1,150.50"], ["Rent", "300.00", "310.25"]]


def test_wrapped_title_above_grid_is_one_line(tmp_path: Path) -> None:
    m = _Maker().new_page()
    m.text("Revenue and expenditure", 207, 760, size=16).text("summary", 265, 740, size=16)
    rows = [("Item", "Amount")] + [(f"Account number {i}", f"{i * 1000 + 12.5:,.2f}") for i in range(1, 9)]
    top = 700
    for i, (label, amount) in enumerate(rows):
        y = top - 20 * i
        m.line(72, y, 520, y)
        m.text(label, 80, y - 14).text(amount, 310, y - 14)
    bottom = top - 20 * len(rows)
    m.line(72, bottom, 520, bottom)
    for x in (72, 300, 520):
        m.line(x, top, x, bottom)
    lay = read_pdf(m.save(tmp_path / "title.pdf"))
    assert [b.text for b in lay.lines()] == ["Revenue and expenditure summary"]
    assert texts(lay.grids()[0]) == [list(r) for r in rows]


def test_table_of_stroked_cell_rectangles_with_a_merged_header(tmp_path: Path) -> None:
    m = _Maker().new_page()
    m.box(72, 680, 300, 20).text("Spending", 180, 686)  # one header cell over two columns
    rows = [("Item", "Amount"), ("Office", "1,234.56"), ("Travel", "0.00")]
    for i, (label, amount) in enumerate(rows):
        y = 660 - 20 * i
        m.box(72, y, 150, 20).box(222, y, 150, 20)
        m.text(label, 80, y + 6).text(amount, 230, y + 6)
    lay = read_pdf(m.save(tmp_path / "boxes.pdf"))
    (grid,) = lay.grids()
    assert texts(grid) == [["Spending", ""], *[list(r) for r in rows]]
    assert grid.rows[0][0].colspan == 2 and grid.rows[0][1].colspan == 1


def _page_as_form(source: Path, index: int, out: Path, rotate: bool) -> str:
    """A new PDF whose only page draws a sample page through a form XObject.

    With ``rotate`` the page is portrait with /Rotate 90 and the content is turned so that the
    displayed page looks exactly like the (landscape) original.
    """
    src = pdfium.PdfDocument(str(source))
    dst = pdfium.PdfDocument.new()
    width, height = src.get_page_size(index)
    xobject = src.page_as_xobject(index, dst)
    obj = xobject.as_pageobject()
    if rotate:
        page = dst.new_page(height, width)
        obj.transform(pdfium.PdfMatrix().rotate(90, ccw=True).translate(height, 0))
        page.insert_obj(obj)
        page.gen_content()
        page.set_rotation(90)
    else:
        page = dst.new_page(width + 40, height + 40)
        obj.transform(pdfium.PdfMatrix().translate(20, 20))
        page.insert_obj(obj)
        page.gen_content()
    dst.save(str(out))
    return str(out)


@pytest.mark.parametrize("rotate", [False, True])
def test_form_xobject_and_rotated_page_give_the_same_grid(tmp_path: Path, rotate: bool) -> None:
    lay = read_pdf(_page_as_form(FINANCE, 7, tmp_path / "form.pdf", rotate))
    (grid,) = lay.grids()
    (original,) = grids_on(layout(FINANCE), 8)
    assert texts(grid) == texts(original)
    assert [b.text for b in lay.lines()] == ["收入决算表", "单位：万元"]


# --------------------------------------------------------------------------------------------
# Bad input: one sentence, InputError, the file untouched
# --------------------------------------------------------------------------------------------

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _build_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def _encrypted_pdf(user: bytes = b"secret", owner: bytes = b"owner") -> bytes:
    """A one-page PDF encrypted with the standard security handler (RC4 40-bit, revision 2)."""
    file_id = hashlib.md5(b"cnbudget test").digest()
    owner_key = hashlib.md5((owner + _PAD)[:32]).digest()[:5]
    o_entry = _rc4(owner_key, (user + _PAD)[:32])
    permissions = -4
    key = hashlib.md5((user + _PAD)[:32] + o_entry + struct.pack("<i", permissions) + file_id).digest()[:5]
    u_entry = _rc4(key, _PAD)
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (o_entry.hex().encode(), u_entry.hex().encode(), permissions)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        encrypt,
    ]
    return _build_pdf(objects, b"/Encrypt 4 0 R /ID [<%s> <%s>] " % (file_id.hex().encode(), file_id.hex().encode()))


def _zero_page_pdf() -> bytes:
    return _build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_encrypted_pdf_is_a_valid_encrypted_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "locked.pdf", _encrypted_pdf())
    doc = pdfium.PdfDocument(path, password="secret")  # the fixture really is encrypted, and sound
    assert len(doc) == 1
    doc.close()


def _truncated(tmp_path: Path) -> str:
    data = FINANCE.read_bytes()
    return _write(tmp_path, "truncated.pdf", data[: len(data) // 2])


BAD_INPUTS: list[tuple[str, Callable[[Path], str], str]] = [
    ("empty", lambda p: _write(p, "empty.pdf", b""), r"is empty"),
    ("random bytes", lambda p: _write(p, "noise.pdf", random.Random(7).randbytes(5000)), r"is not a PDF file"),
    ("text file", lambda p: _write(p, "notes.pdf", "收入决算表\n".encode()), r"is not a PDF file"),
    ("truncated", _truncated, r"is truncated or damaged"),
    ("garbage body", lambda p: _write(p, "bad.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n"), r"is damaged"),
    ("encrypted", lambda p: _write(p, "locked.pdf", _encrypted_pdf()), r"is encrypted; cnbudget cannot read it without the password\.$"),
    ("zero pages", lambda p: _write(p, "none.pdf", _zero_page_pdf()), r"has no pages\.$"),
    ("missing", lambda p: str(p / "missing.pdf"), r"does not exist\.$"),
    ("directory", lambda p: str(p), r"is a directory"),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_raises_one_sentence(tmp_path: Path, name: str, make: Callable[[Path], str], message: str) -> None:
    path = make(tmp_path)
    before = Path(path).read_bytes() if os.path.isfile(path) else None
    with pytest.raises(InputError) as info:
        read_pdf(path)
    text = str(info.value)
    assert re.search(message, text), text
    assert text.startswith(path) and text.endswith(".") and "\n" not in text
    assert info.value.__cause__ is None  # no chained library traceback behind the sentence
    assert info.value.__context__ is None or info.value.__suppress_context__
    if before is not None:
        assert Path(path).read_bytes() == before


def test_reading_does_not_modify_the_input() -> None:
    before = hashlib.sha256(PLANNING.read_bytes()).hexdigest()
    read_pdf(str(PLANNING))
    assert hashlib.sha256(PLANNING.read_bytes()).hexdigest() == before
