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


def test_check_does_not_load_the_help_renderer(tmp_path: Path) -> None:
    source = PDFS / "putuo-finance-bureau-2024-final.pdf"
    code = (
        "import sys\n"
        "from cnbudget.cli import main\n"
        f"sys.argv = ['cnbudget', 'check', {str(source)!r}, '--exit-zero', '-f', 'json', '-o', {str(tmp_path / 'r.json')!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(' '.join(m for m in {RENDERER!r} if m in sys.modules))"
    )
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
    assert (tmp_path / "r.json").stat().st_size > 0


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
