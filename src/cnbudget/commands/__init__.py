"""The cnbudget command line: one Typer app, every command registered from one list.

Commands sit above everything else and call ``cnbudget.api``. Each command module imports only
light modules at its top (typer builds the command line from the signatures); the subsystem a
command needs is imported inside its body, so `cnbudget check` never loads the publishing stack.
"""

from __future__ import annotations

import sys
from functools import cache
from importlib import import_module
from typing import Annotated

import typer

from cnbudget.commands.frame import LocalisedCommand, LocalisedGroup, localise_panels
from cnbudget.i18n import LANGS, Message, set_lang, t

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
        app.command(name, help=Message(f"cli.{name}.help"), cls=LocalisedCommand)(getattr(import_module(module), function))
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


def _lang_given(value: str | None) -> str | None:
    """``--lang`` (or CNBUDGET_LANG) takes effect as soon as it is parsed (an eager option), so that every
    later word — a usage error included — is in that language."""
    if value is not None:
        code = value.strip().lower()[:2]
        if code not in LANGS:
            raise typer.BadParameter(t("cli.lang_bad", value=value, langs=", ".join(LANGS)), param_hint="--lang")
        set_lang(code)
    return value


def _choose_lang(
    lang: Annotated[
        str | None,
        typer.Option("--lang", help=Message("cli.lang_help"), envvar="CNBUDGET_LANG", callback=_lang_given, is_eager=True),
    ] = None,
) -> None:
    """The app's own options: only --lang, applied while parsing (_lang_given)."""


def invoked(argv: list[str]) -> str | None:
    """The command named on the command line, or None when there is none or the app's own options other
    than ``--lang`` come first (``cnbudget --help`` lists every command)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif arg.startswith("--lang="):
            continue
        elif arg.startswith("-"):
            return None
        else:
            return arg if arg in {name for name, _ in COMMANDS} else None
    return None


def create_app(only: str | None = None) -> typer.Typer:
    """The cnbudget app in the language asked for (--lang, CNBUDGET_LANG): every command, or only the
    command ``only`` — its usage, help, options and errors are the same, and the other commands'
    modules are not imported (`cnbudget check` starts without them)."""
    chosen = lang_from_argv(sys.argv[1:])
    if chosen is not None:
        set_lang(chosen)
    localise_panels()
    app = typer.Typer(add_completion=False, no_args_is_help=True, help=t("cli.app_help"), cls=LocalisedGroup)
    app.callback()(_choose_lang)
    return register(app) if only is None else register(app, only)


def main() -> None:  # pragma: no cover - console entry point
    create_app(invoked(sys.argv[1:]))()


@cache
def _every_command() -> typer.Typer:
    return create_app()


def __getattr__(name: str) -> typer.Typer:
    """``app``: the app with every command, built on first use (tests and embedders run it with any command)."""
    if name == "app":
        return _every_command()
    raise AttributeError(f"module 'cnbudget.commands' has no attribute {name!r}")
