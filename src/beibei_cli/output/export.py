"""The whole report as one Markdown document or one self-contained HTML page.

The document's rows come from the queries, as every listing's do (``queries.document``):
``meta`` (the report's title, region, date), ``localized`` (the same in the interface
language) and ``sections`` ((heading key, rows) for pillars, metrics and timeline).
"""

from __future__ import annotations

import html as _html

from beibei_cli.output import cell, markdown_table, md_escape
from beibei_cli.output.labels import label
from beibei_cli.textsafety import visible

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _md(value: Any) -> Any:
    """Every text in ``value`` escaped for Markdown (report data is never markup). A field's
    ``_en``/``_zh`` twin is left out (the export prints the field in the interface language):
    escaping them was a third of a large export's time."""
    if isinstance(value, str):
        return md_escape(value)
    if isinstance(value, list):
        return [_md(v) for v in value]
    if isinstance(value, dict):
        return {k: _md(v) for k, v in value.items() if not (k[-3:] in ("_en", "_zh") and k[:-3] in value)}
    return value


def markdown(doc: dict[str, Any], lang: str) -> str:
    meta = _md(doc["localized"])
    out = [f"# {meta['title']}", ""]
    region, date = (md_escape(t) for t in _region_and_date(doc, lang))
    colon = ": " if lang == "en" else "："
    out += [f"- {label('region', lang)}{colon}{region}", f"- {label('date', lang)}{colon}{date}", ""]
    for key, rows in doc["sections"]:
        rows = _md(rows)
        if key == "pillars":
            for kind in ("positioning", "article", "general"):
                out += [f"## {label(kind, lang)}", ""]
                for p in (r for r in rows if r["kind"] == kind):
                    out += [f"### {p['name']}", ""]
                    if p.get("heading"):
                        out += [f"*{p['heading']}*", ""]
                    if p.get("summary"):
                        out += [p["summary"], ""]
                    for sub in ("goals", "plans"):
                        if p[sub]:
                            out += [f"**{label(sub, lang)}**", ""]
                            for g in p[sub]:
                                out += [f"- {g['text']}"]
                                if g.get("year_inferred"):
                                    out += [f"  - {_inferred_note(g['year'], g.get('year_note'), lang)}"]
                            out += [""]
                    if p["cases"]:
                        out += [f"**{label('cases', lang)}**", ""]
                        for c in p["cases"]:
                            dates = f"（{'、'.join(c['dates'])}）" if c.get("dates") else ""
                            out += [f"- **{c['title']}**{dates} — {c.get('summary') or ''} `{c['id']}`"]
                            out += [
                                f"  - {_inferred_note(d['iso'], d.get('note'), lang)}"
                                for d in c.get("date_details") or []
                                if d.get("inferred")
                            ]
                        out += [""]
        elif key == "metrics":
            out += [f"## {label('metrics', lang)}", ""]
            keys = [label(k, lang) for k in ("name", "value", "pillar", "as_of", "quote")]
            cells = [
                [
                    m["name"],
                    m.get("figure") or m["text"],
                    m.get("pillar_name") or "",
                    m.get("as_of") or "",
                    f"“{m['quote']}”",
                ]
                for m in rows
            ]
            out += markdown_table(keys, cells, align=["l", "r", "l", "l", "l"], escaped=True).splitlines()
            out += [""]
        else:
            out += [f"## {label('timeline', lang)}", ""]
            for e in rows:
                mark = _mark(lang) if e.get("inferred") else ""
                out += [f"- **{e['date']}**{mark} {e['title']}"]
                if e.get("inferred") and e.get("date_note"):
                    out += [f"  - {e['date_note']}"]
            out += [""]
    out += ["---", _footer(doc, lang, md_escape)]
    return "\n".join(out) + "\n"


def _mark(lang: str) -> str:
    """The inferred-date mark: " (inferred)" / "（推断）"."""
    return f" ({label('inferred', lang)})" if lang == "en" else f"（{label('inferred', lang)}）"


def _inferred_note(iso: str, note: str | None, lang: str) -> str:
    """ "2023 推断：…" / "2023 inferred: …" (an inferred date and how it was inferred)."""
    colon = ": " if lang == "en" else "："
    return f"{iso} {label('inferred', lang)}{colon}{note or ''}"


def _report_date(doc: dict[str, Any]) -> tuple[str, bool]:
    """The report's date (schema 2: a date record; schema 1: text plus date_inferred)."""
    date = doc["meta"].get("date")
    if isinstance(date, dict):
        return str(date.get("iso") or ""), bool(date.get("inferred"))
    return str(date or ""), bool(doc["meta"].get("date_inferred"))


def _region_and_date(doc: dict[str, Any], lang: str) -> tuple[str, str]:
    meta = doc["meta"]
    region = str((meta.get("region_en") if lang == "en" else None) or meta.get("region") or "")
    date, inferred = _report_date(doc)
    if date and inferred:
        date += _mark(lang)
    return region, date


def _footer(doc: dict[str, Any], lang: str, escape: Any = str) -> str:
    colon = ": " if lang == "en" else "："
    note = label("source_note", lang)
    title = escape(doc["meta"]["title"])
    return f"{label('source', lang)}{colon}《{title}》（{note}）" if lang != "en" else f"Source: {title} ({note})."


# Class names are prefixed by what they style (sec-, col-, …) so that no two
# rules meet by accident (a td in the 篇章 column is .col-pillar, a pillar's
# section is .sec-pillar). Below 640 px each table row becomes a small card
# whose cells carry their column name, so nothing scrolls sideways.
CSS = """
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:62rem;
margin:1.5rem auto;padding:0 1rem;line-height:1.7;color:#1b1b1b;overflow-wrap:anywhere;word-break:normal;
line-break:strict}
h1{font-size:1.6rem;line-height:1.35;margin:.5rem 0}
h2{border-bottom:2px solid #3465a4;padding-bottom:.2rem;margin-top:2rem}
.doc-meta{color:#444;margin:0 0 1.5rem;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:.3rem 1.5rem}
.doc-meta dt{display:inline;font-weight:600}.doc-meta dd{display:inline;margin:0 0 0 .3rem}
.mark-inferred{color:#8a6d00;font-size:.9em}.date-note{color:#8a6d00;font-size:.85em}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#eef3fa;white-space:nowrap}
td.col-num{text-align:right;white-space:nowrap}
td.col-pillar,td.col-date{white-space:nowrap}
td.col-bar{width:7rem}
td.col-quote{color:#333}
.sec-pillar{border-left:4px solid #3465a4;padding:.2rem 1rem;margin:1rem 0}
.sec-pillar h3{margin:.3rem 0}
.rec-id{color:#777;font-family:ui-monospace,monospace;font-size:.8rem;overflow-wrap:anywhere}
.pillar-heading{font-style:italic}
.share-bar{display:inline-block;height:.7rem;background:#3465a4;vertical-align:middle}
footer{margin-top:2rem;color:#555;font-size:.9rem}
@media (max-width:640px){
body{margin:1rem auto;padding:0 .75rem}
h1{font-size:1.3rem}
ul{padding-left:1.2rem}
.sec-pillar{padding:.1rem .6rem}
table,thead,tbody,tr,th,td{display:block;width:auto}
thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
tr{border:1px solid #ccc;border-radius:4px;margin:0 0 .6rem;padding:.3rem .5rem}
td,td.col-num,td.col-pillar,td.col-date{border:0;padding:.1rem 0;white-space:normal;text-align:left}
td.col-bar{width:auto}
td[data-label]::before{content:attr(data-label) "：";color:#555;font-size:.85em}
td.col-bar:empty,td:empty{display:none}
}
@media print{body{max-width:none}.sec-pillar{break-inside:avoid}tr{break-inside:avoid}}
"""


def html(doc: dict[str, Any], lang: str) -> str:
    def e(text: str) -> str:
        return _html.escape(visible(text))  # markup-safe, and no control character for a terminal that cats it

    meta = doc["localized"]
    region, date = _region_and_date(doc, lang)
    date_iso, date_inferred = _report_date(doc)
    date_html = e(date_iso)
    if date_inferred:
        date_html += f'<span class="mark-inferred">{e(_mark(lang))}</span>'
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(meta['title'])}</title><style>{CSS}</style></head><body>",
        f"<header><h1>{e(meta['title'])}</h1>",
        f'<dl class="doc-meta"><div><dt>{e(label("region", lang))}</dt><dd>{e(region)}</dd></div>'
        f"<div><dt>{e(label('date', lang))}</dt><dd>{date_html}</dd></div></dl></header>",
    ]
    for key, rows in doc["sections"]:
        if key == "pillars":
            for kind in ("positioning", "article", "general"):
                parts.append(f"<h2>{e(label(kind, lang))}</h2>")
                for p in (r for r in rows if r["kind"] == kind):
                    parts.append(f'<section class="sec-pillar" id="{e(p["id"])}"><h3>{e(p["name"])}</h3>')
                    if p.get("heading"):
                        parts.append(f'<p class="pillar-heading">{e(p["heading"])}</p>')
                    if p.get("summary"):
                        parts.append(f"<p>{e(p['summary'])}</p>")
                    for sub in ("goals", "plans"):
                        if p[sub]:
                            items = "".join(
                                f"<li>{e(g['text'])}"
                                + (
                                    f'<br><small class="date-note">'
                                    f"{e(_inferred_note(g['year'], g.get('year_note'), lang))}</small>"
                                    if g.get("year_inferred")
                                    else ""
                                )
                                + "</li>"
                                for g in p[sub]
                            )
                            parts.append(f"<h4>{e(label(sub, lang))}</h4><ul>{items}</ul>")
                    if p["cases"]:
                        sep = ", " if lang == "en" else "、"
                        items = "".join(
                            f"<li><strong>{e(c['title'])}</strong> {e(sep.join(c.get('dates') or []))} — "
                            f'{e(c.get("summary") or "")} <span class="rec-id">{e(c["id"])}</span>'
                            + "".join(
                                f'<br><small class="date-note">{e(_inferred_note(d["iso"], d.get("note"), lang))}</small>'
                                for d in c.get("date_details") or []
                                if d.get("inferred")
                            )
                            + "</li>"
                            for c in p["cases"]
                        )
                        parts.append(f"<h4>{e(label('cases', lang))}</h4><ul>{items}</ul>")
                    parts.append("</section>")
        elif key == "metrics":
            cols = ("name", "value", "bar", "pillar", "as_of", "quote")
            heads = {k: e(label(k, lang)) for k in cols}
            parts.append(f'<h2 id="figures">{e(label("metrics", lang))}</h2><table><thead><tr>')
            parts += [f"<th>{heads[k]}</th>" for k in cols]
            parts.append("</tr></thead><tbody>")
            for m in rows:
                bar = ""
                if m.get("unit") == "%" and 0 <= m["value"] <= 100 and m.get("kind") in (None, "share"):
                    bar = f'<span class="share-bar" style="width:{m["value"]:.0f}%"></span>'
                parts.append(
                    f'<tr><td class="col-name" data-label="{heads["name"]}">{e(m["name"])}</td>'
                    f'<td class="col-num" data-label="{heads["value"]}">{e(m.get("figure") or m["text"])}</td>'
                    f'<td class="col-bar">{bar}</td>'
                    f'<td class="col-pillar" data-label="{heads["pillar"]}">{e(m.get("pillar_name") or "")}</td>'
                    f'<td class="col-date" data-label="{heads["as_of"]}">{e(cell(m.get("as_of")))}</td>'
                    f'<td class="col-quote" data-label="{heads["quote"]}">“{e(m["quote"])}”</td></tr>'
                )
            parts.append("</tbody></table>")
        else:
            parts.append(f'<h2 id="timeline">{e(label("timeline", lang))}</h2><table><thead><tr>')
            parts.append(f"<th>{e(label('date', lang))}</th><th>{e(label('title', lang))}</th></tr></thead><tbody>")
            for ev in rows:
                mark = f'<span class="mark-inferred">{e(_mark(lang))}</span>' if ev.get("inferred") else ""
                if ev.get("inferred") and ev.get("date_note"):
                    mark += f'<br><small class="date-note">{e(ev["date_note"])}</small>'
                parts.append(
                    f'<tr><td class="col-date">{e(ev["date"])}{mark}</td><td class="col-title">{e(ev["title"])}</td></tr>'
                )
            parts.append("</tbody></table>")
    parts.append(f"<footer><p>{e(_footer(doc, lang))}</p></footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
