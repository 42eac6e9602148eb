"""Start-up: a plain `cnbudget check` loads no help renderer, and help and errors still speak the chosen language.

typer's help renderer (typer.rich_utils: rich's markdown, pygments, rich tracebacks) costs 70 ms or
more of every start; the words cnbudget sets in it are set when typer first imports it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import PDFS

RENDERER = ("typer.rich_utils", "pygments", "rich.markdown", "rich.syntax")


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=300)


def _loaded_by_check(argv: list[str], modules: tuple[str, ...], report: Path) -> list[str]:
    """Which of ``modules`` a `cnbudget check` process (argv before the file list) has loaded when it ends."""
    source = PDFS / "shanghai-final-accounts-template-2024.pdf"
    args = [*argv, "check", str(source), "--exit-zero", "-f", "json", "-o", str(report)]
    code = (
        "import sys\n"
        "from cnbudget.cli import main\n"
        f"sys.argv = ['cnbudget', *{args!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(' '.join(m for m in {modules!r} if m in sys.modules))"
    )
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert report.stat().st_size > 0
    return done.stdout.split()


def test_check_does_not_load_the_help_renderer(tmp_path: Path) -> None:
    assert _loaded_by_check([], RENDERER, tmp_path / "r.json") == []


def test_check_builds_only_its_own_command(tmp_path: Path) -> None:
    """`cnbudget check` imports no other command's module (publishing, corpus, web)."""
    others = ("cnbudget.commands.publish", "cnbudget.commands.corpus", "cnbudget.commands.web", "cnbudget.commands.read")
    assert _loaded_by_check(["--lang", "en"], others, tmp_path / "r.json") == []


def test_the_command_named_is_found_after_the_apps_own_options() -> None:
    from cnbudget.commands import invoked

    assert invoked(["check", "a.pdf"]) == "check"
    assert invoked(["--lang", "en", "check", "--help"]) == "check"
    assert invoked(["--lang=zh", "build", "x.xlsx"]) == "build"
    assert invoked(["--help", "check"]) is None  # the app's help lists every command
    assert invoked(["chek"]) is None  # a wrong name: every command, so that the error suggests the right one
    assert invoked([]) is None


def test_app_help_still_lists_every_command() -> None:
    text = _cli("--lang", "en", "--help")
    for name in ("check", "build", "corpus", "serve", "parse"):
        assert name in text


def _cli(*args: str) -> str:
    code = f"import sys\nfrom cnbudget.cli import main\nsys.argv = ['cnbudget', *{list(args)!r}]\nmain()"
    done = _run(code)
    return done.stdout + done.stderr


def test_help_frames_are_in_the_chosen_language() -> None:
    zh = _cli("--lang", "zh", "check", "--help")
    assert "─ 参数 ─" in zh and "─ 选项 ─" in zh
    en = _cli("--lang", "en", "check", "--help")
    assert "─ Arguments ─" in en and "─ Options ─" in en
    assert "参数" not in en


def test_usage_error_frame_is_in_the_chosen_language() -> None:
    assert "─ 错误 ─" in _cli("--lang", "zh", "check", "--no-such-option")
    en = _cli("--lang", "en", "check", "--no-such-option")
    assert "─ Error ─" in en and "错误" not in en
