"""Terminal renderings with Rich: tables, the pillar briefing, records, hits.

Imported only when a terminal rendering is asked for; every function returns
the rendered text (with ANSI codes only when colour is on), and the caller
writes it through ``beibei_cli.output.write``.

Tables are sized by priority, not left to Rich's even squeeze:

- ids and figures are never wrapped nor cut (ids are what users copy into
  ``show`` and ``cite``);
- columns that are empty in every row are not shown;
- names wrap (with Chinese line-breaking rules, see ``linebreak``) into at
  most ``MAX_NAME_LINES`` lines, other texts wrap freely; when the terminal is
  too narrow for that, columns are dropped in ``DROP_ORDER`` first (never a
  column named with ``--fields``);
- the quote (or its start, ending in …) is shown at ``QUOTE_MIN_WIDTH`` columns
  and wider;
- when even the id, the name and the figure do not fit side by side, each row
  is printed as a short block instead of a table row.
"""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from beibei_cli.output import cell, format_number, visible_data
from beibei_cli.output import linebreak as lb
from beibei_cli.output.labels import WORD_FIELDS, label, more, value_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from rich.console import ConsoleOptions, RenderResult
    from rich.panel import Panel  # imported where a panel is drawn: a table needs none

# Dropped first to last when a table does not fit; columns not named here are never dropped.
DROP_ORDER = (
    "bar",
    "as_of",
    "inferred",
    "unit",
    "score",
    "pillar",
    "pillar_name",
    "type",
    "kind",
    "quote",
    "date_note",
    "heading",
    "summary",
    "aliases",
    "mentions",
)
# what may go to spare a name its third line
CHEAP_DROPS = {"bar", "as_of", "inferred", "unit", "score"}
# never wrapped, never cut
NO_WRAP = {
    "id",
    "value",
    "figure",
    "unit",
    "bar",
    "as_of",
    "kind",
    "type",
    "score",
    "para",
    "n",
    "inferred",
    "precision",
    "mentions",
    "amount",
    "status",
    "qualifier",
    "year",
    "pillar_name",
}
NUMERIC = {"value", "figure", "score", "para", "n", "mentions", "amount"}
TRUNCATED = {"quote": 2}  # at most this many lines, then …
NAMES = {"name", "title"}  # wrap at most MAX_NAME_LINES lines (other text columns wrap freely)
MAX_NAME_LINES = 3  # a name wraps at most twice
TEXT_MIN_WIDTH = 16  # the narrowest a freely wrapping text column gets
TIGHT = {"date"}  # as narrow as their widest piece: a date, its inferred mark below it if need be
QUOTE_MIN_WIDTH = 120
LIST_CAP = 3  # items of a list shown in one cell before "… and N more"
BORDERS = 1  # the left edge; each column adds 3 (padding and a rule)


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


class Wrapped:
    """A text wrapped by the Chinese line-breaking rules of ``linebreak`` (styles kept)."""

    def __init__(self, text: Text | str, *, max_lines: int | None = None, style: str = "") -> None:
        self.text = text if isinstance(text, Text) else Text(text, style=style)
        self.max_lines = max_lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        return Measurement(min(lb.min_width(plain), options.max_width), min(lb.max_width(plain), options.max_width))

    def lines(self, width: int) -> list[Text]:
        spans = lb.wrap(self.text.plain, width)
        out = [self.text[s:e] for s, e in spans]
        if self.max_lines and len(out) > self.max_lines:
            out = out[: self.max_lines]
            last = out[-1]
            while last.plain and lb.cell_width(last.plain) + 1 > width:
                last = last[:-1]
            last.append("…")
            out[-1] = last
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # The lines are already broken: hand Rich their segments, so that it does not
        # measure and wrap each line again (most of a table's rendering time).
        new_line = Segment.line()
        for line in self.lines(options.max_width):
            segments = line.render(console)
            if line.style:  # the text's own style, under its spans (as Text.join would put it)
                segments = Segment.apply_style(segments, console.get_style(line.style))
            yield from segments
            yield new_line


def bar(value: float, unit: str | None, width: int = 6, kind: str | None = None) -> Text:
    """An inline bar for a share; a signed marker for a rate of change; nothing for other kinds."""
    if not isinstance(value, (int, float)):
        return Text("")
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


def capped(items: list[Any], lang: str, cap: int = LIST_CAP) -> str:
    """A list in one cell: the first ``cap`` items, then "… and N more"."""
    shown = [str(v) for v in items[:cap]]
    text = ", " if lang == "en" else "、"
    out = text.join(shown)
    if len(items) > cap:
        out += " " + more(len(items) - cap, lang) if lang == "en" else more(len(items) - cap, lang)
    return out


def cell_renderable(row: dict[str, Any], col: str, *, lang: str) -> Text:
    """One table cell as styled text (not yet wrapped)."""
    value = row.get(col)
    if col == "bar":
        return bar(row.get("value", 0), row.get("unit"), kind=row.get("kind"))
    if col == "value":
        return _value_text(row)
    if col == "figure":  # the figure as written (in English under --lang en)
        shown = row.get("figure") or row.get("text")
        return Text(str(shown), style="bold green") if shown else _value_text(row)
    if col == "inferred":
        note = f"{_colon(lang)}{row['date_note']}" if value and row.get("date_note") else ""
        return Text(label("inferred", lang) + note if value else "", style="yellow")
    if col == "date" and row.get("inferred") is True and isinstance(value, str):
        out = Text(value)  # the mark goes with the date: it must not be dropped apart from it
        out.append(
            f" ({label('inferred', lang)})" if lang == "en" else f"（{label('inferred', lang)}）", style="yellow"
        )
        return out
    if col in WORD_FIELDS and isinstance(value, str):
        return Text(value_name(value, lang), style="magenta" if col in ("kind", "record") else "")
    if col == "mentions" and isinstance(value, list):
        return Text(str(len(value)))
    if col == "snippet" and "snippet_matches" in row:
        return highlighted(str(value or ""), row["snippet_matches"])
    if col == "id":
        return Text(cell(value), style="dim")
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return Text(capped(value, lang))
    style = "bold" if col in ("name", "title") else ""
    if col == "quote" and value:
        return Text(f"“{value}”", style="italic")
    return Text(cell(value), style=style)


def _colon(lang: str) -> str:
    return ": " if lang == "en" else "："


def inferred_mark(lang: str) -> str:
    """The mark after an inferred date: " (inferred)" / "（推断）"."""
    return f" ({label('inferred', lang)})" if lang == "en" else f"（{label('inferred', lang)}）"


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


# -- sizing ----------------------------------------------------------------


def _lines_at(texts: list[str], width: int) -> int:
    return max((lb.line_count(t, width) for t in texts if t), default=1)


def _width_for_lines(col: str, header: str, texts: list[str], lines: int) -> int:
    """The narrowest width at which every text of a wrapping column takes at most ``lines`` lines."""
    natural = max([lb.cell_width(header)] + [lb.cell_width(t) for t in texts])
    if col in NO_WRAP:
        return natural
    if col in TRUNCATED:
        return min(natural, 20)
    width = max([lb.cell_width(header)] + [lb.min_width(t) for t in texts])
    if col in TIGHT:
        return width
    if col not in NAMES:
        return max(width, min(natural, TEXT_MIN_WIDTH))
    while width < natural and _lines_at(texts, width) > lines:
        width += 1
    return width


def plan_columns(
    columns: list[str], headers: dict[str, str], texts: dict[str, list[str]], width: int, *, droppable: bool = True
) -> dict[str, int] | None:
    """The width of each column shown (in order), or None when even the essentials do not fit.

    Names wrap into two lines when that costs no column but the decorative
    ones (``CHEAP_DROPS``), else three (``MAX_NAME_LINES``), never more. Columns asked for by name
    (``droppable`` false: ``--fields``) are never dropped, only emptied ones.
    """
    shown = [c for c in columns if any(texts[c])]  # columns empty in every row are not shown
    if droppable and width < QUOTE_MIN_WIDTH and len(shown) > 1:
        shown = [c for c in shown if c != "quote"]
    loose = _plan(shown, headers, texts, width, MAX_NAME_LINES, droppable)
    tight = _plan(shown, headers, texts, width, 2, droppable)
    if tight is None or (loose is not None and not set(loose) - set(tight) <= CHEAP_DROPS):
        return loose
    return tight


def _plan(
    columns: list[str], headers: dict[str, str], texts: dict[str, list[str]], width: int, lines: int, droppable: bool
) -> dict[str, int] | None:
    shown = list(columns)
    natural = {c: max([lb.cell_width(headers[c])] + [lb.cell_width(t) for t in texts[c]]) for c in shown}
    minimum = {c: _width_for_lines(c, headers[c], texts[c], lines) for c in shown}

    def need(cols: list[str]) -> int:
        return BORDERS + sum(minimum[c] + 3 for c in cols)

    for drop in DROP_ORDER if droppable else ():
        if need(shown) <= width:
            break
        if drop in shown and len(shown) > 1:
            shown.remove(drop)
    if need(shown) > width:
        return None
    widths = {c: minimum[c] for c in shown}
    spare = width - need(shown)
    names = [c for c in shown if c in NAMES]
    others = [c for c in shown if c not in NO_WRAP and c not in NAMES]
    # names up to two lines, then quotes and other texts, then names up to one line
    two_lines = {c: max(widths[c], _width_for_lines(c, headers[c], texts[c], 2)) for c in names}
    for targets in (two_lines, {c: natural[c] for c in others}, {c: natural[c] for c in names}):
        spare = _share(widths, targets, spare)
    return widths


def _share(widths: dict[str, int], targets: dict[str, int], spare: int) -> int:
    """Widen columns towards their targets, in proportion to what each lacks; returns what is left."""
    wants = {c: t - widths[c] for c, t in targets.items() if t > widths[c]}
    total = sum(wants.values())
    if not total or spare <= 0:
        return spare
    if total <= spare:
        for c, w in wants.items():
            widths[c] += w
        return spare - total
    given = 0
    for c, w in wants.items():
        extra = w * spare // total
        widths[c] += extra
        given += extra
    spare -= given
    for c in wants:  # rounding leftovers
        if spare <= 0:
            break
        if widths[c] < targets[c]:
            widths[c] += 1
            spare -= 1
    return spare


def table(
    rows: list[dict[str, Any]],
    columns: list[str],
    *,
    lang: str,
    width: int,
    color: bool,
    droppable: bool = True,
) -> str:
    """Rows as a table sized by priority (see the module's docstring); ``droppable`` false keeps
    every column that has a value (the user named them with ``--fields``)."""
    width = max(width, 20)
    rows, columns = visible_data(rows), visible_data(columns)  # escaped before layout, so widths stay right
    cells = {c: [cell_renderable(row, c, lang=lang) for row in rows] for c in columns}
    texts = {c: [t.plain for t in cells[c]] for c in columns}
    headers = {c: label(c, lang) for c in columns}
    widths = plan_columns(columns, headers, texts, width, droppable=droppable)
    if widths is None:
        return _stacked(rows, columns, cells, headers, width=width, color=color, lang=lang)
    t = Table(header_style="bold", expand=False, show_lines=False)
    for col, w in widths.items():
        t.add_column(
            headers[col],
            justify="right" if col in NUMERIC else "left",
            width=w,
            no_wrap=col in NO_WRAP,
            overflow="fold",  # never happens: every column is as wide as its content needs
        )
    for i in range(len(rows)):
        out: list[RenderableType] = []
        for col in widths:
            text = cells[col][i]
            out.append(text if col in NO_WRAP else Wrapped(text, max_lines=TRUNCATED.get(col)))
        t.add_row(*out)
    return to_text(t, width=width, color=color)


def _stacked(
    rows: list[dict[str, Any]],
    columns: list[str],
    cells: dict[str, list[Text]],
    headers: dict[str, str],
    *,
    width: int,
    color: bool,
    lang: str,
) -> str:
    """Each row as a block of lines, for terminals too narrow for a table.

    The id gets a line of its own, printed whole even when it is wider than
    the terminal (the terminal wraps it; it is never cut).
    """
    out: list[str] = []
    for i in range(len(rows)):
        lines: list[RenderableType] = []
        rid = ""
        for col in columns:
            text = cells[col][i]
            if not text.plain or col == "quote":
                continue
            if col in ("name", "title"):
                lines.insert(0, Wrapped(text))
            elif col == "id":
                rid = text.plain
            else:
                labelled = Text(f"{headers[col]}{_colon(lang)}", style="cyan")
                labelled.append_text(text)
                lines.append(Wrapped(labelled))
        out.append(to_text(Group(*lines), width=width, color=color) if lines else "")
        if rid:
            out.append((f"\x1b[2m{rid}\x1b[0m" if color else rid) + "\n")
        out.append("\n")
    return "".join(out)


# -- one record ------------------------------------------------------------


def record(rec: dict[str, Any], *, lang: str, width: int, color: bool) -> str:
    """One record as a titled panel of label/value lines (the quote always shown in full)."""
    rec = visible_data(rec)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in rec.items():
        if value is None or value == [] or key in ("id",):
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            grid.add_row(label(key, lang), Group(*(Wrapped(_brief_line(v, lang)) for v in value)))
        elif isinstance(value, dict):
            grid.add_row(
                label(key, lang),
                Group(
                    *(
                        Wrapped(f"{value_name(k, lang)}{_colon(lang)}{cell(v)}")
                        for k, v in value.items()
                        if v is not None
                    )
                ),
            )
        elif isinstance(value, list):
            sep = ", " if lang == "en" else "、"
            grid.add_row(label(key, lang), Wrapped(sep.join(str(v) for v in value)))
        elif (key in WORD_FIELDS or key.endswith("precision")) and isinstance(value, str):
            grid.add_row(label(key, lang), Text(value_name(value, lang)))
        elif isinstance(value, bool):
            grid.add_row(label(key, lang), Text(label("yes" if value else "no", lang)))
        elif key == "quote":
            grid.add_row(label(key, lang), Wrapped(f"“{value}”"))
        else:
            grid.add_row(label(key, lang), Wrapped(cell(value) if not isinstance(value, str) else value))
    from rich.panel import Panel

    rid = str(rec.get("id") or rec.get("title") or "")
    title, own_line = panel_title([], Text(rid, style="bold"), width)
    panel = to_text(Panel(grid, title=title, title_align="left", border_style="blue"), width=width, color=color)
    return id_line(own_line, color) + panel


# The narrowest a shortened name may get in a panel's title (with its …) before the id takes a line of its own.
TITLE_MIN_NAME = 5


def panel_title(names: list[Text], rid: Text, width: int) -> tuple[Text | None, str]:
    """A panel's title that holds the whole id: the names, then the first name only, then the
    first name shortened with …; when even that does not fit, the first name alone (shortened)
    and the id returned, to be printed whole on a line of its own (``id_line``)."""
    room = max(width, 20) - 6  # the corners, a rule each side and the title's padding
    for shown in (names, names[:1]):
        title = _joined([*shown, rid])
        if title.cell_len <= room:
            return title, ""
    left = room - rid.cell_len - 2
    if names and left >= TITLE_MIN_NAME:
        return _joined([_shortened(names[0], left), rid]), ""
    if not names:
        return None, rid.plain
    return _shortened(names[0], room), rid.plain


def _joined(pieces: list[Text]) -> Text:
    """The pieces two spaces apart, the first one's style under them all."""
    out = pieces[0].copy()
    for piece in pieces[1:]:
        out.append("  ", style=piece.style)
        out.append_text(piece)
    return out


def _shortened(text: Text, width: int) -> Text:
    """``text`` in at most ``width`` cells: as it is, or cut at a character and ended with …."""
    if text.cell_len <= width:
        return text
    short = text.copy()
    while short.plain and short.cell_len + 1 > width:
        short.right_crop(1)
    short.append("…")
    return short


def id_line(rid: str, color: bool) -> str:
    """An id on a line of its own, whole even when wider than the terminal (which wraps it; never cut)."""
    if not rid:
        return ""
    return (f"\x1b[2m{rid}\x1b[0m" if color else rid) + "\n"


def _brief_line(item: dict[str, Any], lang: str) -> Text:
    out = Text()
    if item.get("record"):
        out.append(value_name(str(item["record"]), lang), style="magenta")
        out.append("  ")
    for key in ("date", "iso", "label", "name", "title", "text"):
        if item.get(key):
            out.append(str(item[key]), style="bold" if key in ("name", "title") else "")
            out.append("  ")
    if item.get("value") is not None and not item.get("text"):
        out.append(f"{format_number(item['value'])}{item.get('unit') or ''}  ")
    if item.get("para"):
        out.append(f"¶{item['para']}  ")
    if item.get("inferred") and item.get("note"):
        out.append(f"{label('inferred', lang)}{_colon(lang)}{item['note']}  ", style="yellow")
    out.append(str(item.get("id", "")), style="dim")
    return out


# -- the pillar briefing ---------------------------------------------------


def briefing(rows: list[dict[str, Any]], *, detail: bool, lang: str, width: int, color: bool) -> str:
    """The two positionings and the four articles, as a briefing."""
    rows = visible_data(rows)
    out: list[str] = []
    parts: list[RenderableType] = []
    for kind in ("positioning", "article", "general"):
        group = [r for r in rows if r.get("kind") == kind]
        if not group:
            continue
        parts.append(Text(label(kind, lang), style="bold magenta"))
        for row in group:
            panel, own_line = _pillar_panel(row, detail=detail, lang=lang, width=width)
            if own_line:  # an id too long for the title goes above its panel, whole
                out.append(to_text(Group(*parts), width=width, color=color) if parts else "")
                out.append(id_line(own_line, color))
                parts = []
            parts.append(panel)
    if parts:
        out.append(to_text(Group(*parts), width=width, color=color))
    return "".join(out)


def _pillar_panel(row: dict[str, Any], *, detail: bool, lang: str, width: int) -> tuple[Panel, str]:
    from rich.panel import Panel

    body: list[RenderableType] = []
    if row.get("heading"):
        body.append(Wrapped(Text(row["heading"], style="italic")))
    if row.get("summary"):
        body.append(Wrapped(row["summary"]))
    if detail:
        for key in ("goals", "plans"):
            items = row.get(key) or []
            if items:
                body.append(Text(label(key, lang), style="bold cyan"))
                grid = Table.grid(padding=(0, 1))
                grid.add_column(no_wrap=True)
                grid.add_column()
                for item in items:
                    year = f"[{item['year']}] " if item.get("year") else ""
                    grid.add_row("  •", Wrapped(f"{year}{item['text']}"))
                    if item.get("year_inferred") and item.get("year_note"):
                        note = f"{label('inferred', lang)}{_colon(lang)}{item['year_note']}"
                        grid.add_row("", Wrapped(Text(note, style="yellow")))
                body.append(grid)
        cases = row.get("cases") or []
        if cases:
            body.append(Text(label("cases", lang), style="bold cyan"))
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column()
            for case in cases:
                dates = f" ({', '.join(case['dates'])})" if case.get("dates") else ""
                line = Text(case["title"], style="bold")
                line.append(dates, style="green")
                line.append(f"  {case['id']}", style="dim")
                grid.add_row("  ▸", Wrapped(line))
                if case.get("summary"):
                    grid.add_row("", Wrapped(case["summary"]))
                for d in case.get("date_details") or []:
                    if d.get("inferred") and d.get("note"):
                        note = f"{d['iso']} {label('inferred', lang)}{_colon(lang)}{d['note']}"
                        grid.add_row("", Wrapped(Text(note, style="yellow")))
            body.append(grid)
        metrics = row.get("metrics") or []
        if metrics:
            body.append(Text(label("metrics", lang), style="bold cyan"))
            t = Table.grid(padding=(0, 2))
            t.add_column()
            t.add_column(justify="right", style="bold green", no_wrap=True)
            t.add_column(no_wrap=True)
            for m in metrics:
                t.add_row(
                    Wrapped(f"  {m['name']}"),
                    m.get("figure") or m["text"],
                    bar(m["value"], m["unit"], kind=m.get("kind")),
                )
            body.append(t)
    names = [Text(row["name"], style="bold")]
    if lang == "en" and row.get("name_zh"):
        names.append(Text(row["name_zh"], style="dim"))
    title, own_line = panel_title(names, Text(row["id"], style="dim"), width)
    body_ = Group(*body) if body else Text("")
    return Panel(body_, title=title, title_align="left", border_style="blue"), own_line
