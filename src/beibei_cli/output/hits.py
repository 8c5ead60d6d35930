"""Search hits in piped output: the matches in colour (``--color always``), as rg does.

Standard library only; the snippets themselves are cut by ``beibei_cli.snippets``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


# rg's default match colour: bold red
MATCH_ON = "\x1b[1;31m"
MATCH_OFF = "\x1b[0m"


def colour_spans(text: str, spans: list[list[int]], escape: Any = str) -> str:
    """``text`` with ANSI colour around each span; ``escape`` makes each piece safe to print first."""
    text = text.replace("\n", " ").replace("\t", " ").replace("\r", " ")  # one line, offsets kept
    out = []
    pos = 0
    for a, b in sorted(spans):
        if a < pos:
            a = pos
        if b <= a:
            continue
        out.append(escape(text[pos:a]))
        out.append(MATCH_ON + escape(text[a:b]) + MATCH_OFF)
        pos = b
    out.append(escape(text[pos:]))
    return "".join(out)


def plain_lines(
    rows: list[dict[str, Any]], keys: list[str], spans: list[dict[str, list[list[int]]]], *, color: bool
) -> str:
    """Hits as plain tab-separated lines (as ``output.render`` "plain"); with ``color``, the
    spans of each row (``spans[i]["snippet"]``, ``spans[i]["text"]``) in rg's match colour."""
    from beibei_cli.output import cell

    lines = []
    for row, marks in zip(rows, spans, strict=True):
        cells = []
        for k in keys:
            value = row.get(k)
            if color and marks.get(k) and isinstance(value, str):
                cells.append(colour_spans(value, marks[k], cell))
            else:
                cells.append(cell(value))
        lines.append("\t".join(cells) + "\n")
    return "".join(lines)
