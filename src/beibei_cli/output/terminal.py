"""Terminal renderings: tables, the pillar briefing, record panels, narrow blocks, drawn by Rich.

This module plans what Rich draws: which columns fit and how wide, in which
order they give way, where Chinese text may break (``linebreak``: no line
starts with ，。), and when rows become "label: value" blocks; Rich's
``Table``, ``Panel`` and console draw the plan. Only the terminal formats
import this module (and so Rich): machine formats never do.

Tables are sized by priority, not left to an even squeeze:

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

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Text as SText

from beibei_cli.output import cell, format_number, visible_data
from beibei_cli.output import linebreak as lb
from beibei_cli.output.labels import WORD_FIELDS, date_text, label, more, value_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


# Dropped first to last when a table does not fit; columns not named here are never dropped.
# The quote goes first: it comes in only beside every other column, so that a wider terminal
# never loses a column (the share bar went at 120 columns as the quote came in).
DROP_ORDER = (
    "quote",
    "bar",
    "scale",
    "as_of",
    "inferred",
    "unit",
    "score",
    "pillar",
    "pillar_name",
    "type",
    "kind",
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
    "scale",
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


MIN_WIDTH = 20  # narrower terminals are drawn as if this wide
# A search hit: the snippet is what was asked for, so it gets 48 columns before the title takes
# more than two lines (the title is whole in `show`; the id is never cut).
HIT_LAYOUT: dict[str, dict[str, int]] = {"floors": {"snippet": 48}, "truncated": {"title": 2}}

# -- cells -----------------------------------------------------------------


def bar(value: float, unit: str | None, width: int = 6, kind: str | None = None) -> SText:
    """An inline bar for a share; a signed marker for a rate of change; nothing for other kinds."""
    if not isinstance(value, (int, float)):
        return SText("")
    if kind == "rate-of-change":
        return SText(
            ("▲ +" if value >= 0 else "▼ ") + f"{format_number(value)}%", style="green" if value >= 0 else "red"
        )
    if (kind is not None and kind != "share") or unit != "%" or not 0 <= value <= 100:
        return SText("")
    eighths = round(value / 100 * width * 8)
    full, part = divmod(eighths, 8)
    blocks = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
    return SText(blocks.ljust(width, "·"), style="cyan")


def scale_bar(fraction: Any, width: int = 12) -> SText:
    """A bar ``fraction`` (0 to 1) of ``width`` cells long, in eighths; nothing without one."""
    if not isinstance(fraction, (int, float)) or not 0 <= fraction <= 1:
        return SText("")
    full, part = divmod(round(fraction * width * 8), 8)
    return SText("█" * full + (" ▏▎▍▌▋▊▉"[part] if part else ""), style="cyan")


def capped(items: list[Any], lang: str, cap: int = LIST_CAP) -> str:
    """A list in one cell: the first ``cap`` items, then "… and N more"."""
    shown = [str(v) for v in items[:cap]]
    text = ", " if lang == "en" else "、"
    out = text.join(shown)
    if len(items) > cap:
        out += " " + more(len(items) - cap, lang) if lang == "en" else more(len(items) - cap, lang)
    return out


def cell_renderable(row: dict[str, Any], col: str, *, lang: str) -> SText:
    """One table cell as styled text (not yet wrapped)."""
    value = row.get(col)
    if col == "bar":
        return bar(row.get("value", 0), row.get("unit"), kind=row.get("kind"))
    if col == "scale":  # a row's size against the largest of its kind (series, trend): 0 to 1
        return scale_bar(value)
    if col == "value":
        return _value_text(row, lang)
    if col == "figure":  # the figure as written (in English under --lang en)
        shown = row.get("figure") or row.get("text")
        return status_marked(SText(str(shown), style="bold green"), row, lang) if shown else _value_text(row, lang)
    if col == "amount" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return SText(grouped(value))
    if col == "inferred":
        note = f"{_colon(lang)}{row['date_note']}" if value and row.get("date_note") else ""
        return SText(label("inferred", lang) + note if value else "", style="yellow")
    if col == "date" and row.get("inferred") is True and isinstance(value, str):
        out = SText(value)  # the mark goes with the date: it must not be dropped apart from it
        out.append(inferred_mark(lang), style="yellow")
        return out
    if col in WORD_FIELDS and isinstance(value, str):
        return SText(value_name(value, lang), style="magenta" if col in ("kind", "record") else "")
    if col == "mentions" and isinstance(value, list):
        return SText(str(len(value)))
    if col == "snippet" and "snippet_matches" in row:
        return highlighted(str(value or ""), row["snippet_matches"])
    if col == "id":
        return SText(cell(value), style="dim")
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return SText(capped(value, lang))
    style = "bold" if col in ("name", "title") else ""
    if col == "quote" and value:
        return SText(f"“{value}”", style="italic")
    return SText(cell(value), style=style)


def _colon(lang: str) -> str:
    return ": " if lang == "en" else "："


def inferred_mark(lang: str) -> str:
    """The mark after an inferred date: " (inferred)" / "（推断）"."""
    return f" ({label('inferred', lang)})" if lang == "en" else f"（{label('inferred', lang)}）"


def _value_text(row: dict[str, Any], lang: str) -> SText:
    value = row.get("value")
    shown = format_number(value) if isinstance(value, (int, float)) else cell(value)
    qualifier = row.get("qualifier")
    if qualifier:
        shown = f"{shown} ({qualifier})"
    return status_marked(SText(shown, style="bold green"), row, lang)


# Figures that are not (yet) facts carry their status in every table: 6亿元（预计）, 4个（目标）.
MARKED_STATUS = ("forecast", "target")


def status_marked(text: SText, row: dict[str, Any], lang: str) -> SText:
    status = row.get("status")
    if status in MARKED_STATUS:
        word = value_name(str(status), lang)
        text.append(f" ({word})" if lang == "en" else f"（{word}）", style="yellow")
    return text


def grouped(value: float) -> str:
    """An amount as a reader expects it: 42,800,000,000 (3 digits a group), decimals kept."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,}"
    return f"{int(value):,}"


def highlighted(text: str, spans: list[list[int]]) -> SText:
    out = SText(text)
    for start, end in spans:
        out.stylize("bold black on yellow", start, end)
    return out


def wrapped_lines(text: SText, width: int, max_lines: int | None = None) -> list[SText]:
    """``text`` broken by the Chinese line-breaking rules of ``linebreak`` (styles kept); past
    ``max_lines`` lines, the last one shown ends in …."""
    out = [text[s:e] for s, e in lb.wrap(text.plain, width)]
    if max_lines and len(out) > max_lines:
        out = out[:max_lines]
        last = out[-1]
        while last.plain and lb.cell_width(last.plain) + 1 > width:
            last = last[: len(last) - 1]
        last.append("…")
        out[-1] = last
    return out


# -- sizing ----------------------------------------------------------------


def _lines_at(texts: list[str], width: int) -> int:
    return max((lb.line_count(t, width) for t in texts if t), default=1)


def _width_for_lines(
    col: str, header: str, texts: list[str], lines: int, truncated: dict[str, int] | None = None
) -> int:
    """The narrowest width at which every text of a wrapping column takes at most ``lines`` lines."""
    natural = max([lb.cell_width(header)] + [lb.cell_width(t) for t in texts])
    if col in NO_WRAP:
        return natural
    if col in (TRUNCATED if truncated is None else truncated):
        return min(natural, 20)
    width = max([lb.cell_width(header)] + [lb.min_width(t) for t in texts])
    if col in TIGHT:
        return width
    if col not in NAMES:
        return max(width, min(natural, TEXT_MIN_WIDTH))
    # The narrowest width in [width, natural] that fits: a text of C cells needs at least
    # C / lines cells a line, and fewer lines never need more width, so a binary search
    # finds it with log(natural) wraps (trying each width in turn was quadratic in a long
    # name's length: 45 s for a 16,000-character name).
    longest = max((lb.cell_width(t) for t in texts), default=0)
    low = min(natural, max(width, -(-longest // lines)))
    if _lines_at(texts, low) <= lines:
        return low
    high = natural  # always fits: nothing wraps
    while high - low > 1:
        mid = (low + high) // 2
        if _lines_at(texts, mid) <= lines:
            high = mid
        else:
            low = mid
    return high


def plan_columns(
    columns: list[str],
    headers: dict[str, str],
    texts: dict[str, list[str]],
    width: int,
    *,
    droppable: bool = True,
    floors: dict[str, int] | None = None,
    truncated: dict[str, int] | None = None,
) -> dict[str, int] | None:
    """The width of each column shown (in order), or None when even the essentials do not fit.

    Names wrap into two lines when that costs no column but the decorative
    ones (``CHEAP_DROPS``), else three (``MAX_NAME_LINES``), never more. Columns asked for by name
    (``droppable`` false: ``--fields``) are never dropped, only emptied ones.
    """
    shown = [c for c in columns if any(texts[c])]  # columns empty in every row are not shown
    if droppable and width < QUOTE_MIN_WIDTH and len(shown) > 1:
        shown = [c for c in shown if c != "quote"]
    return _plan_lines(shown, headers, texts, width, droppable, floors or {}, truncated or TRUNCATED)


def _plan_lines(
    shown: list[str],
    headers: dict[str, str],
    texts: dict[str, list[str]],
    width: int,
    droppable: bool,
    floors: dict[str, int],
    truncated: dict[str, int],
) -> dict[str, int] | None:
    loose = _plan(shown, headers, texts, width, MAX_NAME_LINES, droppable, floors, truncated)
    tight = _plan(shown, headers, texts, width, 2, droppable, floors, truncated)
    if tight is None or (loose is not None and not set(loose) - set(tight) <= CHEAP_DROPS):
        return loose
    return tight


def _plan(
    columns: list[str],
    headers: dict[str, str],
    texts: dict[str, list[str]],
    width: int,
    lines: int,
    droppable: bool,
    floors: dict[str, int],
    truncated: dict[str, int],
) -> dict[str, int] | None:
    shown = list(columns)
    natural = {
        c: max([lb.cell_width(headers[c]), floors.get(c, 0)] + [lb.cell_width(t) for t in texts[c]]) for c in shown
    }
    minimum = {c: max(_width_for_lines(c, headers[c], texts[c], lines, truncated), floors.get(c, 0)) for c in shown}

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
    two_lines = {c: max(widths[c], _width_for_lines(c, headers[c], texts[c], 2, truncated)) for c in names}
    two_lines.update({c: widths[c] for c in floors if c in widths and c not in NAMES})
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
    floors: dict[str, int] | None = None,
    truncated: dict[str, int] | None = None,
) -> str:
    """Rows as a table sized by priority (see the module's docstring); ``droppable`` false keeps
    every column that has a value (the user named them with ``--fields``). ``floors``: the
    narrowest some columns may get (a search's snippet); ``truncated``: the most lines some
    columns take, then … (the quote; a search hit's title, whole in ``show``).

    The ids go under the names, dim, in one column (``ID_HOSTS``): a whole id is 20 to 45
    columns wide, and a column of its own beside the names took the width the texts need.
    """
    width = max(width, MIN_WIDTH)
    truncated = TRUNCATED if truncated is None else {**TRUNCATED, **truncated}
    rows, columns, cells, headers, widths = table_plan(
        rows, columns, lang=lang, width=width, droppable=droppable, floors=floors, truncated=truncated
    )
    if widths is None:
        return stacked(rows, columns, cells, headers, width=width, color=color, lang=lang)
    host = id_host(columns, cells) if droppable and "id" not in widths else None
    t = Table(header_style="bold", expand=False, show_lines=False)
    for col, w in widths.items():
        header = f"{headers[col]} / {headers['id']}" if col == host else headers[col]
        t.add_column(
            header,
            justify="right" if col in NUMERIC else "left",
            width=w,
            no_wrap=col in NO_WRAP,
            overflow="fold",  # never happens: every column is as wide as its content needs
        )
    for i in range(len(rows)):
        t.add_row(*(_cell_part(cells, col, i, host, truncated) for col in widths))
    return to_text(t, width=width, color=color)


# The column that holds the ids under its texts, the first of these that a table shows.
ID_HOSTS = ("name", "title", "text")


def id_host(columns: list[str], cells: dict[str, list[SText]]) -> str | None:
    """The column the ids go under, or None (no ids, or no name to put them under)."""
    if "id" not in columns:
        return None
    return next((c for c in ID_HOSTS if c in columns and any(t.plain for t in cells[c])), None)


def _cell_part(
    cells: dict[str, list[SText]], col: str, i: int, host: str | None, truncated: dict[str, int]
) -> RenderableType:
    text = cells[col][i]
    if col in NO_WRAP:
        return text
    if col == host:
        rid = cells["id"][i].copy()
        rid.no_wrap, rid.overflow = True, "ignore"  # whole: the column is at least as wide as the widest id
        return Group(Wrapped(text, truncated.get(col)), rid)
    return Wrapped(text, truncated.get(col))


def table_plan(
    rows: list[dict[str, Any]],
    columns: list[str],
    *,
    lang: str,
    width: int,
    droppable: bool,
    floors: dict[str, int] | None = None,
    truncated: dict[str, int] | None = None,
) -> tuple[list[dict[str, Any]], list[str], dict[str, list[SText]], dict[str, str], dict[str, int] | None]:
    """What a table shows: the rows and columns escaped (before layout, so widths stay right), each
    cell's styled text, the headers, and each shown column's width (None: rows become blocks).
    With ``droppable`` (no ``--fields``) the ids are planned under the names (``id_host``)."""
    rows, columns = visible_data(rows), visible_data(columns)
    cells = {c: [cell_renderable(row, c, lang=lang) for row in rows] for c in columns}
    headers = {c: label(c, lang) for c in columns}
    texts = {c: [t.plain for t in cells[c]] for c in columns}
    truncated = TRUNCATED if truncated is None else truncated
    floors = {c: min(w, _natural(headers[c], texts[c])) for c, w in (floors or {}).items() if c in columns}
    beside = plan_columns(columns, headers, texts, width, droppable=droppable, floors=floors, truncated=truncated)
    host = id_host(columns, cells) if droppable else None
    if host is None:
        return rows, columns, cells, headers, beside
    floor = max(lb.cell_width(t) for t in texts["id"] + [f"{headers[host]} / {headers['id']}"])
    planned = [c for c in columns if c != "id"]
    under = plan_columns(
        planned, headers, texts, width, droppable=droppable, floors={**floors, host: floor}, truncated=truncated
    )
    # the ids under the names when that keeps more columns, or as many in fewer lines
    if under is not None and (
        beside is None
        or len(under) > len(beside) - 1
        or (
            len(under) == len(beside) - 1
            and _line_count(texts, under, host, truncated) < _line_count(texts, beside, None, truncated)
        )
    ):
        return rows, columns, cells, headers, under
    return rows, columns, cells, headers, beside


def _natural(header: str, texts: list[str]) -> int:
    return max([lb.cell_width(header)] + [lb.cell_width(t) for t in texts])


def _line_count(
    texts: dict[str, list[str]], widths: dict[str, int], host: str | None, truncated: dict[str, int]
) -> int:
    """The lines a table's rows take at ``widths`` (``host``: the column with the ids under it)."""
    total = 0
    for i in range(len(texts["id"])):
        row = 1
        for col, w in widths.items():
            if col in NO_WRAP:
                continue
            n = lb.line_count(texts[col][i], w) if texts[col][i] else 1
            n = min(n, truncated.get(col) or n)
            row = max(row, n + (col == host))
        total += row
    return total


def stacked_lines(
    rows: list[dict[str, Any]],
    columns: list[str],
    cells: dict[str, list[SText]],
    headers: dict[str, str],
    lang: str,
    width: int,
) -> list[tuple[list[SText], str]]:
    """For each row: its lines (the name first, then "label: value" lines) and its id. A figure
    (or other unwrapped value) too wide to follow its label goes on the line after it, whole."""
    out = []
    for i in range(len(rows)):
        lines: list[SText] = []
        after: list[SText] = []
        rid = ""
        for col in columns:
            text = cells[col][i]
            if not text.plain or col == "quote":
                continue
            status = rows[i].get("status")
            if col in ("figure", "value") and status in MARKED_STATUS:
                # the figure alone, whole; its status on a line of its own
                text = cell_renderable({**rows[i], "status": None}, col, lang=lang)
                after.append(SText(f"{label('status', lang)}{_colon(lang)}{value_name(str(status), lang)}"))
            if col in ("name", "title"):
                lines.insert(0, text)
            elif col == "id":
                rid = text.plain
            else:
                labelled = SText(f"{headers[col]}{_colon(lang)}", style="cyan")
                if col in NO_WRAP and labelled.cell_len + text.cell_len > width >= text.cell_len:
                    lines.append(labelled)  # the value on a line of its own, whole
                    labelled = SText("")
                labelled.append(text)
                lines.append(labelled)
                lines.extend(after)
                after.clear()
        out.append((lines, rid))
    return out


def stacked(
    rows: list[dict[str, Any]],
    columns: list[str],
    cells: dict[str, list[SText]],
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
    for lines, rid in stacked_lines(rows, columns, cells, headers, lang, width):
        out.append(to_text(Group(*(Wrapped(line) for line in lines)), width=width, color=color) if lines else "")
        out.append(id_line(rid, color))
        out.append("\n")
    return "".join(out)


# The narrowest a figure's name may get beside its figure in a briefing before the figure goes under it.
FIGURE_NAME_MIN = 12
# The narrowest a shortened name may get in a panel's title (with its …) before the id takes a line of its own.
TITLE_MIN_NAME = 5


def panel_title(names: list[SText], rid: SText, width: int) -> tuple[SText | None, str]:
    """A panel's title that holds the whole id: the names, then the first name only, then the
    first name shortened with …; when even that does not fit, the first name alone (shortened)
    and the id returned, to be printed whole on a line of its own (``id_line``)."""
    room = max(width, MIN_WIDTH) - 6  # the corners, a rule each side and the title's padding
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


def _joined(pieces: list[SText]) -> SText:
    """The pieces two spaces apart, the first one's style under them all."""
    out = pieces[0].copy()
    for piece in pieces[1:]:
        out.append("  ", style=piece.style)
        out.append(piece)
    return out


def _shortened(text: SText, width: int) -> SText:
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


def brief_line(item: dict[str, Any], lang: str) -> SText:
    """One linked record in a record's panel: kind, date, name, figure, paragraph, id."""
    out = SText()
    if item.get("record"):
        out.append(value_name(str(item["record"]), lang), style="magenta")
        out.append("  ")
    for key in ("date", "iso", "label", "name", "title", "text"):
        if item.get(key):
            shown = str(item[key])
            if key == "iso" or (key == "date" and "date_precision" in item):  # a date: 2022年（推断）
                inferred = item.get("inferred") if key == "iso" else item.get("date_inferred")
                shown = date_text(shown, bool(inferred), lang)
            out.append(shown, style="bold" if key in ("name", "title") else "")
            out.append("  ")
    if item.get("value") is not None and not item.get("text"):
        out.append(f"{format_number(item['value'])}{item.get('unit') or ''}  ")
    if item.get("para"):
        out.append(f"¶{item['para']}  ")
    if item.get("inferred") and item.get("note"):
        out.append(f"{item['note']}  ", style="yellow")
    elif item.get("date_inferred") and item.get("date_note"):
        out.append(f"{item['date_note']}  ", style="yellow")
    out.append(str(item.get("id", "")), style="dim")
    return out


# -- one record ------------------------------------------------------------


def record(rec: dict[str, Any], *, lang: str, width: int, color: bool) -> str:
    """One record as a titled panel of label/value lines (the quote always shown in full)."""
    width = max(width, MIN_WIDTH)
    body, title, own_line = record_panel(rec, lang=lang, width=width)
    return id_line(own_line, color) + to_text(_panel(body, title), width=width, color=color)


# A field named by inferred_fields, as a reader knows it: the pillar (篇章), not its id.
FIELD_SHOWN = {"pillar": "pillar_name"}

# The narrowest a record's values may get beside their labels before each value goes under its label.
RECORD_VALUE_MIN = 12


def record_panel(rec: dict[str, Any], *, lang: str, width: int) -> tuple[list[Grid | Wrap], SText | None, str]:
    """A record's panel: its body (a grid of labels and values; on a narrow terminal each label
    with its value indented under it), its title, and its id when the id must go on a line of its own."""
    rec = visible_data(rec)
    rows: list[tuple[SText, Wrap | Stack]] = []
    # The field in the interface language already shows its _zh (under zh) or _en (under en) twin;
    # a note is shown in the interface language only (its English under zh is not a name to look up).
    twin = "_zh" if lang != "en" else "_en"
    for key, value in rec.items():
        if value is None or value == [] or key in ("id",):
            continue
        if key.endswith(twin) and key[: -len(twin)] in rec:
            continue
        if key.endswith(("note_en", "note_zh", "reason_en", "reason_zh")) and key[:-3] in rec:
            continue
        if key.endswith(("_precision", "_inferred")) and f"{key.rsplit('_', 1)[0]}_precision" in rec:
            continue  # shown with its date: 2023年1月（推断）
        name = SText(label(key, lang))
        if f"{key}_precision" in rec and isinstance(value, str):  # a flat date (info's)
            rows.append((name, Wrap(date_text(value, rec.get(f"{key}_inferred"), lang))))
        elif isinstance(value, dict) and isinstance(value.get("iso"), str):  # a date: 2022年（推断） and its note
            parts = [Wrap(date_text(value["iso"], value.get("inferred"), lang))]
            if value.get("note"):
                parts.append(Wrap(SText(str(value["note"]), style="yellow")))
            rows.append((name, Stack(parts)))
        elif key == "inferred_fields" and isinstance(value, list):
            sep = ", " if lang == "en" else "、"
            rows.append(
                (
                    name,
                    Wrap(SText(sep.join(label(FIELD_SHOWN.get(str(v), str(v)), lang) for v in value), style="yellow")),
                )
            )
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            rows.append((name, Stack([Wrap(brief_line(v, lang)) for v in value])))
        elif isinstance(value, dict):
            items = [Wrap(f"{value_name(k, lang)}{_colon(lang)}{cell(v)}") for k, v in value.items() if v is not None]
            rows.append((name, Stack(items)))
        elif isinstance(value, list):
            sep = ", " if lang == "en" else "、"
            rows.append((name, Wrap(sep.join(str(v) for v in value))))
        elif (key in WORD_FIELDS or key.endswith("precision")) and isinstance(value, str):
            rows.append((name, Wrap(value_name(value, lang))))
        elif isinstance(value, bool):
            rows.append((name, Wrap(label("yes" if value else "no", lang))))
        elif key == "quote":
            rows.append((name, Wrap(f"“{value}”")))
        elif key == "amount" and isinstance(value, (int, float)):
            rows.append((name, Wrap(grouped(value))))
        else:
            rows.append((name, Wrap(cell(value) if not isinstance(value, str) else value)))
    body: list[Grid | Wrap] = []
    widest = max((name.cell_len for name, _ in rows), default=0)
    if width - 4 - widest - 2 >= RECORD_VALUE_MIN:  # labels and values side by side
        grid = Grid(2, [(True, "left", "bold cyan"), (False, "left", "")])
        for name, shown in rows:
            grid.add_row(name, shown)
        body.append(grid)
    else:  # too narrow for that: each label, and its value indented under it
        for name, shown in rows:
            body.append(Wrap(SText(name.plain, style="bold cyan")))
            indented = Grid(0, [(True, "left", ""), (False, "left", "")])
            indented.add_row(SText("  "), shown)
            body.append(indented)
    if rec.get("id"):  # an id is printed whole (users copy it), on a line of its own if need be
        title, own_line = panel_title([], SText(str(rec["id"]), style="bold"), width)
    else:  # a title (info's) is only shown: shortened with … to fit the border
        title, own_line = _shortened(SText(str(rec.get("title") or ""), style="bold"), max(width, MIN_WIDTH) - 6), ""
    return body, (title if title is None or title.plain else None), own_line


# -- the pillar briefing ---------------------------------------------------


class Grid:
    """A borderless grid, drawn as Rich's ``Table.grid`` with ``gap`` spaces between columns.

    A cell is a text drawn on one line (``SText``), a wrapped text (``Wrap``) or wrapped
    texts one under another (``Stack``)."""

    def __init__(self, gap: int, columns: list[tuple[bool, str, str]]) -> None:
        self.gap = gap
        self.columns = columns  # (no_wrap, justify, style) per column
        self.rows: list[list[SText | Wrap | Stack]] = []

    def add_row(self, *cells: SText | Wrap | Stack) -> None:
        self.rows.append(list(cells))


class Wrap:
    """A text wrapped by the Chinese line-breaking rules (drawn as ``Wrapped``)."""

    def __init__(self, text: SText | str, max_lines: int | None = None) -> None:
        self.text = text if isinstance(text, SText) else SText(text)
        self.max_lines = max_lines

    @property
    def natural(self) -> int:
        return lb.max_width(self.text.plain)


class Stack:
    """Wrapped texts one under another, in one grid cell (drawn as a ``Group`` of ``Wrapped``)."""

    def __init__(self, parts: list[Wrap]) -> None:
        self.parts = parts

    @property
    def natural(self) -> int:
        return max((part.natural for part in self.parts), default=0)


def briefing(rows: list[dict[str, Any]], *, detail: bool, lang: str, width: int, color: bool) -> str:
    """The two positionings and the four articles, as a briefing."""
    width = max(width, MIN_WIDTH)
    out: list[str] = []
    parts: list[RenderableType] = []
    groups = briefing_groups(rows)
    beside = figures_beside([row for _, group in groups for row in group], width)
    for kind, group in groups:
        parts.append(Wrapped(SText(label(kind, lang), style="bold magenta")))
        for row in group:
            body, title, own_line = pillar_panel(row, detail=detail, lang=lang, width=width, beside=beside)
            if own_line:  # an id too long for the title goes above its panel, whole
                out.append(to_text(Group(*parts), width=width, color=color) if parts else "")
                out.append(id_line(own_line, color))
                parts = []
            parts.append(_panel(body, title))
    if parts:
        out.append(to_text(Group(*parts), width=width, color=color))
    return "".join(out)


def briefing_groups(rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The rows of each kind of pillar, in the briefing's order (kinds with no rows left out)."""
    rows = visible_data(rows)
    out = []
    for kind in ("positioning", "article", "general"):
        group = [r for r in rows if r.get("kind") == kind]
        if group:
            out.append((kind, group))
    return out


def _figure_cells(row: dict[str, Any], lang: str = "zh") -> tuple[list[SText], list[SText]]:
    metrics = row.get("metrics") or []
    figures = [status_marked(SText(m.get("figure") or m["text"]), m, lang) for m in metrics]
    bars = [bar(m["value"], m["unit"], kind=m.get("kind")) for m in metrics]
    return figures, bars


def figures_beside(rows: list[dict[str, Any]], width: int) -> bool:
    """Whether every pillar's figures fit beside their names (``FIGURE_NAME_MIN`` cells left for the
    name): one decision for the whole briefing, so that its panels look alike."""
    for row in rows:
        figures, bars = _figure_cells(row)
        if figures:
            beside = max(f.cell_len for f in figures) + 2 + max(b.cell_len for b in bars)
            if width - 4 - 2 - beside < FIGURE_NAME_MIN:
                return False
    return True


def pillar_panel(
    row: dict[str, Any], *, detail: bool, lang: str, width: int, beside: bool = True
) -> tuple[list[SText | Wrap | Grid], SText | None, str]:
    """One pillar's panel: its body (heading, summary; with ``detail`` its goals, plans, cases and
    figures: ``beside`` their names, else under them), its title, and its id when the id must go
    on a line of its own."""
    body: list[SText | Wrap | Grid] = []
    if row.get("heading"):
        body.append(Wrap(SText(row["heading"], style="italic")))
    if row.get("summary"):
        body.append(Wrap(row["summary"]))
    if detail:
        for key in ("goals", "plans"):
            items = row.get(key) or []
            if items:
                body.append(Wrap(SText(label(key, lang), style="bold cyan")))
                grid = Grid(1, [(True, "left", ""), (False, "left", "")])
                for item in items:
                    year = f"[{item['year']}] " if item.get("year") else ""
                    grid.add_row(SText("  •"), Wrap(f"{year}{item['text']}"))
                    if item.get("year_inferred") and item.get("year_note"):
                        note = f"{label('inferred', lang)}{_colon(lang)}{item['year_note']}"
                        grid.add_row(SText(""), Wrap(SText(note, style="yellow")))
                body.append(grid)
        cases = row.get("cases") or []
        if cases:
            body.append(Wrap(SText(label("cases", lang), style="bold cyan")))
            grid = Grid(1, [(True, "left", ""), (False, "left", "")])
            for case in cases:
                dates = f" ({', '.join(case['dates'])})" if case.get("dates") else ""
                line = SText(case["title"], style="bold")
                line.append(dates, style="green")
                line.append(f"  {case['id']}", style="dim")
                grid.add_row(SText("  ▸"), Wrap(line))
                if case.get("summary"):
                    grid.add_row(SText(""), Wrap(case["summary"]))
                for d in case.get("date_details") or []:
                    if d.get("inferred") and d.get("note"):
                        note = f"{d['iso']} {label('inferred', lang)}{_colon(lang)}{d['note']}"
                        grid.add_row(SText(""), Wrap(SText(note, style="yellow")))
            body.append(grid)
        metrics = row.get("metrics") or []
        if metrics:
            body.append(Wrap(SText(label("metrics", lang), style="bold cyan")))
            figures, bars = _figure_cells(row, lang)
            if beside:  # name, figure and bar side by side
                grid = Grid(2, [(False, "left", ""), (True, "right", "bold green"), (True, "left", "")])
                for m, figure, shown in zip(metrics, figures, bars, strict=True):
                    grid.add_row(Wrap(f"  {m['name']}"), figure, shown)
                body.append(grid)
            else:  # too narrow for that: the name, and under it the figure and its bar
                for m, figure, shown in zip(metrics, figures, bars, strict=True):
                    body.append(Wrap(m["name"]))
                    line = SText(figure.plain, "bold green")
                    if shown.plain:
                        line.append("  ").append(shown)
                    indented = Grid(0, [(True, "left", ""), (False, "left", "")])
                    indented.add_row(SText("  "), Wrap(line))
                    body.append(indented)
    names = [SText(row["name"], style="bold")]
    if lang == "en" and row.get("name_zh"):
        names.append(SText(row["name_zh"], style="dim"))
    title, own_line = panel_title(names, SText(row["id"], style="dim"), width)
    return body, title, own_line


# -- drawing the plans with Rich ---------------------------------------------------


def to_text(renderable: RenderableType, *, width: int, color: bool) -> str:
    """What Rich's console prints for ``renderable`` at ``width`` columns, colour on or off."""
    import io

    console = Console(
        width=max(width, MIN_WIDTH),
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
    """A text wrapped by the Chinese line-breaking rules of ``linebreak`` (styles kept), for Rich."""

    def __init__(self, text: SText | str, max_lines: int | None = None) -> None:
        self.text = text if isinstance(text, SText) else SText(text)
        self.max_lines = max_lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        return Measurement(min(lb.min_width(plain), options.max_width), min(lb.max_width(plain), options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # The lines are already broken: hand Rich their segments, so that it does not
        # measure and wrap each line again.
        new_line = Segment.line()
        for line in wrapped_lines(self.text, options.max_width, self.max_lines):
            segments = line.render(console)
            if line.style:  # the text's own style, under its spans (as Text.join would put it)
                segments = Segment.apply_style(segments, console.get_style(line.style))
            yield from segments
            yield new_line


def _panel(body: Sequence[SText | Wrap | Grid], title: SText | None) -> Panel:
    content = Group(*(_part(part) for part in body)) if body else SText("")
    return Panel(content, title=title or None, title_align="left", border_style="blue")


def _part(part: SText | Wrap | Stack | Grid) -> RenderableType:
    if isinstance(part, Wrap):
        return Wrapped(part.text, part.max_lines)
    if isinstance(part, Stack):
        return Group(*(Wrapped(p.text, p.max_lines) for p in part.parts))
    if isinstance(part, Grid):
        grid = Table.grid(padding=(0, part.gap))
        for no_wrap, justify, style in part.columns:
            grid.add_column(no_wrap=no_wrap, justify=justify, style=style)  # type: ignore[arg-type]
        for row in part.rows:
            grid.add_row(*(_part(item) for item in row))
        return grid
    return part
