"""The house: imports only run down the layers, packages form no cycle, and `check` starts light.

Layers, lowest first: the ground (model, errors, specs), ingest, recognize, then rules / publish /
render side by side, then the reading path and the public API, then the commands and the entry
point. Every import in every module counts, also those inside functions and under TYPE_CHECKING:
a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import PDFS, SEED_FILES

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "cnbudget"

LAYERS: dict[str, int] = {
    "__init__": 0,
    "model": 0,
    "errors": 0,
    "specs": 0,
    "numbers": 0,
    "limits": 0,
    "safe_text": 0,
    "outfile": 0,
    "reasons": 0,
    "i18n": 0,
    "messages": 0,
    "ingest": 1,
    "recognize": 2,
    "rules": 3,
    "publish": 3,
    "render": 3,
    "corpus": 4,
    "pipeline": 4,
    "api": 4,
    "commands": 5,
    "web": 5,
    "cli": 6,
}

HEAVY = ("openpyxl", "numpy", "PIL", "fpdf", "docx", "rapidocr_onnxruntime", "onnxruntime", "fontTools")


def _unit(path: Path) -> str:
    """The top-level package or module of cnbudget a file belongs to."""
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _from_package(name: str) -> str:
    """``from cnbudget import X``: X is a unit when it is a module or package, else a name of cnbudget/__init__."""
    is_unit = (PACKAGE / f"{name}.py").exists() or (PACKAGE / name).is_dir()
    return f"cnbudget.{name}" if is_unit else "cnbudget"


def _imported_units(path: Path) -> set[tuple[str, int]]:
    """(unit, line) of every cnbudget unit the file imports."""
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] if node.module != "cnbudget" else [_from_package(a.name) for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "cnbudget":
                found.add((parts[1] if len(parts) > 1 else "__init__", node.lineno))
    return found


def _edges() -> dict[tuple[str, str], list[str]]:
    edges: dict[tuple[str, str], list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        src = _unit(path)
        for dst, line in _imported_units(path):
            if dst != src:
                edges.setdefault((src, dst), []).append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    return edges


def test_every_unit_has_a_layer() -> None:
    units = {_unit(p) for p in PACKAGE.rglob("*.py")}
    assert not units - set(LAYERS), f"add these to LAYERS in tests/test_architecture.py: {sorted(units - set(LAYERS))}"


def test_no_import_runs_up_the_layers() -> None:
    upward = [
        f"{where}: {src} (layer {LAYERS[src]}) imports {dst} (layer {LAYERS[dst]})"
        for (src, dst), places in _edges().items()
        if src in LAYERS and dst in LAYERS and LAYERS[dst] > LAYERS[src]
        for where in places
    ]
    assert not upward, "\n".join(upward)


def test_rules_never_import_the_reading_path_render_or_commands() -> None:
    forbidden = {"render", "pipeline", "commands", "cli", "api"}
    bad = [f"{w}: rules imports {dst}" for (src, dst), ws in _edges().items() if src == "rules" and dst in forbidden for w in ws]
    assert not bad, "\n".join(bad)


def test_no_cycle_between_packages() -> None:
    graph: dict[str, set[str]] = {}
    for src, dst in _edges():
        graph.setdefault(src, set()).add(dst)
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif len(path) < len(LAYERS):
                visit(nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert not cycles, "cycles between packages: " + "; ".join(" → ".join(c) for c in cycles)


def _modules_after(code: str) -> list[str]:
    """The heavy third-party modules loaded after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_the_command_line_loads_no_publishing_stack() -> None:
    assert _modules_after("import cnbudget.cli\nfrom cnbudget.commands import app") == []


def test_check_loads_no_publishing_stack(tmp_path: Path) -> None:
    for source in (SEED_FILES["002"], PDFS / "putuo-finance-bureau-2024-final.pdf"):
        code = (
            "from cnbudget.commands import app\n"
            "try:\n"
            f"    app(['check', {str(source)!r}, '--exit-zero', '-f', 'json', '-o', {str(tmp_path / 'r.json')!r}])\n"
            "except SystemExit:\n"
            "    pass"
        )
        assert _modules_after(code) == [], source


def test_every_shipped_spec_file_is_read() -> None:
    """A spec file nothing reads is a second, silent home for a fact: each must be named by the code."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    unread = [p.name for p in sorted((PACKAGE / "specs").iterdir()) if p.suffix in (".json", ".csv", ".toml") and p.name not in code]
    assert not unread, f"shipped but never read: {unread}"


# Printed wording of the publisher that names a form in a title or sentence; it belongs in
# publish_tables.json / publish_narrative.json and is listed here until it moves there.
KNOWN_TABLE_LITERALS = {
    ("publish/build.py", "项目支出绩效目标表"),  # the 预算 project form's printed title (an alias of PT_PROJ)
    ("publish/build.py", "整体绩效目标表"),  # f"{scope}整体绩效目标表"
    ("publish/narrative.py", "项目绩效目标表"),  # in the sentence naming the forms published
}


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """String constants of a module (and the literal parts of f-strings), docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


def test_table_names_live_in_tables_json_only() -> None:
    """A canonical table name or title alias written into the code is a second home for it: read it from the spec."""
    import json

    spec = json.loads((PACKAGE / "specs" / "tables.json").read_text(encoding="utf-8"))
    names = {t["name"] for t in spec["tables"]} | {alias for t in spec["tables"] for alias in t["titles"]}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = str(path.relative_to(PACKAGE))
        for line, text in _code_strings(path):
            if text in names and (rel, text) not in KNOWN_TABLE_LITERALS:
                found.append(f"{rel}:{line}: {text!r}")
    assert not found, "table names written as literals (take them from specs().tables):\n" + "\n".join(found)
