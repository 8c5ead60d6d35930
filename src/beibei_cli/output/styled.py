"""Styled text and terminal lines without importing Rich.

``SText`` is a plain string with a base style and styled spans, with the
operations of ``rich.text.Text`` the terminal renderings use (append, slice,
pad, stylize, crop) and the same span semantics, so that a line drawn from it
carries the same styles, cut at the same places, as Rich would draw.

A drawn line is a list of segments ``(text, styles)``: ``styles`` is the tuple
of style strings that apply, in the order Rich combines them (later ones win a
colour), ``()`` for none. ``line_text`` turns segments into terminal text:
each styled segment is wrapped in its own SGR code and a reset, as Rich's
console writes it.

Only the style words the renderings use are known (attributes bold, dim,
italic, underline, reverse, strike; the eight standard colours; ``on`` a
background); anything else is a ``ValueError``, so a new style cannot pass
silently. The differential tests in ``tests/test_terminal.py`` hold the
output to Rich's, byte for byte.
"""

from __future__ import annotations

import functools

from beibei_cli.output.linebreak import cell_width

Segment = tuple[str, tuple[str, ...]]
Line = list[Segment]

_ATTRIBUTES = {"bold": 1, "dim": 2, "italic": 3, "underline": 4, "reverse": 7, "strike": 9}
_COLOURS = {"black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7}


@functools.cache
def _parse(style: str) -> tuple[frozenset[int], int | None, int | None]:
    attrs: set[int] = set()
    fg = bg = None
    words = style.split()
    i = 0
    while i < len(words):
        word = words[i]
        if word == "on" and i + 1 < len(words) and words[i + 1] in _COLOURS:
            bg = _COLOURS[words[i + 1]]
            i += 2
            continue
        if word in _ATTRIBUTES:
            attrs.add(_ATTRIBUTES[word])
        elif word in _COLOURS:
            fg = _COLOURS[word]
        else:
            raise ValueError(f"unknown style word {word!r} in {style!r}")
        i += 1
    return frozenset(attrs), fg, bg


@functools.cache
def sgr(styles: tuple[str, ...]) -> str:
    """The SGR parameters of the styles combined ("" for no style): attributes, then colours."""
    attrs: set[int] = set()
    fg = bg = None
    for style in styles:
        a, f, b = _parse(style)
        attrs |= a
        fg = f if f is not None else fg
        bg = b if b is not None else bg
    codes = [str(a) for a in sorted(attrs)]
    if fg is not None:
        codes.append(str(30 + fg))
    if bg is not None:
        codes.append(str(40 + bg))
    return ";".join(codes)


def line_text(line: Line, color: bool) -> str:
    """One drawn line as terminal text (no newline)."""
    if not color:
        return "".join(text for text, _ in line)
    out = []
    for text, styles in line:
        code = sgr(styles) if styles else ""
        out.append(f"\x1b[{code}m{text}\x1b[0m" if code and text else text)
    return "".join(out)


def styled(line: Line, style: str) -> Line:
    """Every segment of ``line`` under ``style`` (Rich's ``Segment.apply_style``)."""
    if not style:
        return line
    return [(text, (style, *styles)) for text, styles in line]


def crop(line: Line, width: int) -> Line:
    """The line cut to ``width`` cells (as Rich's console cuts a line wider than itself)."""
    total = sum(cell_width(text) for text, _ in line)
    if total <= width:
        return line
    out: Line = []
    room = width
    for text, styles in line:
        w = cell_width(text)
        if w <= room:
            out.append((text, styles))
            room -= w
            continue
        cut = ""
        for ch in text:
            if cell_width(cut + ch) > room:
                break
            cut += ch
        cut += " " * (room - cell_width(cut))  # a wide character that does not fit becomes a space
        if cut:
            out.append((cut, styles))
        break
    return out


class SText:
    """A string with a base style and styled spans (``rich.text.Text``'s model)."""

    __slots__ = ("plain", "style", "spans")

    def __init__(self, plain: str = "", style: str = "", spans: list[tuple[int, int, str]] | None = None) -> None:
        self.plain = plain
        self.style = style
        self.spans: list[tuple[int, int, str]] = spans if spans is not None else []

    def __len__(self) -> int:
        return len(self.plain)

    def __repr__(self) -> str:
        return f"SText({self.plain!r}, {self.style!r}, {self.spans!r})"

    @property
    def cell_len(self) -> int:
        return cell_width(self.plain)

    @property
    def natural(self) -> int:
        """The cells it takes on one line."""
        return cell_width(self.plain)

    def copy(self) -> SText:
        return SText(self.plain, self.style, list(self.spans))

    def append(self, text: str | SText, style: str = "") -> SText:
        if not len(text):
            return self
        offset = len(self.plain)
        if isinstance(text, SText):
            if text.style:
                self.spans.append((offset, offset + len(text), text.style))
            self.spans.extend((s + offset, e + offset, st) for s, e, st in text.spans)
            self.plain += text.plain
        else:
            if style:
                self.spans.append((offset, offset + len(text), style))
            self.plain += text
        return self

    def __getitem__(self, key: slice) -> SText:
        start, stop, _ = key.indices(len(self.plain))
        spans = [
            (max(s, start) - start, min(e, stop) - start, st) for s, e, st in self.spans if min(e, stop) > max(s, start)
        ]
        return SText(self.plain[start:stop], self.style, spans)

    def right_crop(self, amount: int = 1) -> None:
        max_offset = len(self.plain) - amount
        self.spans = [
            (s, min(max_offset, e), st) if e > max_offset else (s, e, st) for s, e, st in self.spans if s < max_offset
        ]
        self.plain = self.plain[:max_offset]

    def pad(self, count: int) -> None:
        """``count`` spaces each side (under the base style, not the spans)."""
        if count:
            self.plain = " " * count + self.plain + " " * count
            self.spans = [(s + count, e + count, st) for s, e, st in self.spans]

    def pad_left(self, count: int) -> None:
        if count:
            self.plain = " " * count + self.plain
            self.spans = [(s + count, e + count, st) for s, e, st in self.spans]

    def stylize(self, style: str, start: int = 0, end: int | None = None) -> None:
        if not style:
            return
        length = len(self.plain)
        end = length if end is None else end
        if start >= length or end <= start:
            return
        self.spans.append((start, min(length, end), style))

    def stylize_before(self, style: str) -> None:
        if style and self.plain:
            self.spans.insert(0, (0, len(self.plain), style))

    def truncate(self, width: int, *, overflow: str = "fold", pad: bool = False) -> None:
        """At most ``width`` cells: cut (ended with … under ``overflow="ellipsis"``); padded with
        spaces to ``width`` when ``pad`` (``Text.truncate``)."""
        length = self.cell_len
        if length > width:
            if overflow == "ellipsis":
                self._set_plain(_cells(self.plain, width - 1) + "…")
            else:
                self._set_plain(_cells(self.plain, width))
        if pad and length < width:
            self.plain += " " * (width - length)

    def _set_plain(self, plain: str) -> None:
        """A new plain text; spans past its end are cut back (``Text.plain``'s setter)."""
        old = len(self.plain)
        self.plain = plain
        if len(plain) < old:
            end = len(plain)
            self.spans = [(s, min(e, end), st) for s, e, st in self.spans if s < end]

    def segments(self) -> Line:
        """The text cut at its span boundaries, each piece with the styles over it (``Text.render``)."""
        text = self.plain
        if not self.spans:
            return [(text, ())] if text else []
        events = [(0, False, 0)]
        events += [(s, False, i) for i, (s, _, _) in enumerate(self.spans, 1)]
        events += [(e, True, i) for i, (_, e, _) in enumerate(self.spans, 1)]
        events.append((len(text), True, 0))
        events.sort(key=lambda ev: (ev[0], ev[1]))
        styles = {i: st for i, (_, _, st) in enumerate(self.spans, 1)}
        styles[0] = self.style
        stack: list[int] = []
        out: Line = []
        for (offset, leaving, sid), (next_offset, _, _) in zip(events, events[1:], strict=False):
            if leaving:
                stack.remove(sid)
            else:
                stack.append(sid)
            if next_offset > offset:
                out.append((text[offset:next_offset], tuple(styles[i] for i in sorted(stack) if styles[i])))
        return out

    def line(self, width: int | None = None, justify: str = "default", overflow: str = "fold") -> Line:
        """One unwrapped line as a console draws a Text (``Text.__rich_console__``): justified to
        ``width`` ("left" pads after, "right" before, "default" neither), cut to it, the base style
        over the whole line."""
        text = self.copy()
        if width is not None:
            if justify == "left":
                text.truncate(width, overflow=overflow, pad=True)
            elif justify == "right":
                text._set_plain(text.plain.rstrip())
                text.truncate(width, overflow=overflow)
                text.pad_left(width - text.cell_len)
            text.truncate(width, overflow=overflow)
        joined = SText(text.plain, "", ([(0, len(text.plain), text.style)] if text.style else []) + text.spans)
        return joined.segments()


def _cells(text: str, width: int) -> str:
    """``text`` cut to exactly ``width`` cells (a wide character cut in half becomes a space)."""
    if width <= 0:
        return ""
    cut = crop([(text, ())], width)
    out = cut[0][0] if cut else ""
    return out + " " * (width - cell_width(out))
