"""Looser matching for a term that has no exact match.

Tiers, strictest first (a looser one runs for a term only when the stricter
ones found nothing for it, and its hits rank below theirs):

``parts``
    The term is split into parts (the report's own words first, the longest
    wins; then pairs of characters) and every part is in the same record:
    斯太宝芯片 finds the records with 斯太宝 and 芯片.
``partial``
    A record holds at least half of the parts; ranked by how many it holds
    (then by how many of the term's characters): 招商引资 finds 招商.
``fuzzy-pinyin``
    For a term typed in Latin letters: the fuzzy sounds every Chinese input
    method offers (z/zh, c/ch, s/sh, n/l, an/ang, en/eng, in/ing), matched
    against the pinyin stored in the index: zhaosang and zaoshang find 招商.

Only the standard library is used: no word segmenter (jieba takes 1.8 s to
import) and no pypinyin at query time.
"""

from __future__ import annotations

from beibei_cli.search.normalize import is_han

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from typing import Any

    CharOf = Any  # search.query.CharOf (not imported: query imports this module)

    Span = tuple[int, int]

EXACT = "exact"
PARTS = "parts"
PARTIAL = "partial"
FUZZY = "fuzzy-pinyin"
# Strictest first; a hit's tier is the loosest of the tiers its terms needed.
TIERS = (EXACT, PARTS, FUZZY, PARTIAL)
FUZZY_PAIRS = "z/zh, c/ch, s/sh, n/l, an/ang, en/eng, in/ing"


def split_term(term: str, vocab: set[str], longest: int) -> list[str]:
    """The parts of a normalised term: the report's words (longest first), then the
    rest as runs of Latin letters or digits kept whole, and Han runs cut into pairs
    (ABC -> AB, BC: a part is never a lone character unless the run is one)."""
    parts: list[str] = []
    rest: list[str] = []

    def flush() -> None:
        run = "".join(rest)
        rest.clear()
        for piece in _script_runs(run):
            if not is_han(piece[0]) or len(piece) <= 2:
                parts.append(piece)
                continue
            pairs = [piece[i : i + 2] for i in range(0, len(piece) - 1, 2)]
            if len(piece) % 2:
                pairs.append(piece[-2:])
            parts.extend(pairs)

    i = 0
    n = len(term)
    while i < n:
        inside = i > 0 and _latin_or_digit(term[i - 1]) and _latin_or_digit(term[i])
        for size in range(0 if inside else min(longest, n - i), 1, -1):
            if term[i : i + size] in vocab:
                flush()
                parts.append(term[i : i + size])
                i += size
                break
        else:
            rest.append(term[i])
            i += 1
    flush()
    unique: list[str] = []
    for part in parts:
        if part not in unique:
            unique.append(part)
    return unique


def _latin_or_digit(ch: str) -> bool:
    return (ch.isalnum() or ch in ".%") and not is_han(ch)


def _script_runs(text: str) -> list[str]:
    """Han runs and runs of other letters and digits (a decimal point or % stays
    inside a figure: 93.9, 53.16%); spaces and punctuation separate them."""
    runs: list[str] = []
    cur = ""
    cur_han = False
    for ch in text:
        han = is_han(ch)
        if han or ch.isalnum() or (ch in ".%" and cur and not cur_han):
            if cur and han != cur_han:
                runs.append(cur)
                cur = ""
            cur += ch
            cur_han = han
        elif cur:
            runs.append(cur)
            cur = ""
    if cur:
        runs.append(cur)
    return [r.strip(".") for r in runs if r.strip(".")]


def needed(n_parts: int) -> int:
    """How many parts a partial match must hold: at least half."""
    return (n_parts + 1) // 2


_VOWELS = frozenset("aeiou")
# The longest Latin term tried with fuzzy sounds (about ten syllables); the
# pattern's optional letters backtrack, so their number stays bounded.
MAX_FUZZY = 48


def fuzzy_pattern(key: str) -> str | None:
    """A regular expression matching ``key`` (Latin, lower case, no spaces) and its
    fuzzy variants, or None when it has no sound that has a fuzzy partner.

    Built letter by letter so that it works without knowing where the typed
    syllables start: z, zh -> zh?; n after a, e or i (a final) -> ng? (or an l
    starting the next syllable); n or l starting a syllable -> [nl].
    """
    if len(key) > MAX_FUZZY:
        return None
    out: list[str] = []
    fuzzy = False
    i = 0
    n = len(key)
    while i < n:
        c = key[i]
        prev = key[i - 1] if i else ""
        nxt = key[i + 1] if i + 1 < n else ""
        if c in "zcs":
            out.append(c + "h?")
            i += 2 if nxt == "h" else 1
            fuzzy = True
            continue
        if c == "n" and prev in ("a", "e", "i") and prev:
            if nxt == "g":
                out.append("ng?")
                i += 2
            elif nxt in _VOWELS:
                out.append("(?:ng?|l)")
                i += 1
            else:
                out.append("ng?")
                i += 1
            fuzzy = True
            continue
        if c == "l" or (c == "n" and nxt in _VOWELS):
            out.append("[nl]")
            fuzzy = True
            i += 1
            continue
        out.append(c if c.isalnum() else "\\" + c)
        i += 1
    return "".join(out) if fuzzy else None


def fuzzy_initials_pattern(key: str) -> str | None:
    """Initials typed with n for l or l for n (zh, ch, sh have the initials z, c, s)."""
    if len(key) < 2 or not ({"n", "l"} & set(key)) or _VOWELS & set(key):
        return None
    return "".join("[nl]" if c in "nl" else c for c in key)


def fuzzy_spans(
    text: str, row: tuple[str, CharOf, str], full: re.Pattern[str], initials: re.Pattern[str] | None
) -> list[Span]:
    """Where the fuzzy pattern matches the record's pinyin, as spans of ``text``.

    The same rules as an exact pinyin match: a match starts at a syllable and
    covers at least one Han character.
    """
    reading, char_of, initial_letters = row
    spans: set[Span] = set()
    for m in full.finditer(reading):
        if m.end() > m.start():
            span = char_of.span(m.start(), m.end(), text)
            if span is not None:
                spans.add(span)
    if initials is not None:
        for m in initials.finditer(initial_letters):
            span = (m.start(), m.end())
            if span[1] > span[0] and any(is_han(ch) for ch in text[span[0] : span[1]]):
                spans.add(span)
    return sorted(spans)


def _listing(parts: list[str], word: str, lang: str = "en") -> str:
    if lang != "en":  # 斯太宝和芯片, 甲、乙或丙
        return word.join(parts) if len(parts) <= 2 else "、".join(parts[:-1]) + word + parts[-1]
    if len(parts) <= 2:
        return f" {word} ".join(parts)
    return ", ".join(parts[:-1]) + f" {word} " + parts[-1]


def note_for(term: str, tier: str, parts: list[str], example: str | None = None, lang: str = "en") -> str:
    """What was done for one term, in words (one clause of the note), in English or (``zh``) Chinese.

    ``parts`` lists the parts a record must hold; a part in brackets names the
    report's subject, which every record is taken to hold.
    """
    implied = [p[1:-1] for p in parts if p.startswith("(")]
    parts = [p for p in parts if not p.startswith("(")]
    if lang != "en":
        return _note_zh(term, tier, parts, example, implied)
    about = f" (the whole report is about {'、'.join(implied)})" if implied else ""
    if tier == PARTS:
        return f"no exact match for {term}; showing records that contain {_listing(parts, 'and')}{about}"
    if tier == PARTIAL:
        k = needed(len(parts))
        some = _listing(parts, "or") if k == 1 else f"at least {k} of " + ", ".join(parts)
        return f"no exact match for {term}; showing partial matches, records that contain {some}{about}"
    if tier == FUZZY:
        such = f", such as {example}" if example else ""
        return f"no exact match for {term}; showing fuzzy pinyin matches{such}"
    return ""


def _note_zh(term: str, tier: str, parts: list[str], example: str | None, implied: list[str]) -> str:
    about = f"（整篇报告都关于{'、'.join(implied)}）" if implied else ""
    none = f"没有与“{term}”完全匹配的结果"
    if tier == PARTS:
        return f"{none}；显示含有{_listing(parts, '和', 'zh')}的记录{about}"
    if tier == PARTIAL:
        k = needed(len(parts))
        some = _listing(parts, "或", "zh") if k == 1 else f"{'、'.join(parts)}中至少{k}个"
        return f"{none}；显示部分匹配：含有{some}的记录{about}"
    if tier == FUZZY:
        such = f"，如{example}" if example else ""
        return f"{none}；显示拼音相近的匹配{such}"
    return ""


class Note(str):
    """The note on the looser matching done, in English (as a str), that can be said in Chinese too.

    Each clause is the arguments of ``note_for`` for one term.
    """

    clauses: tuple[tuple[str, str, list[str], str | None], ...]

    def __new__(cls, clauses: list[tuple[str, str, list[str], str | None]]) -> Note:
        note = super().__new__(cls, "; ".join(note_for(*clause) for clause in clauses))
        note.clauses = tuple(clauses)
        return note

    def say(self, lang: str) -> str:
        """The note in the interface language."""
        if lang == "en":
            return str(self)
        return "；".join(note_for(*clause, lang=lang) for clause in self.clauses)
