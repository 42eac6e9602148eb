"""Every message exists in both languages and fills its values as plain text."""

from __future__ import annotations

import re

import pytest

from cnbudget import i18n


def test_both_catalogs_have_the_same_keys() -> None:
    zh, en = set(i18n.catalog("zh")), set(i18n.catalog("en"))
    assert zh - en == set(), f"missing in en.toml: {sorted(zh - en)}"
    assert en - zh == set(), f"missing in zh.toml: {sorted(en - zh)}"


@pytest.mark.parametrize("code", i18n.LANGS)
def test_templates_name_the_same_values_in_both_languages(code: str) -> None:
    other = "en" if code == "zh" else "zh"
    names = re.compile(r"\{(\w+)")
    for key, template in i18n.catalog(code).items():
        assert set(names.findall(template)) == set(names.findall(i18n.catalog(other)[key])), key


def test_chinese_by_default_english_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CNBUDGET_LANG", raising=False)
    i18n.set_lang(None)
    assert i18n.t("lang.name") == "中文"
    monkeypatch.setenv("CNBUDGET_LANG", "en")
    assert i18n.t("lang.name") == "English"
    i18n.set_lang("zh")
    assert i18n.t("lang.name") == "中文"
    i18n.set_lang(None)


def test_values_are_plain_text_and_missing_values_stay_visible() -> None:
    assert i18n._FORMATTER.vformat("{a} {b}", (), i18n._Values({"a": "[/]{x}"})) == "[/]{x} {b}"
    assert i18n.t("no.such.key") == "no.such.key"


@pytest.mark.parametrize("code", i18n.LANGS)
def test_the_compiled_catalog_is_current(code: str) -> None:
    """The shipped ``<code>.compiled.json`` holds exactly what the TOML catalogs say (after editing a
    catalog, ``python -m cnbudget.i18n`` writes it anew)."""
    from importlib import resources

    shipped = resources.files("cnbudget.messages").joinpath(f"{code}.compiled.json").read_text(encoding="utf-8")
    assert shipped == i18n.compiled_catalog(code), "run: python -m cnbudget.i18n"
    assert i18n.catalog(code) == i18n._parse(code, i18n._sources(code))


def test_a_stale_compiled_catalog_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """A TOML catalog edited after compiling wins: the digest no longer matches, the TOML is parsed."""
    sources = i18n._sources("en")
    edited = [(name, data.replace(b'app_help = "', b'app_help = "EDITED ', 1)) for name, data in sources]
    assert edited != sources
    monkeypatch.setattr(i18n, "_sources", lambda code: edited)
    i18n.catalog.cache_clear()
    try:
        assert i18n.catalog("en")["cli.app_help"].startswith("EDITED ")
    finally:
        i18n.catalog.cache_clear()
