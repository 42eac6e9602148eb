"""Test helper: the pdfplumber text of 万里 2024 with one cell of its 财政拨款收支总表 (B4) lost, as a conversion
that drops a printed amount gives it. B4 then fits no placement of its amounts (recognize/plain_columns.py) and
stays unread (C007), and the text reads fewer values than its PDF: the case of a plain text that is not
fully read, which the real conversion no longer is."""

from __future__ import annotations

from pathlib import Path

from conftest import SHARED

WANLI_TEXT = SHARED / "samples" / "wild" / "shpt-wanli-2024-dept-budget.pdfplumber.txt"
PRINTED = "一、一般公共预算资金 156,211,123 一、一般公共服务支出 2,932,700 2,932,700\n"
LOST = "一、一般公共预算资金 156,211,123 一、一般公共服务支出 2,932,700\n"


def text_with_a_lost_cell(folder: Path) -> Path:
    """A copy of the text under its own name in ``folder``, one B4 amount left out."""
    text = WANLI_TEXT.read_text(encoding="utf-8")
    assert text.count(PRINTED) == 1
    target = folder / WANLI_TEXT.name
    target.write_text(text.replace(PRINTED, LOST), encoding="utf-8")
    return target
