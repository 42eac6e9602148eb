"""Issue 11: a PDF that cannot be opened and a page OCR could not read are said in Chinese only.

The reason is our sentence (cnbudget/reasons.py), chosen by what the exception is, never the
library's English text or its class name.
"""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from tests.conftest import PDFS

from cnbudget.errors import InputError
from cnbudget.i18n import Message, set_lang
from cnbudget.ingest import ocr
from cnbudget.ingest.pdf import document, read_pdf
from cnbudget.ingest.pdf.document import open_pdf
from cnbudget.ingest.pdf.image_text import OcrRefused
from cnbudget.reasons import ocr_reason

MESSAGES_LANG = "zh"

FINANCE = PDFS / "putuo-finance-bureau-2024-final.pdf"
_ENGLISH = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(autouse=True)
def chinese() -> None:
    set_lang(None)


def _image_only_pdf(out: Path) -> Path:
    """Page 6 of a real sample (收入支出决算总表) as a picture only: what a scanned disclosure is."""
    doc = pdfium.PdfDocument(str(FINANCE))
    page = doc[5]
    image = page.render(scale=100 / 72, grayscale=True).to_pil().convert("L")
    page.close()
    doc.close()
    image.save(out, "PDF", resolution=100)
    return out


def test_ocr_reasons_by_what_the_exception_is() -> None:
    refused = Message("ingest.note.too_long", ratio="40", limit=20)
    assert ocr_reason(OcrRefused(refused)) is refused
    assert ocr_reason(RuntimeError("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION")).render("zh") == "识别程序出错"
    assert ocr_reason(MemoryError()).render("zh") == "内存不足"
    assert ocr_reason(OSError(errno.EACCES, "Permission denied")).render("zh") == "没有访问权限"
    assert ocr_reason(RuntimeError("boom")).render("en") == "the recogniser failed"


def test_a_failing_recogniser_is_one_chinese_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> object:
        raise RuntimeError("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Non-zero status code")

    monkeypatch.setattr(ocr, "ocr_region", broken)
    layout = read_pdf(str(_image_only_pdf(tmp_path / "scanned.pdf")))
    assert [str(n) for n in layout.notes] == ["第1页：OCR失败（识别程序出错）"]
    assert layout.unread_pages == [1]


def test_ocr_not_installed_is_said_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(*_args: object) -> object:
        raise ocr.OcrUnavailable(Message("errors.ocr.not_installed"))

    monkeypatch.setattr(ocr, "ocr_region", missing)
    [note] = read_pdf(str(_image_only_pdf(tmp_path / "scanned.pdf"))).notes
    assert str(note) == "第1页：文字只在图片中；OCR不可用（没有安装OCR程序（rapidocr_onnxruntime））"


def test_a_pdf_that_cannot_be_opened_is_all_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk error while reading (EIO): the OS's English strerror is not what the reviewer reads."""

    def failing(*_args: object, **_kwargs: object) -> object:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(document, "open", failing, raising=False)
    with pytest.raises(InputError) as caught:
        open_pdf(str(FINANCE))
    said = str(caught.value)
    assert said == f"无法打开{FINANCE}（读写设备出错（磁盘或网络存储可能有故障））。"
    assert _ENGLISH.findall(said.replace(str(FINANCE), "")) == []
