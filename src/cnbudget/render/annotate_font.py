"""The font of the small 'N RULE' labels drawn on the pages of the annotated PDF, embedded in the file.

A label used pdfium's stock Helvetica, which is not embedded: a viewer without it substitutes a font
or shows nothing. pdfium embeds only what it is given as TrueType (FontFile2) or Type 1, while the
bundled Noto faces have CFF outlines; so the bundled sans face is cut to printable ASCII (what a label
holds: a number and a rule id) and its outlines turned into TrueType quadratics (fontTools' cu2qu),
once per process.
"""

from __future__ import annotations

import io
from functools import cache

LABEL_ROLE = "heading"  # the bundled bold sans face (publish_render.json 'faces')
LABEL_CHARS = "".join(chr(c) for c in range(0x20, 0x7F))


@cache
def label_font() -> bytes:
    """The bundled sans face holding printable ASCII, as TrueType bytes for FPDFText_LoadFont."""
    from fontTools.ttLib import TTFont

    from cnbudget.publish.fonts import cut_vendored

    font = TTFont(str(cut_vendored(LABEL_ROLE, LABEL_CHARS)))
    glyphs = {ch for ch in LABEL_CHARS if ord(ch) in font.getBestCmap()}
    if len(glyphs) != len(LABEL_CHARS):
        raise RuntimeError("the bundled label face lacks ASCII glyphs")  # a broken install, not bad input
    if "glyf" not in font:
        _to_truetype(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _to_truetype(font: object) -> None:
    """CFF outlines → TrueType glyf/loca in place (the fontTools otf2ttf recipe)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    assert isinstance(font, TTFont)
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for table in ("CFF ", "CFF2", "VORG"):
        if table in font:
            del font[table]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones",):
        setattr(maxp, field, 1)
    for field in (
        "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
        "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
