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

from cnbudget.rules.findings import SEVERITIES, Severity


class RulesSection(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    disable: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)


class ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    rules: RulesSection = Field(default_factory=RulesSection)


def validate(data: dict[str, Any], source: str, prefix: str = "") -> ConfigFile | str:
    """The validated configuration, or the one sentence that says what is wrong and where."""
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as exc:
        return _sentence(exc.errors()[0], source, prefix)


def _sentence(error: Any, source: str, prefix: str) -> str:
    loc = [str(x) for x in error["loc"]]
    kind = error["type"]
    if kind == "extra_forbidden":
        if len(loc) == 1:
            return f"{source}: unknown section [{prefix}{loc[0]}] (the configuration has only [{prefix}rules])."
        known = ", ".join(RulesSection.model_fields) if loc[0] == "rules" else ""
        return f"{source}: unknown key {loc[-1]!r} in [{prefix}{'.'.join(loc[:-1])}]" + (f" (known: {known})." if known else ".")
    if loc[:2] == ["rules", "severity"] and len(loc) == 3:
        return f"{source}: the severity of {loc[2]} must be one of {', '.join(SEVERITIES)}, not {error.get('input')!r}."
    if loc[:2] == ["rules", "severity"]:
        return f"{source}: [{prefix}rules.severity] must be a table of rule id = severity."
    if loc[:2] == ["rules", "disable"]:
        return f"{source}: [{prefix}rules] disable must be a list of rule ids, not {error.get('input')!r}."
    if loc == ["rules"]:
        return f"{source}: [{prefix}rules] must be a table."
    return f"{source}: {'.'.join(loc)}: {error['msg']}."
