"""Document → one self-contained HTML page (tables with the official merged headers)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from cnbudget.publish.document import Document, Heading, PageBreak, Paragraph, TableBlock
from cnbudget.publish.fonts import render_config
from cnbudget.publish.printed import PrintedTable, merged_runs

_CSS = """
body {{ font-family: {fonts}; max-width: 1100px; margin: 2em auto; line-height: 1.8; color: #111; }}
h1, h2, h3 {{ font-family: {heading_fonts}; }}
h1.cover {{ text-align: center; font-size: 2em; margin-top: 3em; }}
p.sub {{ text-align: center; font-size: 1.3em; }}
h2 {{ text-align: center; margin-top: 2.5em; }}
p.body {{ text-indent: 2em; }}
section.table {{ margin: 2.5em 0; page-break-before: always; }}
section.table h3 {{ text-align: center; margin-bottom: .2em; }}
.meta {{ display: flex; justify-content: space-between; font-size: .9em; }}
table {{ border-collapse: collapse; width: 100%; font-size: .85em; }}
th, td {{ border: 1px solid #333; padding: 2px 5px; }}
th {{ background: #f3f3f3; font-weight: normal; text-align: center; }}
td.right {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
td.center {{ text-align: center; }}
p.note {{ font-size: .85em; margin: .3em 0; }}
nav li {{ list-style: none; }}
"""


def _table(t: PrintedTable, department: str) -> str:
    out = [f'<section class="table" id="{escape(t.spec_id)}"><h3>{escape(t.title)}</h3>']
    out.append(
        f'<div class="meta"><span>{escape("编制单位：" + department) if department else ""}</span>'
        f"<span>{escape(t.number)}　金额单位：{escape(t.unit)}</span></div><table>"
    )
    for tag, rows in (("th", t.header), ("td", t.body)):
        runs = merged_runs(rows)
        for r, row in enumerate(rows):
            out.append("<tr>")
            for c, cell in enumerate(row):
                if cell is None or cell.merge_up:
                    continue
                attrs = ""
                rowspan = runs.get((r, c), cell.rowspan)
                if cell.colspan > 1:
                    attrs += f' colspan="{cell.colspan}"'
                if rowspan > 1:
                    attrs += f' rowspan="{rowspan}"'
                if tag == "td" and cell.align != "left":
                    attrs += f' class="{cell.align}"'
                out.append(f"<{tag}{attrs}>{escape(cell.text).replace(chr(10), '<br>')}</{tag}>")
            out.append("</tr>")
    out.append("</table>")
    out.extend(f'<p class="note">{escape(n)}</p>' for n in t.notes)
    out.append("</section>")
    return "".join(out)


def render_html(doc: Document, path: Path) -> None:
    fonts = render_config()["html_fonts"]
    heading_fonts = render_config()["html_heading_fonts"]
    parts = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(doc.title)}</title><style>{_CSS.format(fonts=fonts, heading_fonts=heading_fonts)}</style></head><body>",
        f'<h1 class="cover">{escape(doc.title)}</h1><p class="sub">{escape(doc.subtitle)}</p>',
    ]
    if doc.cover:  # a re-printed source's own cover lines
        parts[-1] = "".join(
            f'<p class="sub">{escape(c.text)}</p>' if c.sub else f'<h1 class="cover">{escape(c.text)}</h1>' for c in doc.cover
        )
    if doc.contents:
        parts.append("<nav><h2>目录</h2><ul>" + "".join(f"<li>{escape(c)}</li>" for c in doc.contents) + "</ul></nav>")
    for b in doc.blocks:
        if isinstance(b, Heading):
            tag = {1: "h2", 2: "h3", 3: "h4"}[b.level]
            parts.append(f"<{tag}>{escape(b.text)}</{tag}>")
        elif isinstance(b, Paragraph):
            parts.append(f'<p class="body">{escape(b.text)}</p>')
        elif isinstance(b, TableBlock):
            parts.append(_table(b.table, b.department))
        elif isinstance(b, PageBreak):
            parts.append('<hr style="page-break-after: always">')
    parts.append("</body></html>\n")
    path.write_text("".join(parts), encoding="utf-8")
