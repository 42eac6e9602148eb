"""A CJK font the PDF can embed, found locally and cut down to the characters the document uses.

Nothing is downloaded. The font is looked for where specs/publish_render.json says (an installed
package such as manimgx-fonts-cjk, which ships Noto Sans CJK under the OFL; Debian's fonts-noto-cjk;
WenQuanYi), or at CNBUDGET_CJK_FONT=path[#face]. The document's characters are subset out of it
with fontTools, a variable font is pinned to the regular and bold weights, and CFF2 outlines are
converted to CFF, which every PDF viewer reads. Subsetting first is what makes this fast: fpdf2's
own instancing of the whole 65,000-glyph collection takes minutes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from cnbudget.errors import InputError
from cnbudget.publish.spec import _load

ENV = "CNBUDGET_CJK_FONT"
_ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "，。、；：？！“”‘’（）《》【】—…·％　"


@dataclass(frozen=True)
class FontSource:
    path: Path
    face: int  # index in a collection (0 for a single font)
    variable: bool


@lru_cache(maxsize=1)
def render_config() -> dict[str, object]:
    data: dict[str, object] = _load("publish_render.json")
    return data


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


@lru_cache(maxsize=1)
def find_font() -> FontSource:
    """The first CJK font available here; InputError (one sentence) if there is none."""
    override = os.environ.get(ENV, "")
    if override:
        raw, _, face = override.partition("#")
        given = Path(raw)
        if not given.exists():
            raise InputError(f"{ENV}={override}: no such font file.")
        index, variable = _face_index(given, "") if not face else (int(face), "fvar" in TTCollection(given, lazy=True).fonts[int(face)])
        return FontSource(given, index, variable)
    candidates = render_config()["cjk_fonts"]
    assert isinstance(candidates, list)
    for c in candidates:
        path: Path | None = None
        if "package" in c:
            found = importlib.util.find_spec(c["package"])
            if found is not None and found.submodule_search_locations:
                path = Path(next(iter(found.submodule_search_locations))) / c["file"]
        else:
            path = Path(c["path"])
        if path is not None and path.exists():
            index, variable = _face_index(path, c.get("family_suffix", ""))
            return FontSource(path, index, variable)
    raise InputError(
        "no Chinese font was found for the PDF: install the manimgx-fonts-cjk package (pip) or Debian's fonts-noto-cjk, "
        f"or set {ENV} to a .ttf/.otf/.ttc file."
    )


def _load_face(source: FontSource) -> TTFont:
    if source.path.suffix.lower() in (".ttc", ".otc"):
        return TTCollection(source.path, lazy=True).fonts[source.face]
    return TTFont(source.path, lazy=True)


def subset_fonts(text: str, weights: tuple[int, ...], directory: Path | None = None) -> list[Path]:
    """Font files holding just the glyphs of ``text`` (plus ASCII and CJK punctuation), one per weight.

    The collection is subset once (the slow step: parsing the CFF2 outlines), then the small
    subset is pinned to each weight. Files are cached by content in the temp folder."""
    source = find_font()
    chars = "".join(sorted(set(text + _ALWAYS)))
    out_dir = directory or Path(tempfile.gettempdir()) / "cnbudget-fonts"
    out_dir.mkdir(parents=True, exist_ok=True)

    def target(weight: int) -> Path:
        digest = hashlib.sha1(f"{source.path}|{source.face}|{weight}|{chars}".encode()).hexdigest()[:16]
        return out_dir / f"cjk-{digest}.otf"

    paths = [target(w) for w in weights]
    if all(p.exists() for p in paths):
        return paths
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
    for weight, out in zip(weights, paths, strict=True):
        if out.exists():
            continue
        one = TTFont(io.BytesIO(buffer.getvalue()))
        if source.variable and "fvar" in one:
            from fontTools.varLib import instancer

            axes = {a.axisTag: a for a in one["fvar"].axes}
            location = {"wght": max(axes["wght"].minValue, min(axes["wght"].maxValue, weight))} if "wght" in axes else {}
            one = instancer.instantiateVariableFont(one, location)
        if "CFF2" in one:
            from fontTools.cffLib.CFF2ToCFF import convertCFF2ToCFF

            convertCFF2ToCFF(one)
            one.recalcBBoxes = False  # the converted CID font has no glyph names hhea's recalc can use
        tmp = out.with_suffix(f".{os.getpid()}.tmp")
        one.save(tmp)
        tmp.replace(out)
    return paths
