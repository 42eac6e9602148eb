"""Seeded mutations of real inputs, shared by tests/test_fuzz.py and benchmarks/fuzz.py.

Each mutation imitates a class of damage seen in the fuzzing run of issue 9: flipped bits, a
truncated file, runs of digits and huge exponents, rich markup, control characters, broken UTF-8
and lone surrogates, very long lines and very wide rows. The same seed always gives the same bytes.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

_NUMBER = re.compile(rb"\d[\d,]*\.\d+|\d{2,}")
_MARKUP = [b"[/]", b"[bold]", b"[link=file:///etc]x[/link]", b"[/red]", b"[", b"]", b"\\[x]"]
_CONTROLS = [b"\x1b[31m", b"\x00", b"\x07", b"\x0b", b"\x1f", b"\x7f", b"\xc2\x85", b"\r"]
_BROKEN = [b"\xed\xa0\x80", b"\xff\xfe", b"\xee\x80\x81", b"\xef\xbf\xbf", b"\xf4\x8f\xbf\xbf", b"\xe2\x80\xae"]
_FIGURES = [b"9" * 30, b"1" * 400, b"0." + b"0" * 40 + b"1", b"1e999999", b"Infinity", b"NaN", b"-0", b"1E+308", b"99999999999999999999.00"]


def _at(rng: random.Random, data: bytes) -> int:
    return rng.randrange(len(data) + 1) if data else 0


def bit_flips(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if out:
            i = rng.randrange(len(out))
            out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def char_noise(rng: random.Random, data: bytes) -> bytes:
    """Random characters replaced by random code points (valid UTF-8: reaches recognition)."""
    try:
        chars = list(data.decode("utf-8"))
    except UnicodeDecodeError:
        return bit_flips(rng, data)
    pools = [(0x20, 0x7E), (0x80, 0x24F), (0x3000, 0x303F), (0x4E00, 0x9FFF), (0xE000, 0xF8FF), (0xFFF0, 0xFFFF), (0x1F300, 0x1F6FF)]
    for _ in range(rng.randint(1, 40)):
        if chars:
            lo, hi = rng.choice(pools)
            chars[rng.randrange(len(chars))] = chr(rng.randint(lo, hi))
    return "".join(chars).encode("utf-8")


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)] if data else data


def digit_runs(rng: random.Random, data: bytes) -> bytes:
    numbers = list(_NUMBER.finditer(data))
    out = data
    for m in rng.sample(numbers, min(len(numbers), rng.randint(1, 8))) if numbers else []:
        figure = rng.choice(_FIGURES)
        out = out.replace(m.group(), figure, 1)
    if not numbers:
        i = _at(rng, out)
        out = out[:i] + rng.choice(_FIGURES) + out[i:]
    return out


def _insert(rng: random.Random, data: bytes, pieces: list[bytes], times: int) -> bytes:
    out = data
    for _ in range(times):
        i = _at(rng, out)
        out = out[:i] + rng.choice(pieces) + out[i:]
    return out


def markup(rng: random.Random, data: bytes) -> bytes:
    return _insert(rng, data, _MARKUP, rng.randint(1, 10))


def controls(rng: random.Random, data: bytes) -> bytes:
    return _insert(rng, data, _CONTROLS, rng.randint(1, 10))


def broken_text(rng: random.Random, data: bytes) -> bytes:
    return _insert(rng, data, _BROKEN, rng.randint(1, 5))


def long_line(rng: random.Random, data: bytes) -> bytes:
    i = _at(rng, data)
    piece = rng.choice([b"1", b"\xe4\xb8\x80", b"| ", b"\t", b"a "]) * rng.choice([5_000, 30_000, 200_000])
    return data[:i] + piece + data[i:]


def repeat_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    if not lines:
        return data
    i = rng.randrange(len(lines))
    return b"\n".join(lines[:i] + [lines[i]] * rng.choice([50, 500, 3_000]) + lines[i:])


def wide_rows(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    rows = [i for i, ln in enumerate(lines) if ln.count(b"|") >= 3 or b"\t" in ln]
    if not rows:
        return long_line(rng, data)
    i = rng.choice(rows)
    sep = b"|" if b"|" in lines[i] else b"\t"
    lines[i] = lines[i] + (sep + b"1.00") * rng.choice([300, 2_000])
    return b"\n".join(lines)


MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "bit_flips": bit_flips,
    "char_noise": char_noise,
    "truncate": truncate,
    "digit_runs": digit_runs,
    "markup": markup,
    "controls": controls,
    "broken_text": broken_text,
    "long_line": long_line,
    "repeat_lines": repeat_lines,
    "wide_rows": wide_rows,
}
BINARY_MUTATIONS = ("bit_flips", "truncate", "digit_runs")  # for PDFs: the rest only break the syntax


def mutate(data: bytes, seed: int, binary: bool = False) -> tuple[str, bytes]:
    """One or two seeded mutations of ``data``: (names, mutated bytes)."""
    rng = random.Random(seed)
    names = list(BINARY_MUTATIONS if binary else MUTATIONS)
    chosen = [rng.choice(names) for _ in range(rng.choice([1, 1, 2]))]
    for name in chosen:
        data = MUTATIONS[name](rng, data)
    return "+".join(chosen), data


def corpus(shared: Path) -> list[Path]:
    """The inputs mutated: the small seeds, the small fuzz reproducers and the sample PDFs."""
    seeds = sorted((shared / "seeds").glob("*.txt"))
    repro = sorted(p for p in (shared / "fuzz-repro").glob("*.txt") if p.stat().st_size < 20_000)
    pdfs = sorted((shared / "samples" / "pdf").glob("*.pdf"))
    return [*seeds, *repro, *pdfs]


# --- workbooks (the build path) and Disclosure JSON (build --from) -------------------------------------

_CELL_VALUES: list[object] = [
    "abc", "1,234.56元", "[/]", "[bold]x", "9" * 40, "1e999999", "NaN", "-0", "", " ", "\u200b", "\ue001", "一" * 40_000,
    1e308, -1e308, 9.99e307, 1e-320, 10**30, -(10**25), 0, -1, 3.14159265358979, True, "=1/0", "=SUM(A1:XFD1048576)",
]


def _zip_entries(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return [(info, z.read(info)) for info in z.infolist()]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return None


def _zip_bytes(entries: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, body in entries:
            z.writestr(info.filename, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def workbook_cells(rng: random.Random, data: bytes) -> bytes:
    """Filled cells given wrong types, huge or tiny numbers, formulas, markup, very long text."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data))
    except Exception:
        return bit_flips(rng, data)
    # the cells stored, not the sheet's extent (a cell at XFD1048576 would make that 17 billion)
    filled = [c for ws in wb.worksheets for c in ws._cells.values() if c.value is not None]
    for cell in rng.sample(filled, min(len(filled), rng.randint(1, 12))) if filled else []:
        cell.value = rng.choice(_CELL_VALUES)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def workbook_far_cells(rng: random.Random, data: bytes) -> bytes:
    """A value far beyond the filled area (the 113 s, 7.2 GB class: XFD1048576), or many of them."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data))
    except Exception:
        return bit_flips(rng, data)
    ws = rng.choice(wb.worksheets)
    for _ in range(rng.choice([1, 1, 50])):
        ws.cell(row=rng.choice([rng.randint(1, 200), 50_001, 1_048_576]), column=rng.choice([rng.randint(1, 30), 1_001, 16_384])).value = rng.choice(_CELL_VALUES[:12])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def workbook_xml(rng: random.Random, data: bytes) -> bytes:
    """The XML inside the zip damaged: control characters, broken UTF-8, markup and huge figures in
    shared strings and sheets, a false dimension, a cell reference past the last column."""
    entries = _zip_entries(data)
    if entries is None:
        return bit_flips(rng, data)
    xml = [i for i, (info, _) in enumerate(entries) if info.filename.endswith(".xml")]
    for i in rng.sample(xml, min(len(xml), rng.randint(1, 3))):
        info, body = entries[i]
        choice = rng.randrange(4)
        if choice == 0:
            body = _insert(rng, body, [b"\x01", b"\x1b[31m", b"\xed\xa0\x80", b"\xff", b"&#0;", b"&#xD800;", b"[/]", b"<", b"&"], rng.randint(1, 6))
        elif choice == 1:
            body = re.sub(rb"<v>[^<]*</v>", lambda m: b"<v>" + rng.choice(_FIGURES) + b"</v>" if rng.random() < 0.1 else m.group(), body)
        elif choice == 2:
            body = re.sub(rb'ref="[A-Z]+\d+(:[A-Z]+\d+)?"', rng.choice([b'ref="A1:XFD1048576"', b'ref="A1:ZZZZ99999999"', b'ref=""']), body, count=1)
        else:
            body = re.sub(rb'r="[A-Z]+(\d+)"', lambda m: rng.choice([b'r="XFE1"', b'r="A0"', b'r="A99999999999"', m.group()]), body)
        entries[i] = (info, body)
    return _zip_bytes(entries)


def workbook_bomb(rng: random.Random, data: bytes) -> bytes:
    """A zip bomb: one sheet (or a new part) padded to tens or hundreds of megabytes that compress to little."""
    entries = _zip_entries(data)
    if entries is None:
        return truncate(rng, data)
    sheets = [i for i, (info, _) in enumerate(entries) if info.filename.startswith("xl/worksheets/")]
    size = rng.choice([20, 110]) * 1024 * 1024  # beyond the ratio limit; beyond limits.MAX_UNZIPPED_BYTES too
    if sheets and rng.random() < 0.7:
        i = rng.choice(sheets)
        info, body = entries[i]
        at = body.find(b"<sheetData>")
        at = at + len(b"<sheetData>") if at >= 0 else len(body) // 2
        entries[i] = (info, body[:at] + b" " * size + body[at:])
    else:
        entries.append((zipfile.ZipInfo(f"xl/media/padding{len(entries)}.bin"), b"\0" * size))
    return _zip_bytes(entries)


WORKBOOK_MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "workbook_cells": workbook_cells,
    "workbook_far_cells": workbook_far_cells,
    "workbook_xml": workbook_xml,
    "workbook_bomb": workbook_bomb,
    "bit_flips": bit_flips,
    "truncate": truncate,
}
_JSON_VALUES: list[object] = [
    None, True, -1, 0, 10**40, 1e308, "9" * 40, "1e999999", "NaN", "Infinity", "", "[/]", "\x00\x07\x1b[31m", "\ud800", "一" * 50_000,
    [], {}, [None], {"x": 1}, "2023-13-45", "-0", "0.000000000000000000000000000000000001",
]


def _leaves(node: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _leaves(v, (*path, i))] or [path]
    return [path]


def _set(root: object, path: tuple[object, ...], value: object, delete: bool) -> None:
    parent = root
    for key in path[:-1]:
        parent = parent[key]  # type: ignore[index]
    if delete and isinstance(parent, dict):
        parent.pop(path[-1], None)
    elif delete and isinstance(parent, list):
        parent.pop(path[-1])  # type: ignore[call-overload]
    else:
        parent[path[-1]] = value  # type: ignore[index]


def disclosure_json(rng: random.Random, data: bytes) -> bytes:
    """A Disclosure JSON with values of the wrong type, huge figures, markup, control characters, keys
    removed, a list repeated many times."""
    import json

    try:
        root = json.loads(data)
    except (ValueError, RecursionError):
        return bit_flips(rng, data)
    leaves = [p for p in _leaves(root) if p]
    for path in rng.sample(leaves, min(len(leaves), rng.randint(1, 15))) if leaves else []:
        try:
            _set(root, path, rng.choice(_JSON_VALUES), delete=rng.random() < 0.2)
        except (KeyError, IndexError, TypeError):
            continue
    if rng.random() < 0.2 and isinstance(root, dict):
        lists = [k for k, v in root.items() if isinstance(v, list) and v]
        if lists:
            key = rng.choice(lists)
            root[key] = root[key] * rng.choice([50, 500])
    return json.dumps(root, ensure_ascii=rng.random() < 0.5).encode("utf-8", errors="surrogatepass")


_JSON_TEXTS = [
    "[/]", "[bold]x[/bold]", "\x1b[31m红\x07", "一" * 3_000, "\u202e倒序", "&<>\"'", "{x}%s", "\u200b", "\ue001", "\U00020000",
    "1e999999", "9" * 40, "", " ", "\t\n\r", "第一部分", "合计", "（一）", "2023年", "-", "\\", "a" * 300,
]
_JSON_FIGURES = ["0", "0.00", "-0.01", "-1566.22", "99999999999999.99", "0.0000000001", "123456789012345678901234", "1E+5", "100"]


def _leaf_values(node: object, path: tuple[object, ...] = ()) -> list[tuple[tuple[object, ...], object]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaf_values(v, (*path, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _leaf_values(v, (*path, i))]
    return [(path, node)]


def disclosure_values(rng: random.Random, data: bytes) -> bytes:
    """A Disclosure JSON that stays valid: text fields given markup, control characters, very long or
    unusual text; amounts given odd figures within the limits. It reaches the writers of build --from."""
    import json

    try:
        root = json.loads(data)
    except (ValueError, RecursionError):
        return bit_flips(rng, data)
    from pydantic import ValidationError

    from cnbudget.model import Disclosure

    leaves = _leaf_values(root)
    texts = [p for p, v in leaves if isinstance(v, str) and p and p[-1] != "value"]
    figures = [p for p, v in leaves if p and p[-1] == "value" and isinstance(v, str)]
    for _ in range(8):  # a field that takes only some words (a role, a unit) refuses the text: try other fields
        copy = json.loads(json.dumps(root))
        for path in rng.sample(texts, min(len(texts), rng.randint(1, 12))):
            _set(copy, path, rng.choice(_JSON_TEXTS), delete=False)
        for path in rng.sample(figures, min(len(figures), rng.randint(0, 6))):
            _set(copy, path, rng.choice(_JSON_FIGURES), delete=False)
        try:
            Disclosure.model_validate(copy)
        except ValidationError:
            continue
        break
    return json.dumps(copy, ensure_ascii=rng.random() < 0.5).encode("utf-8", errors="surrogatepass")


JSON_MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "disclosure_json": disclosure_json,
    "disclosure_values": disclosure_values,
    "bit_flips": bit_flips,
    "truncate": truncate,
    "digit_runs": digit_runs,
    "controls": controls,
}


def _pdf_mutations() -> dict[str, Callable[[random.Random, bytes], bytes]]:
    """The structural damage of tests/mutate_pdf.py and the byte-level kind."""
    from tests.mutate_pdf import PDF_MUTATIONS

    return {**PDF_MUTATIONS, **{name: MUTATIONS[name] for name in BINARY_MUTATIONS}}


def mutate_as(data: bytes, seed: int, suffix: str) -> tuple[str, bytes]:
    """One or two seeded mutations chosen for the kind of input: a workbook, a Disclosure JSON or the rest."""
    table = {".xlsx": WORKBOOK_MUTATIONS, ".json": JSON_MUTATIONS, ".pdf": _pdf_mutations()}.get(suffix)
    if table is None:
        return mutate(data, seed)
    rng = random.Random(seed)
    names = list(table) + (list(BINARY_MUTATIONS) if suffix == ".pdf" else [])  # bytes damage twice as likely
    chosen = [rng.choice(names) for _ in range(rng.choice([1, 1, 2]))]
    # a bomb last: nothing here unpacks one; a PDF's bytes damaged after its structure (pdfium must open it)
    chosen.sort(key=lambda name: name == "workbook_bomb" or (suffix == ".pdf" and name in BINARY_MUTATIONS))
    for name in chosen:
        try:
            data = table[name](rng, data)
        except Exception:  # the damage could not be made through the library: damage the bytes
            data = bit_flips(rng, data)
    return "+".join(chosen), data


def build_corpus(shared: Path, folder: Path) -> list[Path]:
    """The inputs of the build path: a filled workbook (seed 002's figures) and its Disclosure JSON made
    in ``folder``, the shared workbooks and the small workbook and JSON reproducers."""
    from tests.test_publish_seed002 import fill_seed002

    from cnbudget.api import build

    filled = fill_seed002(folder / "seed002-filled.xlsx")
    package = build(filled, folder / "package", formats=["json"])
    workbooks = sorted((shared / "samples" / "workbooks").glob("*.xlsx"))
    repro = sorted(p for p in (shared / "fuzz-repro").glob("*") if p.suffix in (".xlsx", ".json") and "bomb" not in p.name)
    return [filled, package.files["json"], *workbooks, *repro]
