"""Crash classes the build-path fuzzing (benchmarks/fuzz.py --only build) found, one regression test each."""

from __future__ import annotations

from pathlib import Path

from docx import Document as DocxDocument
from tests.test_publish_seed002 import fill_seed002

from cnbudget.api import build


def test_a_department_name_longer_than_a_docx_property_still_builds(tmp_path: Path) -> None:
    """Fuzz seed 301 (build --from, digit runs in the department name): python-docx refuses a core property
    over 255 characters; the property is cut, the title page prints the whole name."""
    package = build(fill_seed002(tmp_path / "filled.xlsx"), tmp_path / "first", formats=["json"])
    disclosure = package.disclosure.model_copy(deep=True)
    disclosure.meta.department = "台前县医疗保障局" + "1" * 300
    docx = build(disclosure, tmp_path / "out", formats=["docx"]).files["docx"]
    document = DocxDocument(str(docx))
    assert len(document.core_properties.title) == 255
    assert any(disclosure.meta.department in p.text for p in document.paragraphs)
