"""The command line's own words — usage line, help option, error panel, parsing errors — from our catalogs.

Typer (0.29 and later) carries its own copy of Click whose sentences are English f-strings, not gettext
calls, so no translation catalog can reach them. Instead the app is built from the two classes here
(Typer's documented ``cls=`` hook): they print the usage line and the help option in the language in
force, resolve every help text from its catalog key when the help is shown (not when a module is
imported), and turn each parsing error into our sentence by its kind and its values (which option,
which parameter, which choices) — never by reading the library's English text.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from importlib import import_module
from types import ModuleType
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from cnbudget.i18n import Message, has, render, t

# Click's exception classes, from wherever this typer keeps them (its own copy, or click itself)
_exc = import_module(typer.BadParameter.__module__)
UsageError: type[Exception] = _exc.UsageError

_PANEL_WORDS = {  # typer's help-screen words (typer.rich_utils) → catalog keys
    "ARGUMENTS_PANEL_TITLE": "cli.frame.arguments",
    "OPTIONS_PANEL_TITLE": "cli.frame.options",
    "COMMANDS_PANEL_TITLE": "cli.frame.commands",
    "ERRORS_PANEL_TITLE": "cli.frame.error",
    "DEFAULT_STRING": "cli.frame.default",
    "REQUIRED_LONG_STRING": "cli.frame.required",
    "ENVVAR_STRING": "cli.frame.envvar",
    "ABORTED_TEXT": "cli.frame.aborted",
    "DEPRECATED_STRING": "cli.frame.deprecated",
    "RICH_HELP": "cli.frame.try_help",
}


def localise_panels() -> None:
    """The words typer prints around our texts (Options, [default: …], Try … for help) in the language in force,
    set when typer first imports its help renderer (never, for a command that runs without error: it costs
    70 ms or more of a start)."""
    from cnbudget.commands.after_import import when_imported

    when_imported("typer.rich_utils", _set_panel_words)


def _set_panel_words(rich_utils: ModuleType) -> None:
    for name, key in _PANEL_WORDS.items():
        if hasattr(rich_utils, name):  # typer fills {}, {command_path} and {help_option} itself
            setattr(rich_utils, name, t(key, value="{}"))


class Localised(UsageError):  # type: ignore[misc, valid-type]
    """A usage error whose sentence is already ours (exit code 2, printed in typer's error panel)."""

    def __init__(self, message: str, ctx: Any = None) -> None:
        super().__init__(message, ctx)
        localise_panels()  # the panel around it in the same language

    def format_message(self) -> str:
        return str(self.message)


def _quoted(names: Iterable[str]) -> str:
    return " / ".join(f"'{n}'" for n in names)


def _hint(param: Any) -> str:
    """How an error names a parameter: its option names, or the argument's name; its environment variable."""
    opts = list(getattr(param, "opts", None) or []) if getattr(param, "param_type_name", "") == "option" else []
    name = _quoted(opts) if opts else f"'{getattr(param, 'metavar', None) or param.name}'"
    envvar = getattr(param, "envvar", None)
    if opts and envvar and getattr(param, "show_envvar", False):
        name += t("cli.usage.envvar_hint", name=envvar if isinstance(envvar, str) else ", ".join(envvar))
    return name


def _choices(param: Any) -> list[str]:
    desc = getattr(param, "type_descriptor", None)
    found = getattr(desc, "choices", None) or ()
    return [str(getattr(c, "value", c)) for c in found]


def _param_by_option(ctx: Any, option: str) -> Any:
    if ctx is None:
        return None
    for param in ctx.command.get_params(ctx):
        if option in (*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())):
            return param
    return None


def _why_bad_value(error: Any) -> str:
    """Why a value was refused: from pydantic's structured errors (typer converts with pydantic), else the
    sentence as raised (our own commands raise BadParameter with a catalog sentence)."""
    cause = error.__cause__
    param = getattr(error, "param", None)
    if cause is not None and type(cause).__name__ == "ValidationError" and hasattr(cause, "errors"):
        from cnbudget.reasons import validation_reason

        choices = _choices(param)
        issues = cause.errors()
        if choices and issues:
            return t("cli.usage.not_a_choice", value=issues[0].get("input"), choices=", ".join(choices))
        return str(validation_reason(cause, top=False))
    return str(error.message)


def sentence(error: Any) -> str:
    """Our sentence for one of Click's usage errors, chosen by its class and filled from its attributes."""
    kind = type(error).__name__
    param = getattr(error, "param", None)
    if kind == "NoSuchOption":
        text = t("cli.usage.no_such_option", option=error.option_name)
        if getattr(error, "possibilities", None):
            text += t("cli.usage.possible_options", options=", ".join(sorted(error.possibilities)))
        return text
    if kind == "MissingParameter":
        what = error.param_type or (param.param_type_name if param is not None else "parameter")
        key = f"cli.usage.missing_{what}" if has(f"cli.usage.missing_{what}", "en") else "cli.usage.missing_parameter"
        hint = error.param_hint if error.param_hint is not None else (_hint(param) if param is not None else "")
        text = t(key, name=hint if isinstance(hint, str) else _quoted(hint))
        choices = _choices(param)
        return text + (t("cli.usage.choose_from", choices=", ".join(choices)) if choices else "")
    if kind == "BadOptionUsage":
        option = _param_by_option(error.ctx, error.option_name)
        if option is not None and getattr(option, "is_flag", False):
            return t("cli.usage.takes_no_value", option=error.option_name)
        return t("cli.usage.needs_value", option=error.option_name, count=getattr(option, "nargs", 1) or 1)
    if kind == "BadArgumentUsage":
        return t("cli.usage.argument_count")
    if isinstance(error, _exc.BadParameter):
        if error.param_hint is not None:
            hint = error.param_hint if isinstance(error.param_hint, str) else _quoted(error.param_hint)
        else:
            hint = _hint(param) if param is not None else ""
        why = _why_bad_value(error)
        return t("cli.usage.bad_value", name=hint, why=why) if hint else t("cli.usage.bad_value_plain", why=why)
    return str(error.message)


def localised(error: Any, ctx: Any = None) -> Any:
    """The same error in our words (a NoArgsIsHelpError, which carries the help page, is left alone);
    ``ctx``: the command being parsed, for an error the parser raised without one."""
    if isinstance(error, Localised) or type(error).__name__ == "NoArgsIsHelpError":
        return error
    if error.ctx is None:
        error.ctx = ctx
    return Localised(sentence(error), error.ctx)


def _catalog_helps(command: Any) -> dict[str, object]:
    """Each parameter's help as the command declares it (a Message remembers its key): typer keeps an
    option's help only as plain text in the language of the moment, so it is read from the signature."""
    found: dict[str, object] | None = command.__dict__.get("_catalog_helps")
    if found is None:
        from typer.models import ParameterInfo
        from typer.utils import get_params_from_function

        function = getattr(command.callback, "__wrapped__", None)
        declared = get_params_from_function(function) if function is not None else {}
        found = {name: meta.default.help for name, meta in declared.items() if isinstance(meta.default, ParameterInfo)}
        command.__dict__["_catalog_helps"] = found
    return found


def _relabel(command: Any, root: bool) -> None:
    """Every help text of ``command`` (and a group's commands) in the language in force, from its key."""
    key = "cli.app_help" if root and isinstance(command, TyperGroup) else f"cli.{command.name}.help"
    if has(key, "en"):
        command.help = t(key)
    declared = _catalog_helps(command)
    for param in command.params:
        original = declared.get(param.name or "", param.help)
        if isinstance(original, Message):
            param.help = render(original)
    for sub in getattr(command, "commands", {}).values():
        _relabel(sub, root=False)


class _Words:
    """What both classes do: usage line, help option, help texts and errors in the language in force."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        for name, key in (("options_metavar", "cli.frame.options_metavar"), ("subcommand_metavar", "cli.frame.command_metavar")):
            if getattr(self, name, None):
                setattr(self, name, t(key))
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=t("cli.frame.usage"))

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = t("cli.frame.help_option")
        return option

    def format_help(self, ctx: Any, formatter: Any) -> None:
        localise_panels()
        _relabel(self, root=ctx.parent is None)
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True  # left-over words are reported here, in our words
        try:
            rest: list[str] = super().parse_args(ctx, args)  # type: ignore[misc]
        except UsageError as error:
            raise localised(error, ctx) from None
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise Localised(t("cli.usage.extra_args", args=" ".join(rest)), ctx)
        return rest


class LocalisedCommand(_Words, TyperCommand):
    """A command whose frame words and errors come from our catalogs."""


class LocalisedGroup(_Words, TyperGroup):
    """The app: its commands' names, the usage of a missing or unknown command, in our words."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None and not ctx.resilient_parsing:
            text = t("cli.usage.no_such_command", name=name)
            close = difflib.get_close_matches(name, list(self.commands))
            if close:
                text += t("cli.usage.did_you_mean", names=", ".join(close))
            raise Localised(text, ctx)
        try:
            return super().resolve_command(ctx, args)
        except UsageError as error:
            raise localised(error) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as error:
            if ctx.invoked_subcommand is None and type(error) is UsageError:
                raise Localised(t("cli.usage.missing_command"), ctx) from None
            raise localised(error) from None
