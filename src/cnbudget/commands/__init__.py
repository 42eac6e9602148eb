"""The cnbudget command line: one Typer app, every command registered from one list.

Commands sit above everything else and call ``cnbudget.api``. Each command module imports only
light modules at its top (typer builds the command line from the signatures); the subsystem a
command needs is imported inside its body, so `cnbudget check` never loads the publishing stack.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import Annotated

import typer

from cnbudget.i18n import LANGS, set_lang, t

# (command name, "module:function"), in the order `cnbudget --help` lists them
COMMANDS: tuple[tuple[str, str], ...] = (
    ("parse", "cnbudget.commands.read:parse"),
    ("tables", "cnbudget.commands.read:tables"),
    ("export", "cnbudget.commands.read:export"),
    ("schema", "cnbudget.commands.read:schema"),
    ("version", "cnbudget.commands.read:version"),
    ("check", "cnbudget.commands.check:check"),
    ("review", "cnbudget.commands.review:review"),
    ("rules", "cnbudget.commands.rules:rules"),
    ("template", "cnbudget.commands.publish:template"),
    ("build", "cnbudget.commands.publish:build"),
    ("learn-codes", "cnbudget.commands.publish:learn_codes"),
    ("ingest", "cnbudget.commands.corpus:ingest_command"),
    ("corpus", "cnbudget.commands.corpus:corpus_command"),
    ("compare", "cnbudget.commands.corpus:compare_command"),
    ("export-corpus", "cnbudget.commands.corpus:export_corpus_command"),
    ("serve", "cnbudget.commands.web:serve"),
    ("user", "cnbudget.commands.web:user"),
)


def register(app: typer.Typer, *names: str) -> typer.Typer:
    """Add the named commands (all when none are named) to ``app``."""
    unknown = set(names) - {name for name, _ in COMMANDS}
    if unknown:
        raise ValueError(f"no such command: {', '.join(sorted(unknown))}")
    for name, target in COMMANDS:
        if names and name not in names:
            continue
        module, function = target.split(":")
        app.command(name, help=t(f"cli.{name}.help"))(getattr(import_module(module), function))
    return app


def lang_from_argv(argv: list[str]) -> str | None:
    """The ``--lang`` given on the command line, read before the app is built: Typer evaluates help
    texts when commands are registered, so the language must be known first."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        else:
            continue
        return value if value in LANGS else None
    return None


def _choose_lang(
    lang: Annotated[str | None, typer.Option("--lang", help=t("cli.lang_help"), envvar="CNBUDGET_LANG")] = None,
) -> None:
    if lang is not None:
        code = lang.strip().lower()[:2]
        if code not in LANGS:
            raise typer.BadParameter(t("cli.lang_bad", value=lang, langs=", ".join(LANGS)), param_hint="--lang")
        set_lang(code)


_HELP_WORDS = {  # typer's help-screen words (typer.rich_utils) → catalog keys (messages/<lang>/help.toml)
    "ARGUMENTS_PANEL_TITLE": "cli.frame.arguments",
    "OPTIONS_PANEL_TITLE": "cli.frame.options",
    "COMMANDS_PANEL_TITLE": "cli.frame.commands",
    "ERRORS_PANEL_TITLE": "cli.frame.error",
    "DEFAULT_STRING": "cli.frame.default",
    "REQUIRED_LONG_STRING": "cli.frame.required",
    "ENVVAR_STRING": "cli.frame.envvar",
    "ABORTED_TEXT": "cli.frame.aborted",
}


def _localise_help() -> None:
    """The words typer prints around our help texts (Options, [default: …] …) in the chosen language,
    set when typer first imports its help renderer (never, for a command that runs without error)."""
    from cnbudget.commands.after_import import when_imported

    when_imported("typer.rich_utils", _set_help_words)


def _set_help_words(rich_utils: ModuleType) -> None:
    for name, key in _HELP_WORDS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, t(key, value="{}"))  # typer fills {} itself


def create_app() -> typer.Typer:
    """The cnbudget app with every command, its help in the language asked for (--lang, CNBUDGET_LANG)."""
    chosen = lang_from_argv(sys.argv[1:])
    if chosen is not None:
        set_lang(chosen)
    _localise_help()
    app = typer.Typer(add_completion=False, no_args_is_help=True, help=t("cli.app_help"))
    app.callback()(_choose_lang)
    return register(app)


app = create_app()


def main() -> None:  # pragma: no cover - console entry point
    app()
