"""The whole report as one Markdown document or one self-contained HTML page."""

from __future__ import annotations

import html as _html

from beibei_cli import queries
from beibei_cli.output import cell, markdown_table, md_escape
from beibei_cli.output.labels import label
from beibei_cli.textsafety import visible

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from beibei_cli.report import Report


def _sections(report: Report, lang: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """The blocks both formats share: (heading key, rows)."""
    return [
        ("pillars", queries.pillar_rows(report, detail=True, lang=lang)),
        ("metrics", queries.metric_rows(report, lang=lang)),
        ("timeline", queries.timeline_rows(report, since=None, until=None, lang=lang)),
    ]


def _md(value: Any) -> Any:
    """Every text in ``value`` escaped for Markdown (report data is never markup)."""
    if isinstance(value, str):
        return md_escape(value)
    if isinstance(value, list):
        return [_md(v) for v in value]
    if isinstance(value, dict):
        return {k: _md(v) for k, v in value.items()}
    return value


def markdown(report: Report, lang: str) -> str:
    meta = _md(queries.localize(report.meta, lang))
    out = [f"# {meta['title']}", ""]
    region = meta.get("region_en") if lang == "en" else meta.get("region")
    date_rec = report.meta.get("date") or {}
    date = _md(date_rec.get("iso") or "")
    inferred = f" ({label('inferred', lang)})" if date_rec.get("inferred") else ""
    out += [f"- {region}", f"- {label('date', lang)}: {date}{inferred}", ""]
    for key, rows in _sections(report, lang):
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
                                    out += [_inferred_line(g["year"], g["year_note"], lang)]
                            out += [""]
                    if p["cases"]:
                        out += [f"**{label('cases', lang)}**", ""]
                        for c in p["cases"]:
                            dates = f"（{'、'.join(c['dates'])}）" if c.get("dates") else ""
                            out += [f"- **{c['title']}**{dates} — {c.get('summary') or ''} `{c['id']}`"]
                            out += [
                                _inferred_line(d["iso"], d["note"], lang) for d in c["date_details"] if d["inferred"]
                            ]
                        out += [""]
        elif key == "metrics":
            out += [f"## {label('metrics', lang)}", ""]
            keys = [label(k, lang) for k in ("name", "value", "pillar", "as_of", "quote")]
            cells = [
                [m["name"], m["figure"], m.get("pillar_name") or "", m.get("as_of") or "", f"“{m['quote']}”"]
                for m in rows
            ]
            out += markdown_table(keys, cells, align=["l", "r", "l", "l", "l"], escaped=True).splitlines()
            out += [""]
        else:
            out += [f"## {label('date', lang)}", ""]
            for e in rows:
                mark = f" ({label('inferred', lang)})" if e.get("inferred") else ""
                out += [f"- **{e['date']}**{mark} {e['title']}"]
                if e.get("inferred") and e.get("date_note"):
                    out += [f"  - {e['date_note']}"]
            out += [""]
    out += ["---", f"Source: {_md(report.meta['title'])} (quotes verbatim; structure curated by the beibei project)."]
    return "\n".join(out) + "\n"


def _inferred_line(iso: str, note: str | None, lang: str) -> str:
    return f"  - {iso} {label('inferred', lang)}: {note or ''}"


CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1b1b1b}
h1{font-size:1.6rem}h2{border-bottom:2px solid #3465a4;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;
vertical-align:top}th{background:#eef3fa;text-align:left}td.num{text-align:right;white-space:nowrap}
.pillar{border-left:4px solid #3465a4;padding:.2rem 1rem;margin:1rem 0}.id{color:#777;font-family:monospace;
font-size:.8rem}.heading{font-style:italic}.bar{display:inline-block;height:.7rem;background:#3465a4}
td.barcell{width:7rem}th,td.pillar{white-space:nowrap}
@media print{body{max-width:none}.pillar{break-inside:avoid}}
"""


def html(report: Report, lang: str) -> str:
    def e(text: str) -> str:
        return _html.escape(visible(text))  # markup-safe, and no control character for a terminal that cats it

    meta = queries.localize(report.meta, lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">',
        f"<title>{e(meta['title'])}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(meta['title'])}</h1>",
    ]
    for key, rows in _sections(report, lang):
        if key == "pillars":
            for kind in ("positioning", "article", "general"):
                parts.append(f"<h2>{e(label(kind, lang))}</h2>")
                for p in (r for r in rows if r["kind"] == kind):
                    parts.append(f'<section class="pillar" id="{e(p["id"])}"><h3>{e(p["name"])}</h3>')
                    if p.get("heading"):
                        parts.append(f'<p class="heading">{e(p["heading"])}</p>')
                    if p.get("summary"):
                        parts.append(f"<p>{e(p['summary'])}</p>")
                    for sub in ("goals", "plans"):
                        if p[sub]:
                            items = "".join(
                                f"<li>{e(g['text'])}"
                                + (
                                    f" <small>({e(g['year'])} {e(label('inferred', lang))}: {e(g['year_note'] or '')})</small>"
                                    if g.get("year_inferred")
                                    else ""
                                )
                                + "</li>"
                                for g in p[sub]
                            )
                            parts.append(f"<h4>{e(label(sub, lang))}</h4><ul>{items}</ul>")
                    if p["cases"]:
                        items = "".join(
                            f"<li><strong>{e(c['title'])}</strong> {e(' '.join(c.get('dates') or []))} — "
                            f'{e(c.get("summary") or "")} <span class="id">{e(c["id"])}</span>'
                            + "".join(
                                f"<br><small>{e(d['iso'])} {e(label('inferred', lang))}: {e(d['note'] or '')}</small>"
                                for d in c["date_details"]
                                if d["inferred"]
                            )
                            + "</li>"
                            for c in p["cases"]
                        )
                        parts.append(f"<h4>{e(label('cases', lang))}</h4><ul>{items}</ul>")
                    parts.append("</section>")
        elif key == "metrics":
            parts.append(f"<h2>{e(label('metrics', lang))}</h2><table><thead><tr>")
            parts += [f"<th>{e(label(k, lang))}</th>" for k in ("name", "value", "bar", "pillar", "as_of", "quote")]
            parts.append("</tr></thead><tbody>")
            for m in rows:
                bar = ""
                if m.get("kind") == "share" and 0 <= m["value"] <= 100:
                    bar = f'<span class="bar" style="width:{m["value"]:.0f}%"></span>'
                parts.append(
                    f'<tr><td>{e(m["name"])}</td><td class="num">{e(m["figure"])}</td><td class="barcell">{bar}</td>'
                    f"<td class='pillar'>{e(m.get('pillar_name') or '')}</td><td>{e(cell(m.get('as_of')))}</td>"
                    f"<td>“{e(m['quote'])}”</td></tr>"
                )
            parts.append("</tbody></table>")
        else:
            parts.append(f"<h2>{e(label('date', lang))}</h2><table><tbody>")
            for ev in rows:
                mark = f" ({e(label('inferred', lang))}: {e(ev.get('date_note') or '')})" if ev.get("inferred") else ""
                parts.append(f'<tr><td class="num">{e(ev["date"])}{mark}</td><td>{e(ev["title"])}</td></tr>')
            parts.append("</tbody></table>")
    parts.append(f"<footer><p>{e(report.meta['title'])} — quotes verbatim; structure curated by beibei.</p></footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
