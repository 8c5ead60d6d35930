"""Line breaking for Chinese text with the usual typesetting rules.

Pure standard library (measured: importing this module costs well under a
millisecond; a phrase segmenter such as budoux costs more and still splits
1896户 as 189 / 6户, so numbers need their own rule either way). The rules:

- no line starts with closing punctuation (，。、；：？！”’）》】 …);
- no line ends with opening punctuation (“‘（《【 …);
- a number is never split from its unit, nor a date from its parts
  (1896户, 2022年6月, 93.9亿元, 10余倍, 5.09%);
- Latin words and other runs without spaces (ids, 1+4+9+N) are not split,
  nor short bracketed or quoted groups (（推断）, “生命线”), unless one is
  wider than the whole line, when it is folded.

``atoms(text)`` cuts a line into the pieces a break may fall between;
``wrap(text, width)`` returns the (start, end) offsets of each wrapped line,
so that a caller can cut a styled text at the same places.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# may not start a line
CLOSING = set("，。、；：？！”’）》】」』〉〕〗｝］…‥—～·・％‰,.;:?!)]}%")
# may not end a line
OPENING = set("“‘（《【「『〈〔〖｛［([{")
# what may follow a number as its unit (one or more of these, optionally after 余/多)
UNIT_CHARS = set(
    "年月日号时分秒度户个家栋倍亿万千百元米亩人次项所条座件名位种批层台辆套岁期届周天张份处只株棵场篇级里吨克平方公顷"
)
# brackets and quotes whose content, when at most SHORT_GROUP characters, is kept on one line
PAIRS = {"（": "）", "(": ")", "【": "】", "《": "》", "“": "”", "‘": "’", "「": "」", "『": "』"}
SHORT_GROUP = 4
_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_SPACE = re.compile(r"\s+")


class _Widths(dict[str, int]):
    """Each character's terminal cells, worked out once per character."""

    def __missing__(self, ch: str) -> int:
        if unicodedata.combining(ch):
            width = 0
        else:
            width = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        self[ch] = width
        return width


_WIDTHS = _Widths()


def _char_width(ch: str) -> int:
    return _WIDTHS[ch]


def cell_width(text: str) -> int:
    """Terminal cells: 2 for wide (East Asian) characters, 0 for combining marks, else 1."""
    if text.isascii():
        return len(text)
    return sum(map(_WIDTHS.__getitem__, text))  # C-speed lookups; a miss calls __missing__


def _is_wordish(ch: str) -> bool:
    """Characters that join into one unbreakable run (Latin words, numbers, ids, 1+4+9+N)."""
    return ch.isascii() and not ch.isspace() and ch not in "([{" and ch not in ")]},.;:?!%"


def _number_end(text: str, pos: int) -> int:
    """The end of the number-with-unit (and any following number-with-unit) starting at ``pos``."""
    end = pos
    while True:
        m = _NUMBER.match(text, end)
        if not m:
            return end
        end = m.end()
        if end < len(text) and text[end] in "%％‰":
            end += 1
        if end < len(text) and text[end] in "余多" and end + 1 < len(text) and text[end + 1] in UNIT_CHARS:
            end += 1
        unit_start = end
        while end < len(text) and text[end] in UNIT_CHARS and end - unit_start < 3:
            end += 1
        if end == unit_start or not _NUMBER.match(text, end):
            # a run of Latin letters right after the number belongs to it too (5G, 3D)
            while end < len(text) and _is_wordish(text[end]):
                end += 1
            return end


@functools.lru_cache(maxsize=4096)
def atoms(text: str) -> tuple[tuple[int, int], ...]:
    """The unbreakable pieces of a single line, as (start, end) offsets; spaces are pieces of their own.

    Cached: a table measures and draws the same texts several times."""
    pieces: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            m = _SPACE.match(text, i)
            assert m is not None
            pieces.append((i, m.end()))
            i = m.end()
            continue
        close = PAIRS.get(ch)
        k = text.find(close, i + 1, i + SHORT_GROUP + 2) if close else -1
        if k > i + 1 and not any(c.isspace() for c in text[i:k]):
            j = k + 1  # a short bracketed or quoted group stays whole: （推断）, “生命线”
        elif _NUMBER.match(text, i):
            j = _number_end(text, i)
        elif _is_wordish(ch):
            j = i + 1
            while j < n and _is_wordish(text[j]):
                j += 1
        else:
            j = i + 1
        pieces.append((i, j))
        i = j
    # glue: closing punctuation to what precedes it, opening punctuation to what follows it
    glued: list[tuple[int, int]] = []
    pending_open: int | None = None
    for start, end in pieces:
        piece = text[start:end]
        if pending_open is not None:
            start = pending_open
            pending_open = None
        if piece[0] in CLOSING and glued:
            if text[glued[-1][0] : glued[-1][1]].isspace() and len(glued) > 1:
                glued.pop()  # "word — dash": the space and the dash go with the word
            if not text[glued[-1][0] : glued[-1][1]].isspace():
                glued[-1] = (glued[-1][0], end)
                continue
        if text[end - 1] in OPENING and not piece.isspace():
            pending_open = start
            continue
        glued.append((start, end))
    if pending_open is not None:
        glued.append((pending_open, n))
    return tuple(glued)


def _bad_cut(text: str, k: int) -> bool:
    """Whether a forced break before ``text[k]`` would break a rule (or split a number from its unit)."""
    before, after = text[k - 1], text[k]
    if after in CLOSING or before in OPENING:
        return True
    numeric = before.isdigit() or before in ".．"
    if numeric and (after.isdigit() or after in UNIT_CHARS or after in ".．余多%％‰"):
        return True
    if after in UNIT_CHARS:  # inside a unit that follows a number: 93.9亿|元
        j = k - 1
        while j > 0 and (text[j] in UNIT_CHARS or text[j] in "余多") and k - j <= 4:
            j -= 1
        return text[j].isdigit() and j < k - 1
    return False


def _fold(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Cut one over-wide piece into lines of at most ``width`` cells, never before closing punctuation."""
    out = []
    line_start = start
    used = 0
    i = start
    while i < end:
        w = cell_width(text[i])
        if used + w > width and i > line_start:
            cut = i
            while cut > line_start + 1 and _bad_cut(text, cut):
                cut -= 1
            if _bad_cut(text, cut):
                cut = i
            out.append((line_start, cut))
            line_start = cut
            used = cell_width(text[cut:i])
            if used + w > width and i > line_start:  # the cut moved back too far to fit: the width wins
                out.append((line_start, i))
                line_start, used = i, 0
        used += w
        i += 1
    out.append((line_start, end))
    return out


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """The lines of ``text`` wrapped to ``width`` cells, as (start, end) offsets into ``text``.

    Hard line breaks are kept; spaces at the edges of a wrapped line are dropped.
    """
    width = max(width, 2)
    lines: list[tuple[int, int]] = []
    offset = 0
    for raw in text.split("\n"):
        lines.extend((offset + s, offset + e) for s, e in _wrap_line(raw, width))
        offset += len(raw) + 1
    return lines


def _wrap_line(text: str, width: int) -> list[tuple[int, int]]:
    if not text:
        return [(0, 0)]
    out: list[tuple[int, int]] = []
    line_start: int | None = None
    line_end = 0
    used = 0  # cells from line_start to line_end
    for start, end, w in _pieces(text):
        if line_start is not None:
            grown = used + cell_width(text[line_end:start]) + w
            if grown <= width:
                line_end, used = end, grown
                continue
            out.append((line_start, line_end))
        if w > width:
            folded = _fold(text, start, end, width)
            out.extend(folded[:-1])
            line_start, line_end = folded[-1]
            used = cell_width(text[line_start:line_end])
        else:
            line_start, line_end, used = start, end, w
    if line_start is not None:
        out.append((line_start, line_end))
    return out or [(0, 0)]


@functools.lru_cache(maxsize=4096)
def line_count(text: str, width: int) -> int:
    """How many lines ``text`` takes at ``width`` (cached: table sizing asks often)."""
    return len(wrap(text, width))


def lines(text: str, width: int) -> list[str]:
    return [text[s:e] for s, e in wrap(text, width)]


@functools.lru_cache(maxsize=4096)
def _pieces(text: str) -> tuple[tuple[int, int, int], ...]:
    """(start, end, cells) of each piece of a single line but its spaces."""
    return tuple((s, e, cell_width(text[s:e])) for s, e in atoms(text) if not text[s:e].isspace())


@functools.lru_cache(maxsize=4096)
def max_width(text: str) -> int:
    """The widest line of ``text`` (its width unwrapped)."""
    return max((cell_width(line) for line in text.split("\n")), default=0)


@functools.lru_cache(maxsize=4096)
def min_width(text: str) -> int:
    """The widest unbreakable piece: narrower than this, a piece must be folded."""
    return max((w for line in text.split("\n") for _, _, w in _pieces(line)), default=0)


def line_problems(line: str) -> list[str]:
    """What a wrapped line does against the rules (used by the tests)."""
    problems = []
    stripped = line.strip()
    if stripped and stripped[0] in CLOSING - set(",.;:?!)]}%"):
        problems.append(f"starts with closing punctuation: {line!r}")
    if stripped and stripped[-1] in OPENING - set("([{"):
        problems.append(f"ends with opening punctuation: {line!r}")
    return problems
