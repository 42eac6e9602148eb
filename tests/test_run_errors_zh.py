"""Issue 11: a file a batch could not finish is reported in a catalog sentence, Chinese by default —
never the exception's English text (api.check_each, corpus reading)."""

from __future__ import annotations

import pytest
from tests.conftest import SEEDS

from cnbudget import api
from cnbudget.corpus.reading import read_and_check
from cnbudget.i18n import render, set_lang
from cnbudget.rules.registry import Config

MESSAGES_LANG = "zh"

SEED = next(SEEDS.glob("000_*.txt"))


@pytest.fixture(autouse=True)
def chinese() -> None:
    set_lang(None)


def _broken(*_args: object, **_kwargs: object) -> object:
    raise KeyError("an English message from deep inside")


def test_a_fault_while_checking_is_one_chinese_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "check_one", _broken)
    [checked] = list(api.check_each([str(SEED)], Config()))
    assert checked.report is None
    assert checked.error == f"{SEED.name}无法检查（cnbudget 程序出错：KeyError；请把这个文件报告给维护者）。"
    assert "English" not in checked.error
    assert render(checked.error, "en") == f"{SEED.name} could not be checked (a fault in cnbudget: KeyError; please report this file)."


def test_a_fault_while_ingesting_is_one_chinese_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "check_one", _broken)  # read_and_check imports it from api when it runs
    result = read_and_check(str(SEED), "0" * 64, SEED.stat().st_size, Config(), False)
    assert result.error == f"{SEED.name}无法检查（cnbudget 程序出错：KeyError；请把这个文件报告给维护者）。"


def test_why_a_file_could_not_be_stored_by_the_error_class() -> None:
    from sqlalchemy.exc import DataError, IntegrityError, OperationalError, ProgrammingError

    from cnbudget.reasons import database_write_reason

    assert database_write_reason(DataError("INSERT", {}, Exception("value too long"))).render("zh") == "有一个数值不符合数据库的要求（过长或类型不对）"
    assert database_write_reason(IntegrityError("INSERT", {}, Exception("UNIQUE"))).render("en") == (
        "a value does not fit the database (too long or of the wrong kind)"
    )
    assert database_write_reason(OperationalError("INSERT", {}, Exception("database is locked"))).render("zh") == (
        "数据库暂时无法写入（被锁定、已满或连接中断）"
    )
    assert database_write_reason(ProgrammingError("INSERT", {}, Exception("no such table"))).render("zh") == "数据库出错"
