"""Characters a report may not contain, and how output shows them if it gets them.

A report file is data that other people may have written. Control characters,
bidirectional overrides and invisible format characters in it could drive the
user's terminal (clear the screen, retitle the window, write the clipboard) or
reorder what the user sees (the "Trojan Source" trick). The loader refuses them
(``Masked`` for the report file, ``source_problems`` for the article), and
the output layer shows any that reach it anyway visibly (``visible``).

The refused set, and why, is listed in docs/text-safety.md; keep both in step.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from beibei_cli.yamlload import Loaded, Path

    Problem = dict[str, Any]

# (first, last) code points refused in every string of a report and in the source text.
# Tab and newline are allowed; a carriage return only as part of a file's line breaks.
REFUSED_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x0008),  # C0 controls before tab
    (0x000B, 0x001F),  # C0 controls after newline (carriage return and escape included)
    (0x007F, 0x009F),  # DEL and the C1 controls (U+009B is a one-byte CSI)
    (0x00AD, 0x00AD),  # soft hyphen: invisible
    (0x061C, 0x061C),  # Arabic letter mark: a bidi mark
    (0x180E, 0x180E),  # Mongolian vowel separator: invisible
    (0x200B, 0x200F),  # zero-width space/non-joiner/joiner, left-to-right and right-to-left marks
    (0x2028, 0x202E),  # line and paragraph separators, bidi embeddings and overrides
    (0x2060, 0x206F),  # word joiner, invisible operators, bidi isolates, deprecated format characters
    (0xD800, 0xDFFF),  # lone surrogates (only a YAML escape can make one)
    (0xFEFF, 0xFEFF),  # zero-width no-break space (a byte order mark inside the text)
    (0xFFF9, 0xFFFB),  # interlinear annotation controls
    (0xE0000, 0xE007F),  # tag characters: invisible copies of ASCII
)


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    def esc(cp: int) -> str:
        return f"\\x{cp:02x}" if cp <= 0xFF else f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"

    return "[" + "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in ranges) + "]"


UNSAFE_CLASS = _char_class(REFUSED_RANGES)
UNSAFE_RE = re.compile(UNSAFE_CLASS)
_STAND_IN = "[\U00100000-\U0010fffd]"  # Masked's stand-ins: private-use plane 16 (compiled on first use)
# What ``visible_keeping_sgr`` lets through: colour and style sequences (ESC [ ... m),
# which cannot move the cursor, set a title or touch the clipboard.
_SGR_OR_UNSAFE: re.Pattern[str] | None = None  # compiled when first needed (a refused character met)

MAX_REPORTED = 1000  # problems of this kind listed per file; then one line with the count of the rest

_C0 = (
    "NULL|START OF HEADING|START OF TEXT|END OF TEXT|END OF TRANSMISSION|ENQUIRY|ACKNOWLEDGE|BELL|BACKSPACE|"
    "CHARACTER TABULATION|LINE FEED|LINE TABULATION|FORM FEED|CARRIAGE RETURN|SHIFT OUT|SHIFT IN|"
    "DATA LINK ESCAPE|DEVICE CONTROL ONE|DEVICE CONTROL TWO|DEVICE CONTROL THREE|DEVICE CONTROL FOUR|"
    "NEGATIVE ACKNOWLEDGE|SYNCHRONOUS IDLE|END OF TRANSMISSION BLOCK|CANCEL|END OF MEDIUM|SUBSTITUTE|ESCAPE|"
    "FILE SEPARATOR|GROUP SEPARATOR|RECORD SEPARATOR|UNIT SEPARATOR"
).split("|")
_C1 = (
    "PADDING CHARACTER|HIGH OCTET PRESET|BREAK PERMITTED HERE|NO BREAK HERE|INDEX|NEXT LINE|"
    "START OF SELECTED AREA|END OF SELECTED AREA|CHARACTER TABULATION SET|"
    "CHARACTER TABULATION WITH JUSTIFICATION|LINE TABULATION SET|PARTIAL LINE FORWARD|PARTIAL LINE BACKWARD|"
    "REVERSE LINE FEED|SINGLE SHIFT TWO|SINGLE SHIFT THREE|DEVICE CONTROL STRING|PRIVATE USE ONE|"
    "PRIVATE USE TWO|SET TRANSMIT STATE|CANCEL CHARACTER|MESSAGE WAITING|START OF GUARDED AREA|"
    "END OF GUARDED AREA|START OF STRING|SINGLE GRAPHIC CHARACTER INTRODUCER|SINGLE CHARACTER INTRODUCER|"
    "CONTROL SEQUENCE INTRODUCER|STRING TERMINATOR|OPERATING SYSTEM COMMAND|PRIVACY MESSAGE|"
    "APPLICATION PROGRAM COMMAND"
).split("|")


def is_refused(ch: str) -> bool:
    return UNSAFE_RE.match(ch) is not None


def describe(ch: str) -> str:
    """``U+001B (ESCAPE)``: the code point and its name."""
    cp = ord(ch)
    if cp < 0x20:
        name = _C0[cp]
    elif cp == 0x7F:
        name = "DELETE"
    elif 0x80 <= cp <= 0x9F:
        name = _C1[cp - 0x80]
    elif 0xD800 <= cp <= 0xDFFF:
        name = "SURROGATE"
    else:
        import unicodedata

        name = unicodedata.name(ch, "UNASSIGNED FORMAT CHARACTER")
    return f"U+{cp:04X} ({name})"


# -- output: show, never emit ------------------------------------------------


def escape_char(ch: str) -> str:
    """``\\x1b``, ``\\u202e``, ``\\U000e0041``: a refused character written so it can be seen."""
    cp = ord(ch)
    if cp <= 0xFF:
        return f"\\x{cp:02x}"
    if cp <= 0xFFFF:
        return f"\\u{cp:04x}"
    return f"\\U{cp:08x}"


def visible(text: str) -> str:
    """``text`` with every refused character replaced by its visible escape."""
    if UNSAFE_RE.search(text) is None:
        return text
    return UNSAFE_RE.sub(lambda m: escape_char(m.group()), text)


def visible_keeping_sgr(text: str) -> str:
    """As ``visible``, but colour sequences (``ESC [ … m``) the renderer wrote stay whole."""
    global _SGR_OR_UNSAFE
    if UNSAFE_RE.search(text) is None:
        return text
    if _SGR_OR_UNSAFE is None:
        _SGR_OR_UNSAFE = re.compile(r"(\x1b\[[0-9;:]{0,64}m)|" + UNSAFE_CLASS)
    return _SGR_OR_UNSAFE.sub(lambda m: m.group(1) or escape_char(m.group()), text)


def json_escape(text: str) -> str:
    """Raw refused characters in JSON text as ``\\uXXXX`` escapes (surrogate pairs above U+FFFF).

    ``json.dumps(ensure_ascii=False)`` already escapes C0 but leaves DEL, C1 and the
    format characters raw; they can only occur inside strings, where the escape is valid.
    """
    if UNSAFE_RE.search(text) is None:
        return text

    def esc(m: re.Match[str]) -> str:
        cp = ord(m.group())
        if cp <= 0xFFFF:
            return f"\\u{cp:04x}"
        cp -= 0x10000
        return f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}"

    return UNSAFE_RE.sub(esc, text)


# -- input: refuse, with every position -------------------------------------


class _Lines:
    """Line and column (1-based) of offsets in a text: the line starts are found once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] | None = None

    def problem(self, offset: int, file: str, path: str) -> Problem:
        import bisect

        if self.starts is None:
            self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self.starts, offset)
        col = offset - self.starts[line - 1] + 1
        return {
            "file": file,
            "line": line,
            "col": col,
            "path": path,
            "message": f"contains {describe(self.text[offset])}",
        }


def _raw_hits(text: str, limit: int) -> tuple[list[int], int]:
    """The first ``limit`` offsets of refused characters in a file's text, and how many there are.

    A carriage return that ends a line is a line break, not a refused character.
    """
    if UNSAFE_RE.search(text) is None:
        return [], 0
    hits = []
    for m in UNSAFE_RE.finditer(text):
        i = m.start()
        if text[i] == "\r" and text[i + 1 : i + 2] in ("\n", ""):
            continue
        hits.append(i)
        if len(hits) == limit:
            break
    if len(hits) < limit:
        return hits, len(hits)
    line_end_crs = text.count("\r\n") + text.endswith("\r")
    return hits, len(UNSAFE_RE.findall(text)) - line_end_crs


def _more(total: int, file: str) -> list[Problem]:
    """One line counting the problems past ``MAX_REPORTED``, if there are any."""
    if total <= MAX_REPORTED:
        return []
    message = f"{total - MAX_REPORTED} more refused characters"
    return [{"file": file, "line": None, "col": None, "path": "", "message": message}]


def source_problems(text: str, file: str) -> list[Problem]:
    """Every refused character of a plain text file (the article), at its line and column."""
    hits, total = _raw_hits(text, MAX_REPORTED)
    lines = _Lines(text)
    return [lines.problem(i, file, "") for i in hits] + _more(total, file)


class Masked:
    """A YAML text with each raw refused character replaced by a private-use stand-in.

    PyYAML's reader stops at the first raw control character; with stand-ins the
    document still parses, so every refused character is found at its own line
    and column, under the path of the value or key that holds it. ``problems``
    then puts the original characters back, so other messages quote them as written.
    """

    MAX_STAND_INS = 0x10FFFE - 0x100000  # the private-use plane 16; past that the rest stay raw

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.original = text
        self.lines = _Lines(text)
        self.hits: dict[str, int] = {}  # stand-in -> offset in the text
        hits, self.total = _raw_hits(text, self.MAX_STAND_INS)
        self.text = text
        if hits:
            used = set(re.findall(_STAND_IN, text))
            stand_ins = (chr(cp) for cp in range(0x100000, 0x10FFFE) if chr(cp) not in used)
            chars = list(text)
            for i, stand_in in zip(hits, stand_ins, strict=False):
                chars[i] = stand_in
                self.hits[stand_in] = i
            self.text = "".join(chars)
            self._restore = str.maketrans({k: text[i] for k, i in self.hits.items()})

    def unplaced(self) -> list[Problem]:
        """Every raw refused character, by position only (when the text did not parse)."""
        offsets = sorted(self.hits.values())[:MAX_REPORTED]
        return [self.lines.problem(i, self.file, "") for i in offsets] + _more(self.total, self.file)

    def problems(self, loaded: Loaded, path_text: Callable[[Path], str]) -> list[Problem]:
        """Every refused character in the document's keys and values, raw or made by an escape.

        A raw one is placed at its own line and column; one that a YAML escape
        (``"\\e"``, ``"\\u202e"``) made is placed at the start of its value.
        Restores the raw characters in ``loaded`` afterwards.
        """
        if not self.hits and "\\" not in self.original:
            return []  # no raw one, and without a backslash no YAML escape can have made one
        out: list[Problem] = []
        placed: set[int] = set()
        total = 0

        def scan(text: str, path: Path, key: bool) -> None:
            nonlocal total
            found = UNSAFE_RE.findall(text)
            raw = [self.hits[ch] for ch in re.findall(_STAND_IN, text) if ch in self.hits] if self.hits else []
            if not found and not raw:
                return
            placed.update(raw)
            counts = {ch: found.count(ch) for ch in dict.fromkeys(found)}
            total += len(raw) + len(counts)
            if len(out) >= MAX_REPORTED:
                return
            shown = path_text(self.restore(path)) + (" (key)" if key else "")
            out.extend(self.lines.problem(offset, self.file, shown) for offset in raw)
            line, col = loaded.where(path)
            for ch, n in counts.items():
                message = f"contains {describe(ch)}" + (f" ({n} times)" if n > 1 else "")
                out.append({"file": self.file, "line": line, "col": col, "path": shown, "message": message})

        def walk(value: Any, path: Path) -> None:
            if isinstance(value, str):
                scan(value, path, False)
            elif isinstance(value, dict):
                for k, v in value.items():
                    if isinstance(k, str):
                        scan(k, (*path, k), True)
                    walk(v, (*path, str(k)))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    walk(item, (*path, i))

        walk(loaded.value, ())
        # raw characters that no value holds (in comments, say): their position alone
        rest = sorted(set(self.hits.values()) - placed)
        total += len(rest)
        out += [self.lines.problem(i, self.file, "") for i in rest[: max(0, MAX_REPORTED - len(out))]]
        if self.hits:
            loaded.value = self.restore(loaded.value)
            loaded.marks = {self.restore(k): v for k, v in loaded.marks.items()}
        return out[:MAX_REPORTED] + _more(total, self.file)

    def restore(self, value: Any) -> Any:
        """``value`` with the stand-ins replaced by the characters they stand for."""
        if not self.hits:
            return value
        if isinstance(value, str):
            return value.translate(self._restore)
        if isinstance(value, dict):
            return {self.restore(k): self.restore(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self.restore(v) for v in value)
        return value
