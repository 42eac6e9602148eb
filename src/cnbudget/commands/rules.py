"""The `rules` command: the rule index (``--format markdown`` is docs/rules.md; also ``python -m cnbudget.commands rules``)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

from cnbudget.i18n import Message


class RulesFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def rules(
    format: Annotated[RulesFormat, typer.Option("--format", "-f", help=Message("cli.rules.format"))] = (RulesFormat.text),
) -> None:
    """List every rule: id, category, default severity, explanation, and what it enforces."""
    from cnbudget.render.rule_index import render_rules, rules_json, rules_markdown
    from cnbudget.rules.registry import all_rules

    listed = all_rules()
    if format is RulesFormat.markdown:
        sys.stdout.write(rules_markdown(listed))
    elif format is RulesFormat.json:
        sys.stdout.write(rules_json(listed))
    else:
        render_rules(listed, Console())

