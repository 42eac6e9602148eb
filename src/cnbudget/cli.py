"""The console entry point (``cnbudget = cnbudget.cli:main``), kept tiny on purpose.

Worker processes of `cnbudget check -j N` re-import the program's main module; this one imports
nothing until the command line is built, so they start light. ``cnbudget.cli.app`` is the Typer app
with every command (``cnbudget.commands.app``), loaded on first use; ``main`` builds only the command
named on the command line.
"""

from __future__ import annotations

from typing import Any


def main() -> None:
    """Run the cnbudget command line: only the command named is built and imported."""
    from cnbudget.commands import main as run

    run()


def __getattr__(name: str) -> Any:
    if name == "app":
        from cnbudget.commands import app

        return app
    raise AttributeError(f"module 'cnbudget.cli' has no attribute {name!r}")


if __name__ == "__main__":
    main()
