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
