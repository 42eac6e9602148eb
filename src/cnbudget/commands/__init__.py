"""The cnbudget command line: one Typer app, every command registered from one list.

Commands sit above everything else and call ``cnbudget.api``. Each command module imports only
light modules at its top (typer builds the command line from the signatures); the subsystem a
command needs is imported inside its body, so `cnbudget check` never loads the publishing stack.
"""

from __future__ import annotations

from importlib import import_module

import typer

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
        app.command(name)(getattr(import_module(module), function))
    return app


def create_app() -> typer.Typer:
    """The cnbudget app with every command."""
    app = typer.Typer(
        add_completion=False,
        no_args_is_help=True,
        help="Read, check, produce and compare department budget and final-account disclosures (部门预决算公开).",
    )
    return register(app)


app = create_app()


def main() -> None:  # pragma: no cover - console entry point
    app()
