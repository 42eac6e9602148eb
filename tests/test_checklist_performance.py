"""The 检查表's 项目经费情况说明（绩效） row on seed 004, read back from the xlsx (issue 10, family 8).

Seed 004's 项目支出绩效自评表 survive only as scrambled text: the row says 否 with each form whose 总分 is above
what it can be (P-TOTAL-CAP, by line), and its 备注 says per form what could not be read (P-TOTAL 未检查)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from cnbudget.api import check_one
from cnbudget.render import formats
from conftest import SEED_FILES

MESSAGES_LANG = "zh"  # the 检查表 is the reviewer's own Chinese form


def test_seed004_performance_row(tmp_path: Path) -> None:
    out = tmp_path / "检查表.xlsx"
    writer = formats.get("checklist").open(out)
    writer.add(check_one(str(SEED_FILES["004"])))
    writer.close()
    [ws] = list(load_workbook(out))
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "2021年度安阳市北关区部门决算公开情况检查表"
    [row] = [r for r in rows if r[2] == "项目经费情况说明（绩效）"]
    assert row[3] == "否"
    problems = row[4].split("\n")
    caps = [p for p in problems if p.endswith("（P-TOTAL-CAP）")]
    assert [p.split("，", 1)[0] for p in caps] == ["1. 第568行", "2. 第1388行", "3. 第1655行"]
    assert "第752, 763行共失3分，故总分最多为90分，表中总分却为94分" in caps[0]
    assert any("P-NARRATIVE" in p and "99" in p and "97" in p for p in problems)
    note = row[5]
    assert "P-TOTAL未检查" in note and note.count("共19个指标") == 8
    assert "慢性病专家鉴定费（共19个指标，整行识读2行，分值5分/90分；其余指标的分值、得分无法对应到行）" in note
