"""The CJK faces the PDF embeds: a serif for running text and tables, a sans for headings.

Both come with cnbudget (src/cnbudget/fonts: Noto Serif / Sans CJK SC cut down to GB2312 and the
characters the documents use, SIL OFL 1.1, made by tools/make_font_subsets.py, checked against
SHA256SUMS), so a PDF looks the same on every machine and nothing is downloaded. A character the
vendored faces lack is drawn from a system font that has it (specs/publish_render.json lists where
to look); if none has it the build stops naming the characters, rather than print blanks.
CNBUDGET_CJK_FONT=path[#face] replaces both faces with one font of the user's choice.

Each face is cut again to the document's own characters (cached in the temp folder): fpdf2 then
parses a few hundred glyphs instead of thousands. A variable font is pinned to the weight asked
for, CFF2 outlines become CFF, which every PDF viewer reads.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from cnbudget.errors import InputError
from cnbudget.i18n import Message
from cnbudget.publish.spec import _load

ENV = "CNBUDGET_CJK_FONT"
_ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "，。、；：？！“”‘’（）《》【】—…·％　"


@dataclass(frozen=True)
class FontSource:
    path: Path
    face: int  # index in a collection (0 for a single font)
    variable: bool
    weight: int = 400  # the weight a variable font is pinned to


@dataclass(frozen=True)
class Faces:
    """What the PDF registers: the body face, the heading face, and where missing characters come from."""

    body: Path
    heading: Path
    fallback: Path | None = None


@lru_cache(maxsize=1)
def render_config() -> dict[str, object]:
    data: dict[str, object] = _load("publish_render.json")
    return data


def vendored_dir() -> Path:
    return Path(str(resources.files("cnbudget").joinpath("fonts")))


def _face_index(path: Path, suffix: str) -> tuple[int, bool]:
    if path.suffix.lower() not in (".ttc", ".otc"):
        font = TTFont(path, lazy=True)
        return 0, "fvar" in font
    collection = TTCollection(path, lazy=True)
    for i, font in enumerate(collection.fonts):
        family = font["name"].getDebugName(1) or ""
        if not suffix or family.endswith(suffix):
            return i, "fvar" in font
    return 0, "fvar" in collection.fonts[0]


def _override() -> FontSource | None:
    given = os.environ.get(ENV, "")
    if not given:
        return None
    raw, _, face = given.partition("#")
    path = Path(raw)
    if not path.exists():
        raise InputError(Message("errors.publish.no_font", env=ENV, given=given))
    if not face:
        index, variable = _face_index(path, "")
    else:
        index = int(face)
        variable = "fvar" in TTCollection(path, lazy=True).fonts[index]
    return FontSource(path, index, variable)


def vendored(role: str) -> FontSource:
    """The bundled face for ``role`` (body / heading)."""
    faces = render_config()["faces"]
    assert isinstance(faces, dict)
    return FontSource(vendored_dir() / faces[role]["file"], 0, False)


def _system_fonts() -> list[FontSource]:
    found = []
    candidates = render_config()["system_fonts"]
    assert isinstance(candidates, list)
    for c in candidates:
        path = Path(c["path"])
        if path.exists():
            index, variable = _face_index(path, c.get("family_suffix", ""))
            found.append(FontSource(path, index, variable))
    return found


def _load_face(source: FontSource) -> TTFont:
    if source.path.suffix.lower() in (".ttc", ".otc"):
        return TTCollection(source.path, lazy=True).fonts[source.face]
    return TTFont(source.path, lazy=True)


@lru_cache(maxsize=16)
def _cmap(source: FontSource) -> frozenset[int]:
    return frozenset(_load_face(source).getBestCmap())


def missing(text: str, source: FontSource) -> str:
    """The characters of ``text`` the font cannot draw (whitespace aside), in order of first use."""
    have = _cmap(source)
    seen: dict[str, None] = {}
    for ch in text:
        if not ch.isspace() and ord(ch) not in have:
            seen[ch] = None
    return "".join(seen)


def _cut(source: FontSource, chars: str, out_dir: Path) -> Path:
    """``source`` holding just ``chars``, pinned to its weight, CFF outlines; cached by content."""
    digest = hashlib.sha1(f"{source.path}|{source.face}|{source.weight}|{chars}".encode()).hexdigest()[:16]
    out = out_dir / f"cjk-{digest}.otf"
    if out.exists():
        return out
    font = _load_face(source)
    options = subset.Options()
    options.layout_features = []  # no shaping in the PDF: the cmap glyphs are what is drawn
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["DSIG", "VORG", "vhea", "vmtx", "BASE", "STAT"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    one = TTFont(io.BytesIO(buffer.getvalue()))
    if source.variable and "fvar" in one:
        from fontTools.varLib import instancer

        axes = {a.axisTag: a for a in one["fvar"].axes}
        location = {"wght": max(axes["wght"].minValue, min(axes["wght"].maxValue, source.weight))} if "wght" in axes else {}
        one = instancer.instantiateVariableFont(one, location)
    if "CFF2" in one:
        from fontTools.cffLib.CFF2ToCFF import convertCFF2ToCFF

        convertCFF2ToCFF(one)
        one.recalcBBoxes = False  # the converted CID font has no glyph names hhea's recalc can use
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    one.save(tmp)
    tmp.replace(out)
    return out


def document_faces(text: str, directory: Path | None = None) -> Faces:
    """The body and heading faces cut to ``text`` (plus ASCII and CJK punctuation), and a fallback
    face for characters the bundled faces lack. InputError names characters no font here can draw."""
    chars = "".join(sorted(set(text + _ALWAYS)))
    out_dir = directory or Path(tempfile.gettempdir()) / "cnbudget-fonts"
    out_dir.mkdir(parents=True, exist_ok=True)
    weights = render_config()["weights"]
    assert isinstance(weights, dict)
    chosen = _override()
    if chosen is not None:
        body = FontSource(chosen.path, chosen.face, chosen.variable, weights["regular"])
        heading = FontSource(chosen.path, chosen.face, chosen.variable, weights["bold"])
    else:
        body, heading = vendored("body"), vendored("heading")
    lacking = "".join(dict.fromkeys(missing(chars, body) + missing(chars, heading)))
    fallback: Path | None = None
    if lacking:
        donor = next((s for s in _system_fonts() if not missing(lacking, s)), None)
        if donor is None:
            raise InputError(Message("errors.publish.glyphs_missing", chars=lacking, env=ENV))
        fallback = _cut(FontSource(donor.path, donor.face, donor.variable, weights["regular"]), lacking, out_dir)
    return Faces(_cut(body, chars, out_dir), _cut(heading, chars, out_dir), fallback)


def cut_vendored(role: str, chars: str, directory: Path | None = None) -> Path:
    """The bundled ``role`` face (never a system font) cut to ``chars``, for a page that must embed what it draws."""
    out_dir = directory or Path(tempfile.gettempdir()) / "cnbudget-fonts"
    out_dir.mkdir(parents=True, exist_ok=True)
    return _cut(vendored(role), "".join(sorted(set(chars + _ALWAYS))), out_dir)
