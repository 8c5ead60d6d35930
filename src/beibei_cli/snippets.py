"""Search snippets in one language.

A hit's ``text`` is its record's fields joined by newlines (the Chinese title,
summary and quote, then the curated English and the note). A snippet is cut
from one of those lines only, in the interface language, so Chinese output
never shows a fragment of the English translation and English output shows
the translation when there is one. Standard library only; used by
``queries.search_hits`` so that the CLI and the Python API give the same
snippets.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Span = tuple[int, int]

# every byte but the ASCII letters: deleting them from a line's UTF-8 leaves its letters
# (the bytes of a multi-byte character are all past ASCII)
_NOT_LETTERS = bytes(b for b in range(256) if not chr(b).isascii() or not chr(b).isalpha())


def _lang_of(line: str) -> str | None:
    """zh for a line with Chinese characters, en for one with Latin letters only, None for neither (2022).

    A Chinese character says about as much as three letters: a line is zh when it
    has Chinese characters and at least a third as many as letters. The counts
    are taken at C speed where they can be and the characters looked at one by
    one only until the line is known to be zh (a character at a time, every line
    of every hit cost a tenth of a search of the 100x report).
    """
    latin = len(line.encode("utf-8", "ignore").translate(None, _NOT_LETTERS))
    if line.isascii():
        return "en" if latin else None
    other = len(line) - len(line.encode("ascii", "ignore"))  # Chinese characters are among these
    if other * 3 < latin:
        return "en"
    from beibei_cli.search.normalize import is_han

    need = max(1, -(-latin // 3))
    han = 0
    for ch in line:
        if is_han(ch):
            han += 1
            if han >= need:
                return "zh"
    return "en" if latin else None


def _segments(text: str) -> list[tuple[int, int, str | None]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), _lang_of(line)))
        pos += len(line) + 1
    return out


def snippet(
    text: str, matches: list[list[int]] | list[Span], lang: str, context: int = 20, title_len: int = 0
) -> tuple[str, list[list[int]]]:
    """The text around the first match in a line of the interface language, and the match spans in it.

    Chinese (``lang`` zh): only lines with Chinese in them. English: the line
    with the match when it is English, else the first English line (the
    curated translation, unhighlighted); a record with no English at all (an
    article paragraph) shows its Chinese, as quotes are shown under ``en``.
    """
    segments = _segments(text)
    wanted = [s for s in segments if s[2] in (lang, None) and s[1] > s[0]]
    if not wanted and lang == "en":
        wanted = [s for s in segments if s[1] > s[0]]
    if not wanted:
        return "", []
    spans = [(int(a), int(b)) for a, b in matches]
    first: tuple[int, int] | None = None
    seg = None
    for prefer_body in (True, False):  # a match past the title first: the title is shown already
        for a, b in spans:
            if prefer_body and a < title_len:
                continue
            seg = next((s for s in wanted if s[0] <= a and b <= s[1]), None)
            if seg is not None:
                first = (a, b)
                break
        if first is not None:
            break
    if first is None or seg is None:
        seg = next((s for s in wanted if s[0] >= title_len and s[2] == lang), None) or wanted[0]
        start, end = seg[0], min(seg[1], seg[0] + (4 if seg[2] == "en" else 2) * context + 1)
    else:
        reach = 2 * context if seg[2] == "en" else context  # English needs more letters to say as much
        start, end = max(seg[0], first[0] - reach), min(seg[1], first[1] + reach)
    if seg[2] == "en":  # whole words: widen to the next space on each side (a little)
        while start > seg[0] and not text[start - 1].isspace() and first is not None and first[0] - start < 2 * context:
            start -= 1
        while end < seg[1] and not text[end].isspace() and end - start < 4 * context + 20:
            end += 1
    from beibei_cli.search.normalize import whole_units

    start, end = whole_units(text, start, end, seg[0], seg[1])  # never …税收占比7… for 75%
    prefix = "…" if start > seg[0] else ""
    suffix = "…" if end < seg[1] else ""
    shift = len(prefix) - start
    inner = [[max(a, start) + shift, min(b, end) + shift] for a, b in spans if a < end and b > start]
    return prefix + text[start:end] + suffix, inner


def localize_snippets(hits: list[dict[str, Any]], lang: str, context: int = 20) -> None:
    """Replace each hit's snippet (and its match spans) by one in the interface language."""
    for hit in hits:
        title = hit.get("title_zh") or hit.get("title") or ""
        text = hit.get("text") or ""
        title_len = len(title) if text.startswith(title) else 0
        hit["snippet"], hit["snippet_matches"] = snippet(text, hit.get("matches") or [], lang, context, title_len)
