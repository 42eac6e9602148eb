"""The catalog grows from what the disclosures print (issue 14): `cnbudget learn-codes FOLDER` collects
the code–name pairs of the disclosures' tables with year and source; with CNBUDGET_CODES pointing at
that list, a workbook may use those codes without a name and without a note."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cnbudget import api
from cnbudget.publish.inputs import Issue, WorkbookInvalid, read_workbook
from cnbudget.publish.learned_codes import ENV, Learned, learn, learned_names, read, write
from conftest import SEED_FILES
from test_publish_codes import _book


def test_learn_collects_the_pairs_a_folder_of_disclosures_prints(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED_FILES["003"], folder)
    (folder / "readme.txt").write_text("not a disclosure", encoding="utf-8")
    found = learn(folder, api.read)
    by_code = {(i.kind, i.code): i for i in found}
    item = by_code[("function", "2101501")]
    assert (item.year, item.level, item.name) == (2020, "项", "行政运行")
    assert item.source.startswith(SEED_FILES["003"].name + " line ")
    assert by_code[("function", "210")].name == "卫生健康支出"  # (类) suffix dropped
    assert by_code[("economic", "30101")].name == "基本工资"
    out = tmp_path / "codes.csv"
    assert write(out, found) == len(found)
    assert write(out, found) == 0  # merging again adds nothing
    assert read(out) == sorted(found)


def _errors(book: Path) -> list[Issue]:
    with pytest.raises(WorkbookInvalid) as exc:
        read_workbook(book)
    return [i for i in exc.value.issues if i.severity == "error"]


def test_learned_codes_need_no_name_in_the_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    codes = tmp_path / "codes.csv"
    write(
        codes,
        [
            Learned("function", 2019, "20501", "款", "教育管理事务", "edu-2019.pdf p12"),
            Learned("function", 2019, "2050101", "项", "行政运行", "edu-2019.pdf p12"),
            Learned("function", 2022, "2050101", "项", "行政运行（新）", "edu-2022.pdf p9"),  # later than the workbook's 2020
            Learned("function", 2019, "2050199", "项", "其他教育管理事务支出", "edu-2019.pdf p12"),
        ],
    )
    monkeypatch.setenv(ENV, str(codes))
    assert learned_names("function", 2020)["2050101"] == "行政运行"
    book = _book(tmp_path / "edu.xlsx", register_kuan=False)
    wb = load_workbook(book)
    ws = wb["功能分类"]
    cleared = 0
    for row in range(1, ws.max_row + 1):
        if str(ws.cell(row=row, column=1).value) in ("2050101", "2050199"):
            ws.cell(row=row, column=2).value = None  # no name typed: the learned one is used
            cleared += 1
    assert cleared == 2
    wb.save(book)
    monkeypatch.delenv(ENV)
    assert any("2050101" in str(i) for i in _errors(book))  # without the learned list: no name anywhere
    monkeypatch.setenv(ENV, str(codes))
    data = read_workbook(book)
    names = {ln.code: ln.name for ln in data.lines}
    assert (names["2050101"], names["2050199"]) == ("行政运行", "其他教育管理事务支出")
    assert data.names["20501"] == "教育管理事务"
    assert not [n for n in data.notes if "205" in n.message]
    assert not [w for w in data.warnings if "20501" in w.message]
