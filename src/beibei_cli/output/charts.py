"""``series`` and ``trend`` as one self-contained HTML page (``--format html``): an inline SVG
chart and the table of the rows.

No script, no network: the style is inline (the export's CSS), the chart is SVG drawn here,
every text is escaped (and its control characters shown, as in every output). The SVG scales
to the page's width (a ``viewBox``), so the page never scrolls sideways.

- ``series``: one bar per row (report, figure), by amount, when every row's base unit is the
  same; otherwise the figures cannot be compared on one axis and the page has the table only,
  with a note saying why.
- ``trend``: for each report, one bar per term, by occurrences per 10,000 characters.
"""

from __future__ import annotations

import html as _html

from beibei_cli.output import cell, format_number
from beibei_cli.output.export import CSS
from beibei_cli.output.labels import label, value_name
from beibei_cli.textsafety import visible

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

WIDTH = 720  # the chart's coordinate width; it is drawn at the page's width
LABEL_W = 250  # the labels' column
BAR_W = WIDTH - LABEL_W - 90  # the bars' (the value is written after the bar)
COLOURS = ("#3465a4", "#c4631d", "#4e9a06", "#75507b", "#8f5902", "#cc0000", "#06989a", "#555753")
NOWRAP = ("report", "date", "status", "term")  # short cells kept on one line (the export's .col-date)
CHART_CSS = """
.chart{width:100%;height:auto;max-width:60rem;display:block;margin:1rem 0}
.chart text{font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;font-size:13px;fill:#1b1b1b}
.chart .val{fill:#333}.chart .axis{stroke:#999;stroke-width:1}
.note{color:#8a6d00}
"""


def e(value: Any) -> str:
    """A value for the page: markup-safe, one line, control characters shown."""
    return _html.escape(visible(cell(value)))


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _page(title: str, lang: str, body: list[str]) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(title)}</title><style>{CSS}{CHART_CSS}</style></head><body>",
            f"<header><h1>{e(title)}</h1></header>",
            *body,
            "</body></html>",
        ]
    )


def _table(rows: list[dict[str, Any]], columns: list[str], lang: str) -> str:
    heads = {k: e(label(k, lang)) for k in columns}
    out = ["<table><thead><tr>", *(f"<th>{heads[k]}</th>" for k in columns), "</tr></thead><tbody>"]
    for row in rows:
        cells = []
        for k in columns:
            value = row.get(k)
            if k in ("status",) and isinstance(value, str):
                value = value_name(value, lang)
            if isinstance(value, list):
                value = ", ".join(cell(v) for v in value)  # the paragraphs: 3, 8, 27
            num = (isinstance(value, (int, float)) and not isinstance(value, bool)) or k == "figure"
            cls = ' class="col-num"' if num else ' class="col-date"' if k in NOWRAP else ""
            cells.append(f'<td{cls} data-label="{heads[k]}">{e(value)}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _scale(values: list[float]) -> tuple[float, float]:
    """(the x of zero, pixels per unit) that fit every value, negatives too, in BAR_W."""
    lo, hi = min(0.0, *values), max(0.0, *values)
    if hi == lo:
        return LABEL_W, 0.0
    per = BAR_W / (hi - lo)
    return LABEL_W - lo * per, per


def _bar(y: float, height: float, value: float, zero: float, per: float, colour: str, text: str) -> str:
    x0, x1 = sorted((zero, zero + value * per))
    end = max(zero, x1)
    return (
        f'<rect x="{x0:.1f}" y="{y:.1f}" width="{max(x1 - x0, 0.0):.1f}" height="{height:.1f}" fill="{colour}"/>'
        f'<text class="val" x="{end + 4:.1f}" y="{y + height - 3:.1f}">{e(text)}</text>'
    )


def _svg(height: float, title: str, parts: list[str], zero: float) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-label="{e(title)}">'
        f"<title>{e(title)}</title>"
        f'<line class="axis" x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height:.0f}"/>' + "".join(parts) + "</svg>"
    )


def series_page(rows: list[dict[str, Any]], table_rows: list[dict[str, Any]], query: str, lang: str) -> str:
    """The page of ``beibei series QUERY``: ``rows`` for the chart, ``table_rows`` (their fields as
    asked) for the table."""
    title = label("series_page", lang).format(q=query)
    body: list[str] = []
    units = list(dict.fromkeys(str(r.get("base_unit") or "") for r in rows))
    if not rows:
        body.append(f'<p class="note">{e(label("no_records", lang))}</p>')
    elif len(units) > 1 or not all(isinstance(r.get("amount"), (int, float)) for r in rows):
        body.append(
            f'<p class="note">{e(label("units_differ", lang).format(units=(", " if lang == "en" else "、").join(units)))}</p>'
        )
    else:
        zero, per = _scale([float(r["amount"]) for r in rows])
        parts = []
        step = 44
        for i, r in enumerate(rows):
            y = i * step + 6
            who = f"{r.get('report') or ''} · {r.get('date') or ''}"
            parts.append(f'<text x="0" y="{y + 13}">{e(_clip(who, 30))}</text>')
            parts.append(f'<text x="0" y="{y + 31}">{e(_clip(str(r.get("name") or ""), 17))}</text>')
            parts.append(
                _bar(y + 8, 20, float(r["amount"]), zero, per, COLOURS[0], _clip(str(r.get("figure") or ""), 12))
            )
        body.append(_svg(len(rows) * step + 8, title, parts, zero))
        body.append(f'<p class="note">{e(label("series_scale", lang).format(unit=units[0]))}</p>')
    if table_rows:
        body.append(_table(table_rows, list(table_rows[0]), lang))
    return _page(title, lang, body) + "\n"


def trend_page(rows: list[dict[str, Any]], table_rows: list[dict[str, Any]], terms: list[str], lang: str) -> str:
    """The page of ``beibei trend TERM…``: for each report a bar per term (per 10,000 characters)."""
    sep = ", " if lang == "en" else "、"
    title = label("trend_page", lang).format(terms=sep.join(terms))
    body: list[str] = []
    reports = list(dict.fromkeys((r["report"], r.get("date")) for r in rows))
    order = list(dict.fromkeys(r["term"] for r in rows))
    if rows:
        zero, per = _scale([float(r["per_10k"] or 0) for r in rows])
        legend = "".join(
            f'<rect x="{LABEL_W + i * 110}" y="4" width="12" height="12" fill="{COLOURS[i % len(COLOURS)]}"/>'
            f'<text x="{LABEL_W + i * 110 + 16}" y="15">{e(_clip(t, 6))}</text>'
            for i, t in enumerate(order)
        )
        parts = [legend]
        bar_h, y = 14.0, 28.0
        for key, date in reports:
            mine = [r for r in rows if (r["report"], r.get("date")) == (key, date)]
            who = f"{key} · {date or ''}"
            parts.append(f'<text x="0" y="{y + 12:.0f}">{e(_clip(who, 30))}</text>')
            for r in mine:
                colour = COLOURS[order.index(r["term"]) % len(COLOURS)]
                text = f"{format_number(float(r['per_10k'] or 0))} ({r['count']})"
                parts.append(_bar(y, bar_h, float(r["per_10k"] or 0), zero, per, colour, text))
                y += bar_h + 3
            y += 12
        body.append(_svg(y, title, parts, zero))
        body.append(f'<p class="note">{e(label("trend_scale", lang))}</p>')
    else:
        body.append(f'<p class="note">{e(label("no_records", lang))}</p>')
    if table_rows:
        body.append(_table(table_rows, list(table_rows[0]), lang))
    return _page(title, lang, body) + "\n"
