"""Text normalisation shared by the index and the query.

Each character is normalised on its own (NFKC, case folding, traditional to
simplified), so a normalised text maps back, character by character, to the
original: that is how match offsets point into the text a user sees.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Literal

    Form = Literal["NFC", "NFD", "NFKC", "NFKD"]


def norm_char(ch: str, t2s: dict[str, str]) -> str:
    import unicodedata

    return _norm_char(ch, t2s, unicodedata.normalize)


def _norm_char(ch: str, t2s: dict[str, str], nfkc: Callable[[Form, str], str]) -> str:
    folded = ch.lower() if ch.isascii() else nfkc("NFKC", ch).casefold()  # ASCII: NFKC keeps it, casefold is lower
    if len(folded) == 1:
        return t2s.get(folded, folded)
    return "".join(t2s.get(c, c) for c in folded)


class _Folded(dict[str, str]):
    """Each character's normalised form under one traditional->simplified table,
    worked out once per character: a text is then mapped at C speed."""

    def __init__(self, t2s: dict[str, str]) -> None:
        super().__init__()
        import unicodedata

        self.t2s, self.nfkc = t2s, unicodedata.normalize

    def __missing__(self, ch: str) -> str:
        folded = _norm_char(ch, self.t2s, self.nfkc)
        self[ch] = folded
        return folded


_FOLDED: list[_Folded] = []  # the table of the last t2s used (one report per process, as a rule)


def normalize(text: str, t2s: dict[str, str]) -> tuple[str, list[int] | None]:
    """The normalised text and, if lengths differ, each position's original index."""
    if text.isascii():  # a Latin (pinyin) query: no need to import unicodedata
        return "".join([t2s.get(c, c) for c in text.lower()]), None
    if not _FOLDED or _FOLDED[0].t2s is not t2s:
        _FOLDED[:] = [_Folded(t2s)]
    parts = list(map(_FOLDED[0].__getitem__, text))
    out = "".join(parts)
    # every part is one character when none is empty and the lengths add up
    if len(out) == len(text) and "" not in parts:
        return out, None
    mapping: list[int] = []
    for i, part in enumerate(parts):
        mapping.extend([i] * len(part))
    return out, mapping


def normalize_query(text: str, t2s: dict[str, str]) -> str:
    return normalize(text, t2s)[0]


def is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003134f"


# -- where a snippet may be cut ----------------------------------------------------

_SEPARATORS = frozenset(".,:'’-+/")  # inside a figure (93.9, 1,000, 1+4+9+N) or a word (eco-industrial, Sitaibao's)
_AFTER_DIGIT = frozenset("%％‰年月日号亿万千百余倍个户元届次")  # a figure's unit or a date's part: 75%, 2022年, 93.9亿
_BEFORE_DIGIT = frozenset("年月")  # 2022年12月27日 is one date


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def joined(text: str, p: int) -> bool:
    """Whether a cut between ``text[p - 1]`` and ``text[p]`` would split a figure (75%, 93.9亿),
    a date (2022年12月) or a Latin word."""
    if p <= 0 or p >= len(text):
        return False
    a, b = text[p - 1], text[p]
    if _alnum(a) and _alnum(b):
        return True
    if b in _SEPARATORS and _alnum(a) and p + 1 < len(text) and _alnum(text[p + 1]):
        return True
    if a in _SEPARATORS and _alnum(b) and p >= 2 and _alnum(text[p - 2]):
        return True
    if a.isascii() and a.isdigit() and b in _AFTER_DIGIT:
        return True
    if a in _AFTER_DIGIT and p >= 2 and text[p - 2] in "亿万" and b == "元":  # 93.9亿|元
        return True
    return a in _BEFORE_DIGIT and b.isascii() and b.isdigit() and p >= 2 and text[p - 2].isdigit()


def whole_units(text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """``start``, ``end`` moved outwards (no further than ``lo``, ``hi``) until neither cuts a
    figure, a date or a Latin word: a snippet shows 75% or nothing of it, never 7."""
    hi = len(text) if hi is None else hi
    limit = 40  # no unit is longer; a run of figures with no break stops here
    while start > lo and joined(text, start) and limit:
        start -= 1
        limit -= 1
    limit = 40
    while end < hi and joined(text, end) and limit:
        end += 1
        limit -= 1
    return start, end
