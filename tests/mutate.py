"""Seeded mutations of real inputs, shared by tests/test_fuzz.py and benchmarks/fuzz.py.

Each mutation imitates a class of damage seen in the fuzzing run of issue 9: flipped bits, a
truncated file, runs of digits and huge exponents, rich markup, control characters, broken UTF-8
and lone surrogates, very long lines and very wide rows. The same seed always gives the same bytes.
"""

from __future__ import annotations

import random
import re
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
