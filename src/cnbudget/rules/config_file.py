"""The configuration file's shape, validated with pydantic: an unknown section or key, or a value of the
wrong type, is one sentence naming the key (the CLI prints it and exits 2), never a silent default.

``cnbudget.toml`` (or ``[tool.cnbudget]`` in ``pyproject.toml``)::

    [rules]
    disable = ["K001"]
    [rules.severity]
    "X-B3" = "warning"
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cnbudget.i18n import Message
from cnbudget.reasons import field_problem
from cnbudget.rules.findings import SEVERITIES, Severity


class RulesSection(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    disable: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)


class ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    rules: RulesSection = Field(default_factory=RulesSection)


def validate(data: dict[str, Any], source: str, prefix: str = "") -> ConfigFile | Message:
    """The validated configuration, or the one sentence that says what is wrong and where."""
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as exc:
        return _sentence(exc.errors()[0], source, prefix)


def _sentence(error: Any, source: str, prefix: str) -> Message:
    """The catalog sentence for pydantic's first error (messages/<lang>/errors.toml, errors.config.*)."""
    loc = [str(x) for x in error["loc"]]
    kind = error["type"]
    if kind == "extra_forbidden":
        if len(loc) == 1:
            return Message("errors.config.unknown_section", source=source, section=f"{prefix}{loc[0]}", prefix=prefix)
        section = f"{prefix}{'.'.join(loc[:-1])}"
        if loc[0] == "rules":
            known = ", ".join(RulesSection.model_fields)
            return Message("errors.config.unknown_key_known", source=source, key=repr(loc[-1]), section=section, known=known)
        return Message("errors.config.unknown_key", source=source, key=repr(loc[-1]), section=section)
    if loc[:2] == ["rules", "severity"] and len(loc) == 3:
        given = repr(error.get("input"))
        return Message("errors.config.bad_severity", source=source, rule=loc[2], severities=", ".join(SEVERITIES), given=given)
    if loc[:2] == ["rules", "severity"]:
        return Message("errors.config.severity_table", source=source, prefix=prefix)
    if loc[:2] == ["rules", "disable"]:
        return Message("errors.config.disable_list", source=source, prefix=prefix, given=repr(error.get("input")))
    if loc == ["rules"]:
        return Message("errors.config.rules_table", source=source, prefix=prefix)
    return Message("errors.config.other", source=source, key=".".join(loc), why=field_problem(error))
