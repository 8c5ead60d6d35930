"""Terminal renderings with Rich: tables, the pillar briefing, records, hits.

Imported only when a terminal rendering is asked for; every function returns
the rendered text (with ANSI codes only when colour is on), and the caller
writes it through ``beibei_cli.output.write``.
"""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from beibei_cli.output import cell, format_number, visible_data
from beibei_cli.output.labels import label

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def to_text(renderable: RenderableType, *, width: int, color: bool) -> str:
    console = Console(
        width=max(width, 20),
        color_system="truecolor" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
        legacy_windows=False,
        soft_wrap=False,
        record=False,
        file=io.StringIO(),
    )
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


def bar(value: float, unit: str | None, width: int = 6, kind: str | None = None) -> Text:
    """An inline bar for a share; a signed marker for a rate of change; nothing for other kinds."""
    if kind == "rate-of-change":
        return Text(
            ("▲ +" if value >= 0 else "▼ ") + f"{format_number(value)}%", style="green" if value >= 0 else "red"
        )
    if (kind is not None and kind != "share") or unit != "%" or not 0 <= value <= 100:
        return Text("")
    eighths = round(value / 100 * width * 8)
    full, part = divmod(eighths, 8)
    blocks = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
    return Text(blocks.ljust(width, "·"), style="cyan")


def table(
    rows: list[dict[str, Any]],
    columns: list[str],
    *,
    lang: str,
    width: int,
    color: bool,
) -> str:
    rows, columns = visible_data(rows), visible_data(columns)  # escaped before layout, so widths stay right
    t = Table(header_style="bold", expand=False, show_lines=False)
    if width < 80 and "bar" in columns:
        columns = [c for c in columns if c != "bar"]  # decoration only, when there is room: the figures stay
    for col in columns:
        numeric = col in ("value", "figure", "score", "para", "n")
        t.add_column(
            label(col, lang),
            justify="right" if numeric else "left",
            overflow="fold",
            # ids stay whole (to copy into `beibei show`) when there is room for them
            no_wrap=col in ("value", "figure", "unit", "bar", "as_of", "date", "kind") or (col == "id" and width >= 90),
            style="bold" if col in ("name", "title") else ("dim" if col == "id" else None),
            ratio=2 if col in ("name", "title", "snippet", "text") else None,
        )
    for row in rows:
        cells: list[RenderableType] = []
        for col in columns:
            if col == "bar":
                cells.append(bar(row.get("value", 0), row.get("unit"), kind=row.get("kind")))
            elif col == "value":
                cells.append(_value_text(row))
            elif col == "figure":  # the figure exactly as the article writes it
                shown = row.get("figure") or row.get("text")
                cells.append(Text(str(shown) if shown else "", style="bold green") if shown else _value_text(row))
            elif col == "inferred":
                note = f"：{row['date_note']}" if row.get("inferred") and row.get("date_note") else ""
                cells.append(Text(label("inferred", lang) + note if row.get("inferred") else "", style="yellow"))
            elif isinstance(row.get(col), list) and all(isinstance(v, str) for v in row[col]):
                cells.append(", ".join(row[col]))
            elif col == "snippet" and "snippet_matches" in row:
                cells.append(highlighted(row["snippet"], row["snippet_matches"]))
            else:
                cells.append(cell(row.get(col)))
        t.add_row(*cells)
    return to_text(t, width=width, color=color)


def _value_text(row: dict[str, Any]) -> Text:
    value = row.get("value")
    shown = format_number(value) if isinstance(value, (int, float)) else cell(value)
    qualifier = row.get("qualifier")
    if qualifier:
        shown = f"{shown} ({qualifier})"
    return Text(shown, style="bold green")


def highlighted(text: str, spans: list[list[int]]) -> Text:
    out = Text(text)
    for start, end in spans:
        out.stylize("bold black on yellow", start, end)
    return out


def record(rec: dict[str, Any], *, lang: str, width: int, color: bool) -> str:
    """One record as a titled panel of label/value lines."""
    rec = visible_data(rec)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in rec.items():
        if value is None or value == [] or key in ("id",):
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines = [_brief_line(v) for v in value]
            grid.add_row(label(key, lang), Text("\n".join(lines)))
        elif isinstance(value, dict):
            grid.add_row(
                label(key, lang), Text("\n".join(f"{k}: {cell(v)}" for k, v in value.items() if v is not None))
            )
        elif isinstance(value, list):
            grid.add_row(label(key, lang), Text(", ".join(str(v) for v in value)))
        else:
            grid.add_row(label(key, lang), Text(cell(value) if not isinstance(value, str) else value))
    title = Text(str(rec.get("id") or rec.get("title") or ""), style="bold")
    return to_text(Panel(grid, title=title, title_align="left", border_style="blue"), width=width, color=color)


def _brief_line(item: dict[str, Any]) -> str:
    parts = [str(item.get("id", ""))]
    for key in ("date", "iso", "label", "name", "title", "text", "record"):
        if item.get(key):
            parts.append(str(item[key]))
    if item.get("value") is not None:
        parts.append(f"{format_number(item['value'])}{item.get('unit') or ''}")
    if item.get("para"):
        parts.append(f"¶{item['para']}")
    if item.get("inferred") and item.get("note"):
        parts.append(f"(inferred: {item['note']})")
    return "  ".join(parts)


def briefing(rows: list[dict[str, Any]], *, detail: bool, lang: str, width: int, color: bool) -> str:
    """The two positionings and the four articles, as a briefing."""
    rows = visible_data(rows)
    parts: list[RenderableType] = []
    for kind in ("positioning", "article", "general"):
        group = [r for r in rows if r.get("kind") == kind]
        if not group:
            continue
        parts.append(Text(label(kind, lang), style="bold magenta"))
        for row in group:
            parts.append(_pillar_panel(row, detail=detail, lang=lang))
    return to_text(Group(*parts), width=width, color=color)


def _pillar_panel(row: dict[str, Any], *, detail: bool, lang: str) -> Panel:
    body: list[RenderableType] = []
    if row.get("heading"):
        body.append(Text(row["heading"], style="italic"))
    if row.get("summary"):
        body.append(Text(row["summary"]))
    if detail:
        for key in ("goals", "plans"):
            items = row.get(key) or []
            if items:
                body.append(Text(label(key, lang), style="bold cyan"))
                grid = Table.grid(padding=(0, 1))
                grid.add_column(no_wrap=True)
                grid.add_column(overflow="fold")
                for item in items:
                    year = f"[{item['year']}] " if item.get("year") else ""
                    grid.add_row("  •", f"{year}{item['text']}")
                    if item.get("year_inferred") and item.get("year_note"):
                        grid.add_row("", Text(f"{label('inferred', lang)}: {item['year_note']}", style="yellow"))
                body.append(grid)
        cases = row.get("cases") or []
        if cases:
            body.append(Text(label("cases", lang), style="bold cyan"))
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column(overflow="fold")
            for case in cases:
                dates = f" ({', '.join(case['dates'])})" if case.get("dates") else ""
                line = Text(case["title"], style="bold")
                line.append(dates, style="green")
                line.append(f"  {case['id']}", style="dim")
                grid.add_row("  ▸", line)
                if case.get("summary"):
                    grid.add_row("", Text(case["summary"]))
                for d in case.get("date_details") or []:
                    if d.get("inferred") and d.get("note"):
                        grid.add_row("", Text(f"{d['iso']} {label('inferred', lang)}: {d['note']}", style="yellow"))
            body.append(grid)
        metrics = row.get("metrics") or []
        if metrics:
            body.append(Text(label("metrics", lang), style="bold cyan"))
            t = Table.grid(padding=(0, 2))
            t.add_column(overflow="fold")
            t.add_column(justify="right", style="bold green", no_wrap=True)
            t.add_column(no_wrap=True)
            for m in metrics:
                t.add_row(
                    f"  {m['name']}", m.get("figure") or m["text"], bar(m["value"], m["unit"], kind=m.get("kind"))
                )
            body.append(t)
    title = Text(row["name"], style="bold")
    if lang == "en" and row.get("name_zh"):
        title.append(f"  {row['name_zh']}", style="dim")
    title.append(f"  {row['id']}", style="dim")
    return Panel(Group(*body) if body else Text(""), title=title, title_align="left", border_style="blue")
