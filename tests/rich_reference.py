"""The terminal renderings drawn with Rich: the reference for how they look.

``beibei_cli.output.terminal`` plans every table and panel (what goes in
which column, how wide, which line breaks, which styles) and draws it
itself, without importing Rich, for start-up speed (issue #10). This module
draws the same plans with Rich's ``Table``, ``Panel`` and console, as the
tool did up to 0.2.0; ``tests/test_terminal.py`` holds the tool's drawing to
it, byte for byte.
"""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Span, Text

from beibei_cli.output import linebreak as lb
from beibei_cli.output import terminal as tm
from beibei_cli.output.labels import label
from beibei_cli.output.styled import SText

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from rich.console import ConsoleOptions, RenderResult


def to_text(renderable: RenderableType, *, width: int, color: bool) -> str:
    console = Console(
        width=max(width, tm.MIN_WIDTH),
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


def rich_text(text: SText | str) -> Text:
    """A Rich ``Text`` with the same characters, base style and spans (never parsed as markup)."""
    if isinstance(text, str):
        return Text(text)
    return Text(text.plain, style=text.style, spans=[Span(s, e, st) for s, e, st in text.spans])


class Wrapped:
    """A text wrapped by the Chinese line-breaking rules of ``linebreak`` (styles kept)."""

    def __init__(self, text: SText | str, *, max_lines: int | None = None) -> None:
        self.text = text if isinstance(text, SText) else SText(text)
        self.max_lines = max_lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        return Measurement(min(lb.min_width(plain), options.max_width), min(lb.max_width(plain), options.max_width))

    def lines(self, width: int) -> list[Text]:
        return [rich_text(line) for line in tm.wrapped_lines(self.text, width, self.max_lines)]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # The lines are already broken: hand Rich their segments, so that it does not
        # measure and wrap each line again.
        new_line = Segment.line()
        for line in self.lines(options.max_width):
            segments = line.render(console)
            if line.style:  # the text's own style, under its spans (as Text.join would put it)
                segments = Segment.apply_style(segments, console.get_style(line.style))
            yield from segments
            yield new_line


def table(
    rows: list[dict[str, Any]],
    columns: list[str],
    *,
    lang: str,
    width: int,
    color: bool,
    droppable: bool = True,
) -> str:
    """``terminal.table``'s plan drawn with Rich's ``Table``."""
    width = max(width, tm.MIN_WIDTH)
    rows, columns, cells, headers, widths = tm.table_plan(rows, columns, lang=lang, width=width, droppable=droppable)
    if widths is None:
        return _stacked(rows, columns, cells, headers, width=width, color=color, lang=lang)
    t = Table(header_style="bold", expand=False, show_lines=False)
    for col, w in widths.items():
        t.add_column(
            headers[col],
            justify="right" if col in tm.NUMERIC else "left",
            width=w,
            no_wrap=col in tm.NO_WRAP,
            overflow="fold",  # never happens: every column is as wide as its content needs
        )
    for i in range(len(rows)):
        out: list[RenderableType] = []
        for col in widths:
            text = cells[col][i]
            out.append(rich_text(text) if col in tm.NO_WRAP else Wrapped(text, max_lines=tm.TRUNCATED.get(col)))
        t.add_row(*out)
    return to_text(t, width=width, color=color)


def _stacked(
    rows: list[dict[str, Any]],
    columns: list[str],
    cells: dict[str, list[SText]],
    headers: dict[str, str],
    *,
    width: int,
    color: bool,
    lang: str,
) -> str:
    out: list[str] = []
    for lines, rid in tm.stacked_lines(rows, columns, cells, headers, lang, width):
        out.append(to_text(Group(*(Wrapped(line) for line in lines)), width=width, color=color) if lines else "")
        out.append(tm.id_line(rid, color))
        out.append("\n")
    return "".join(out)


# -- one record ------------------------------------------------------------


def record(rec: dict[str, Any], *, lang: str, width: int, color: bool) -> str:
    """``terminal.record``'s plan drawn with Rich's ``Panel`` and ``Table.grid``."""
    from rich.panel import Panel

    width = max(width, tm.MIN_WIDTH)
    body, title, own_line = tm.record_panel(rec, lang=lang, width=width)
    content = Group(*(_rich_part(part) for part in body)) if body else Text("")
    panel = Panel(content, title=rich_text(title) if title else None, title_align="left", border_style="blue")
    return tm.id_line(own_line, color) + to_text(panel, width=width, color=color)


# -- the pillar briefing ---------------------------------------------------


def briefing(rows: list[dict[str, Any]], *, detail: bool, lang: str, width: int, color: bool) -> str:
    """``terminal.briefing``'s plan drawn with Rich's ``Panel`` and ``Table.grid``."""
    from rich.panel import Panel

    width = max(width, tm.MIN_WIDTH)
    out: list[str] = []
    parts: list[RenderableType] = []
    groups = tm.briefing_groups(rows)
    beside = tm.figures_beside([row for _, group in groups for row in group], width)
    for kind, group in groups:
        parts.append(Wrapped(SText(label(kind, lang), style="bold magenta")))
        for row in group:
            body, title, own_line = tm.pillar_panel(row, detail=detail, lang=lang, width=width, beside=beside)
            if own_line:  # an id too long for the title goes above its panel, whole
                out.append(to_text(Group(*parts), width=width, color=color) if parts else "")
                out.append(tm.id_line(own_line, color))
                parts = []
            content = Group(*(_rich_part(part) for part in body)) if body else Text("")
            title_text = rich_text(title) if title else None
            parts.append(Panel(content, title=title_text, title_align="left", border_style="blue"))
    if parts:
        out.append(to_text(Group(*parts), width=width, color=color))
    return "".join(out)


def _rich_part(part: SText | tm.Wrap | tm.Stack | tm.Grid) -> RenderableType:
    if isinstance(part, tm.Wrap):
        return Wrapped(part.text, max_lines=part.max_lines)
    if isinstance(part, tm.Stack):
        return Group(*(Wrapped(p.text, max_lines=p.max_lines) for p in part.parts))
    if isinstance(part, tm.Grid):
        grid = Table.grid(padding=(0, part.gap))
        for no_wrap, justify, style in part.columns:
            grid.add_column(no_wrap=no_wrap, justify=justify, style=style)  # type: ignore[arg-type]
        for row in part.rows:
            grid.add_row(*(_rich_part(item) for item in row))
        return grid
    return rich_text(part)
