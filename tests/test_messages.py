"""Every rule speaks Chinese by default and English on request, from the catalogs (issue 11, parts 1–2).

A rule without a title, an explanation or a message in either language fails here, and so does a
finding whose text is assembled in code instead of taken from a catalog template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cnbudget import i18n
from cnbudget.i18n import Message, set_lang
from cnbudget.render.rule_index import rules_json, rules_markdown
from cnbudget.rules.findings import Finding
from cnbudget.rules.registry import all_rules, rule
from test_rule_fixtures import RULE_IDS, _one, check

PLACEHOLDER = re.compile(r"\{\w+\}")
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("code", i18n.LANGS)
def test_every_rule_has_a_title_and_an_explanation(code: str) -> None:
    missing = [
        f"rules.{r.id}.{part}" for r in all_rules() for part in ("title", "explanation") if not i18n.has(f"rules.{r.id}.{part}", code)
    ]
    assert not missing, f"missing in messages/{code}/: {missing}"


def test_every_rule_has_a_message_in_both_languages() -> None:
    for code in i18n.LANGS:
        keys = i18n.catalog(code)
        without = [r.id for r in all_rules() if not any(k.startswith(f"rules.{r.id}.") and k.split(".")[-1] not in ("title", "explanation")
                                                           for k in keys)
                   and r.id[:1] not in "BFX"]  # the identities share the identity.* templates
        assert not without, f"rules with no message in {code}: {without}"
    assert all(i18n.has(k, c) for k in ("identity.difference", "identity.rounding") for c in i18n.LANGS)


def _findings(rule_id: str) -> list[Finding]:
    return [f for f in check(_one(rule_id, "fire")) if f.rule == rule_id]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_fixture_findings_render_in_both_languages(rule_id: str) -> None:
    found = _findings(rule_id)
    assert found
    for f in found:
        assert isinstance(f.message, Message), f"{rule_id}: message assembled in code: {f.message!r}"
        for code in i18n.LANGS:
            assert i18n.has(f.key, code), (rule_id, f.key, code)
            text = f.text(code)
            assert text and not PLACEHOLDER.search(text), (rule_id, code, text)
        assert f.text("zh") != f.text("en"), (rule_id, f.text("zh"))


def test_chinese_finding_text_follows_the_documents_wording() -> None:
    [b11] = [f for f in _findings("B1-1") if f.severity == "error"][:1]
    zh, en = b11.text("zh"), b11.text("en")
    assert "差额" in zh and "difference" in en and "差额" not in en
    rounding = [f for f in check(_one("B3-4", "fire")) if f.severity == "info" and f.rule == "B3-4"]
    for f in rounding:
        assert f.text("zh").startswith("尾数差异：")
    set_lang("zh")
    assert str(Message("rules.C003.message", table="B8 政府性基金预算支出表", title="x")).endswith("为空表，未附说明原因。")


def test_language_chosen_after_checking_still_applies() -> None:
    set_lang("zh")
    [f, *_] = _findings("N-GROWTH")
    assert HAN.search(f.message.replace(f.params["subject"], "")) and "增长率" in f.message
    set_lang("en")
    assert "is" in f.as_dict()["message"] and f.as_dict()["message"] == f.text("en")


def test_regulations_are_cited_by_number_title_and_article() -> None:
    c006 = rule("C006")
    assert c006.cites("zh") == "《中华人民共和国预算法》第十四条；财预〔2016〕143号《地方预决算公开操作规程》"
    assert "财预〔2016〕143号《地方预决算公开操作规程》" in rule("B1-1").cites("en")
    assert "国务院令第729号《中华人民共和国预算法实施条例》第五条" in rule("B6-1").cites("zh")
    assert rule("K001").cites("zh").startswith("当年《政府收支分类科目》")
    assert "REG-" not in rules_markdown(all_rules(), "zh") and "REG-" not in rules_markdown(all_rules(), "en")
    index = rules_markdown(all_rules(), "zh")
    assert "依据：财预〔2016〕143号《地方预决算公开操作规程》" in index and "## C001" in index
    assert "未公开规定的标准表" in index and "Required standard table not printed" in rules_markdown(all_rules(), "en")
    assert '"cites": "财预〔2016〕143号《地方预决算公开操作规程》' in rules_json([rule("C002")], "zh")


def test_cli_lang_option_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from cnbudget.commands import create_app, lang_from_argv

    assert lang_from_argv(["--lang", "en", "rules"]) == "en" and lang_from_argv(["--lang=zh"]) == "zh"
    assert lang_from_argv(["rules"]) is None
    runner = CliRunner()
    set_lang(None)
    monkeypatch.delenv("CNBUDGET_LANG", raising=False)
    app = create_app()
    zh = runner.invoke(app, ["rules"])
    assert "未公开规定的标准表" in zh.output
    set_lang(None)
    en = runner.invoke(app, ["--lang", "en", "rules"])
    assert "Required standard table not printed" in en.output and "未公开规定的标准表" not in en.output
    set_lang(None)
    monkeypatch.setenv("CNBUDGET_LANG", "en")
    assert "Required standard table not printed" in runner.invoke(app, ["rules"]).output
    bad = runner.invoke(app, ["--lang", "fr", "rules"])
    assert bad.exit_code == 2


def test_reports_have_chinese_headings_by_default(tmp_path: Path) -> None:
    from cnbudget.commands import register
    from conftest import SEED_FILES

    app = register(typer.Typer(add_completion=False), "check", "rules")
    set_lang("zh")
    out = tmp_path / "r.html"
    CliRunner().invoke(app, ["check", str(SEED_FILES["002"]), "--format", "html", "-o", str(out)])
    html = out.read_text(encoding="utf-8")
    assert "<h2>规则说明</h2>" in html and "Rules reported" not in html and "依据: 财预〔2016〕143号" in html
    assert "目录列有“2023 年支出经济分类汇总表”，但文件中没有刊印该表。" in html
    text = CliRunner().invoke(app, ["check", str(SEED_FILES["002"])]).output
    assert "错误21项，警告5项，提示1项" in text
    csv_out = tmp_path / "r.csv"
    CliRunner().invoke(app, ["check", str(SEED_FILES["002"]), "--format", "csv", "-o", str(csv_out)])
    assert csv_out.read_text(encoding="utf-8-sig").splitlines()[0].startswith("文件,规则,类别,严重程度,说明")  # a CSV file starts with a BOM (Excel)
