"""Make the CJK font subsets vendored in src/cnbudget/fonts/ from Debian's fonts-noto-cjk.

Why: the PDF needs a serif (仿宋/宋体 style) body face and a sans (黑体 style) heading face that
are the same on every machine, without a runtime dependency on a font package. Noto Serif/Sans
CJK SC (SIL OFL 1.1) cut down to GB2312 + tools/fonts/extra_chars.txt + every character of the
bundled specs and message catalogs keeps each file a few MB.

Run (needs `apt-get install fonts-noto-cjk`):  python tools/make_font_subsets.py
It rewrites the .otf files and SHA256SUMS; tests/test_publish_fonts.py checks the sums.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "cnbudget" / "fonts"
SOURCE = Path("/usr/share/fonts/opentype/noto")
# (output file, Debian collection, family name of the SC face in it)
FACES = [
    ("NotoSerifCJKsc-Regular.subset.otf", "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    ("NotoSansCJKsc-Bold.subset.otf", "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"),
]


def gb2312() -> set[str]:
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def characters() -> str:
    chars = gb2312() | {chr(c) for c in range(0x20, 0x7F)} | {"　"}
    for line in (ROOT / "tools" / "fonts" / "extra_chars.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            chars |= set(line.strip())
    for folder in ("specs", "messages"):
        for f in (ROOT / "src" / "cnbudget" / folder).iterdir():
            if f.suffix in (".json", ".csv", ".toml"):
                chars |= {c for c in f.read_text(encoding="utf-8") if ord(c) > 0x7F and not c.isspace()}
    return "".join(sorted(chars))


def face(collection: Path, family: str) -> subset.TTFont:
    for font in TTCollection(collection, lazy=False, recalcTimestamp=False).fonts:
        if font["name"].getDebugName(1) == family:
            return font
    raise SystemExit(f"{collection}: no face named {family}")


def main() -> None:
    chars = characters()
    OUT.mkdir(parents=True, exist_ok=True)
    sums = []
    for name, collection, family in FACES:
        font = face(SOURCE / collection, family)
        options = subset.Options()
        options.layout_features = ["vert", "vrt2"]  # no shaping in the PDF; vertical forms kept for docx users
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.drop_tables += ["DSIG", "BASE", "STAT"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=chars)
        subsetter.subset(font)
        target = OUT / name
        font.save(target)
        sums.append(f"{hashlib.sha256(target.read_bytes()).hexdigest()}  {name}")
        print(f"{name}: {target.stat().st_size // 1024} KB")
    (OUT / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
