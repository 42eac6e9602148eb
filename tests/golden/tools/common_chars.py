"""Regenerate the data of src/cnbudget/specs/plausible.json: the characters and character pairs disclosures print.

``characters``: GB2312's symbols (rows 1–9) and level-1 Hanzi (the 3,755 most used characters), plus every
non-ASCII character of the real documents in ../shared (seeds, sample PDFs and their text conversion,
workbooks, the reference notes). ``bigrams``: the BIGRAMS pairs of Hanzi found in most of those documents.
ingest/plausible.py judges a text by the share of its characters outside the first list (GBK read as Latin-1,
UTF-8 read as GBK, a font's ToUnicode map pointing at rare characters) and by the share of its Hanzi pairs in
the second (a map pointing at other common characters: right characters, wrong words). Thresholds and wording
in the JSON are kept; only the two lists are rewritten.

    python tests/golden/tools/common_chars.py ../shared src/cnbudget/specs/plausible.json
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium


def gb2312() -> set[str]:
    chars: set[str] = set()
    rows = [*range(0xA1, 0xAA), *range(0xB0, 0xD8)]  # symbols, then level-1 Hanzi
    for hi in rows:
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def shared_texts(shared: Path) -> list[str]:
    texts: list[str] = []
    for path in sorted(shared.rglob("*")):
        if "fuzz-repro" in path.parts or not path.is_file():
            continue
        if path.suffix in (".txt", ".md", ".csv", ".json"):
            texts.append(path.read_text(encoding="utf-8"))
        elif path.suffix == ".pdf":
            doc = pdfium.PdfDocument(str(path))
            for page in doc:
                textpage = page.get_textpage()
                texts.append(textpage.get_text_range())
                textpage.close()
                page.close()
            doc.close()
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                texts.extend(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    return texts


BIGRAMS = 3000
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def bigrams(text: str) -> set[str]:
    return {run[i : i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)}


def main(shared: Path, target: Path) -> None:
    chars = gb2312()
    pairs: Counter[str] = Counter()
    for text in shared_texts(shared):
        chars.update(ch for ch in text if ord(ch) > 0x7F and ch.isprintable() and not ch.isspace() and ch != "\ufffd")
        pairs.update(bigrams(text))
    data = json.loads(target.read_text(encoding="utf-8"))
    data["characters"] = "".join(sorted(chars))
    data["bigrams"] = " ".join(sorted(p for p, _ in pairs.most_common(BIGRAMS)))
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
