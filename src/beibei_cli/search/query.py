"""Answering a query from the index: matching, BM25 ranking, snippets.

Only the standard library is used here (the index holds the pinyin and the
traditional->simplified table), so a query costs the same whatever script it
is typed in.
"""

from __future__ import annotations

import marshal
import math

from beibei_cli.errors import UsageError
from beibei_cli.models import KIND_ORDER
from beibei_cli.search import english
from beibei_cli.search.fallback import (
    EXACT,
    FUZZY,
    PARTIAL,
    PARTS,
    TIERS,
    Note,
    fuzzy_initials_pattern,
    fuzzy_pattern,
    fuzzy_spans,
    needed,
    split_term,
)
from beibei_cli.search.normalize import is_han, normalize_query, whole_units

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    Span = tuple[int, int]

TITLE_WEIGHT = 3.0
UNNAMED = frozenset({"goal", "plan", "paragraph", "caption"})  # their "title" is a sentence, not a name
BROADER_WEIGHT = 0.9  # a second Chinese reading of an English word (see _readings)
PINYIN_WEIGHT = 0.4  # a pinyin match counts less than the characters themselves
FUZZY_WEIGHT = 0.3  # a fuzzy pinyin match counts less again
K1 = 1.2
B = 0.75


class Index:
    def __init__(self, blob: bytes) -> None:
        raw = marshal.loads(blob)
        self.t2s: dict[str, str] = raw["t2s"]
        self.docs: list[tuple[Any, ...]] = raw["docs"]
        self._pinyin_blob: bytes = raw["pinyin"]
        self._pinyin_table: tuple[str, str, list[int], list[int], bytes] | None = None
        # every row, when a caller sets them; else each is rebuilt from the table when looked at
        self._pinyin: list[tuple[str, CharOf, str]] | None = None
        self._rows: dict[int, tuple[str, CharOf, str]] = {}
        self._vocab_list: list[str] = raw.get("vocab") or []
        self._vocab: set[str] | None = None
        # the words of the report's region (北碚, 北碚区, 重庆…): every record is about them
        self.subject: frozenset[str] = frozenset(raw.get("subject") or ())
        self.longest_word = 0
        # English phrase key -> the report's Chinese for it (search.english); regional word -> mainland word
        self.english: dict[str, list[str]] = raw.get("english") or {}
        self.variants: dict[str, str] = raw.get("variants") or {}
        self._titles: str | None = None
        self.syllables: frozenset[str] = frozenset(raw.get("syllables") or ())
        # vocabulary -> name -> its readings (pinyin, initials): sections, record kinds, entity types
        self.names: dict[str, dict[str, list[list[str]]]] = raw.get("names") or {}
        # built on first use, for the docs (and pinyin rows) they were built from
        self._corpora: dict[str, tuple[list[Any], str, Sequence[int]]] = {}

    def _corpus(self, name: str) -> tuple[str, Sequence[int]]:
        """Every record's normalised text (or pinyin, or initials) joined by NULs,
        and where each record starts: one C-speed scan finds the records to look at."""
        if name != "text" and self._pinyin is None:
            table = self._table()  # stored joined
            return (table[0], table[2]) if name == "pinyin" else (table[1], table[3])
        source: list[Any] = self.docs if name == "text" else self._pinyin or []
        cached = self._corpora.get(name)
        if cached is not None and cached[0] is source:
            return cached[1], cached[2]
        texts = [d[6] for d in source] if name == "text" else [row[0 if name == "pinyin" else 2] for row in source]
        starts = []
        at = 0
        for text in texts:
            starts.append(at)
            at += len(text) + 1
        self._corpora[name] = (source, "\x00".join(texts), starts)
        return self._corpora[name][1], self._corpora[name][2]

    def holding(self, needle: str, name: str = "text") -> set[int]:
        """The records whose normalised text (pinyin, initials) contains ``needle``."""
        if "\x00" in needle or not needle:
            return set(range(len(self.docs)))
        from bisect import bisect_right

        text, starts = self._corpus(name)
        out: set[int] = set()
        at = text.find(needle)
        while at >= 0:
            k = bisect_right(starts, at) - 1
            out.add(k)
            at = text.find(needle, starts[k + 1]) if k + 1 < len(starts) else -1
        return out

    def matching(self, pattern: Any, name: str) -> set[int]:
        """The records whose pinyin (or initials) a regular expression of letters matches."""
        from bisect import bisect_right

        text, starts = self._corpus(name)
        return {bisect_right(starts, m.start()) - 1 for m in pattern.finditer(text)}

    @property
    def titles(self) -> str:
        """Every record's title (or name), normalised, joined by NULs: the report's words for things."""
        if self._titles is None:
            self._titles = "\x00".join(d[6][: d[5]] for d in self.docs if d[5])
        return self._titles

    @property
    def vocab(self) -> set[str]:
        """The report's own words (names, aliases, titles), normalised."""
        if self._vocab is None:
            self._vocab = set(self._vocab_list)
            self.longest_word = max(map(len, self._vocab), default=0)
        return self._vocab

    def _table(self) -> tuple[str, str, list[int], list[int], bytes]:
        """The stored pinyin (see ``build.pinyin_table``)."""
        if self._pinyin_table is None:
            self._pinyin_table = marshal.loads(self._pinyin_blob)
        return self._pinyin_table

    def pinyin(self, i: int) -> tuple[str, CharOf, str]:
        """Record i's (full pinyin, each pinyin letter's character, initials)."""
        if self._pinyin is not None:
            return self._pinyin[i]
        row = self._rows.get(i)
        if row is None:
            full, initials, full_starts, initial_starts, sizes = self._table()
            start, end = initial_starts[i], len(initials) if i + 1 == len(initial_starts) else initial_starts[i + 1] - 1
            char_of = CharOf(sizes[start - i : end - i])
            full_start = full_starts[i]
            row = (full[full_start : full_start + len(char_of)], char_of, initials[start:end])
            self._rows[i] = row
        return row


class CharOf:
    """Which character each letter of a record's pinyin comes from (``char_of[p]``),
    found from the letters each character gave: a search looks at a few positions
    of the records it matched, so the full map is never built."""

    __slots__ = ("_ends",)

    def __init__(self, counts: bytes) -> None:
        from itertools import accumulate

        self._ends = list(accumulate(counts))  # where each character's letters end

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __getitem__(self, pos: int) -> int:
        from bisect import bisect_right

        size = len(self)
        if pos < 0:
            pos += size
        if not 0 <= pos < size:
            raise IndexError("pinyin position out of range")
        return bisect_right(self._ends, pos)

    def span(self, pos: int, end: int, text: str) -> Span | None:
        """The characters of ``text`` that pinyin letters pos to end spell, if a match
        there counts: it starts at a syllable, does not end inside a run of letters
        that is not a syllable, and covers at least one Chinese character."""
        from bisect import bisect_right

        ends = self._ends
        first = bisect_right(ends, pos)
        if pos != (ends[first - 1] if first else 0):
            return None  # starts inside a syllable
        last = bisect_right(ends, end - 1, first)
        if end < ends[last] and not is_han(text[last]):
            return None  # ends inside a run that is not a syllable
        if any(is_han(ch) for ch in text[first : last + 1]):
            return (first, last + 1)
        return None


# The words of a Chinese question that no passage holds (是多少, 有多少家, 了多少, 吗, ？): typed
# in a word, they split it (北碚有多少家高新技术企业 is 北碚 and 高新技术企业), as English
# questions lose how, much and was. A quoted phrase keeps them.
_QUESTION: Any = None
_QUESTION_WORDS = (
    r"(?:是|有|了|为|达到了|达)?多少(?:家|个|项|人|户|元|亿元|万元|倍|次|年|栋|条|座|所)?|(?:有|是)?多(?:高|大|长|久|远)|"
    r"什么时候|何时|是什么|什么|有哪些|哪些|哪里|哪个|哪儿|几(?:家|个|项|年|次|栋|条|座|所)|是否|吗|呢|如何|怎么样|怎样|"
    r"为什么|为何|？|\?"
)


def question_words(args: list[str]) -> list[str]:
    """The question words ``parse_terms`` set aside in ``args`` (有多少所, 是多少), in order: they
    are in no passage, so a search answers for the other words only, and says so."""
    import re

    out: list[str] = []
    for arg in args:
        for word in re.sub(r'"[^"]*"', " ", arg).split():
            if any(is_han(ch) for ch in word):
                out.extend(m.group() for m in re.finditer(_QUESTION_WORDS, word))
    return out


def _question_free(word: str) -> list[str]:
    """``word`` split at the question words it holds (a word with no Chinese, or nothing but
    question words, as it is)."""
    if not any(is_han(ch) for ch in word):
        return [word]
    global _QUESTION
    if _QUESTION is None:
        import re

        _QUESTION = re.compile(_QUESTION_WORDS)
    # a part left ending in 了 (栽种了什么树) is the verb as the text has it: 栽种
    parts = [p.removesuffix("了") or p for p in _QUESTION.split(word) if p] if _QUESTION.search(word) else [word]
    return parts if parts or _QUESTION.fullmatch(word) else [word]


def parse_terms(args: list[str]) -> list[str]:
    """Split the query words into terms: whitespace separates, "double quotes" group; outside
    quotes the words of a Chinese question (是多少, 有多少家, 吗) separate too."""
    terms: list[str] = []

    def words(text: str) -> list[str]:
        return [part for word in text.split() for part in _question_free(word)]

    for arg in args:
        rest = arg
        while rest:
            start = rest.find('"')
            end = rest.find('"', start + 1) if start >= 0 else -1
            if start < 0 or end < 0:
                terms.extend(words(rest))
                break
            terms.extend(words(rest[:start]))
            phrase = _close_cjk_gaps(rest[start + 1 : end].strip())
            if phrase:
                terms.append(phrase)
            rest = rest[end + 1 :]
    if not terms:  # nothing but question words (多少): they are what was asked
        return [word for arg in args for word in arg.replace('"', " ").split()]
    return terms


def _close_cjk_gaps(text: str) -> str:
    """Drop spaces next to Chinese characters: "老旧 小区" is 老旧小区 (Chinese has no spaces)."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            before = out[-1] if out else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if is_han(before) or is_han(after) or after.isspace():
                continue
        out.append(ch)
    return "".join(out)


def _find_all(haystack: str, needle: str) -> list[int]:
    out = []
    pos = haystack.find(needle)
    while pos >= 0:
        out.append(pos)
        pos = haystack.find(needle, pos + 1)
    return out


_TONE_DIGITS = None


def _latin_key(term: str) -> str | None:
    """The pinyin form of a term typed in Latin letters, else None.

    Tones are dropped, written as marks (zhāoshāng, lǜshuǐ) or as a digit after each
    syllable (zhao1shang1, lv4): the stored pinyin is toneless.
    """
    key = "".join(term.split()).replace("'", "").replace("v", "u").replace("ü", "u")
    if key and not key.isascii():
        import unicodedata

        key = "".join(c for c in unicodedata.normalize("NFD", key) if not unicodedata.combining(c))
    if key and not key.isalpha() and key.isascii() and key.isalnum() and key[0].isalpha():
        global _TONE_DIGITS
        if _TONE_DIGITS is None:
            import re

            _TONE_DIGITS = re.compile(r"(?:[a-z]+[0-5]?)+")
        if _TONE_DIGITS.fullmatch(key):
            key = "".join(c for c in key if c.isalpha())
    if key and key.isascii() and key.isalpha():
        return key
    return None


def names_by_pinyin(index: Index, typed: str, kind: str) -> list[tuple[str, bool]]:
    """The records of ``kind`` whose name (their title) reads as ``typed`` in pinyin or its
    initials (kejichuangxin, kjcx for 科技创新): (id, whether it reads as the whole name,
    else as the start of it), whole names first. Empty when ``typed`` is not pinyin."""
    key = _latin_key(normalize_query(typed, index.t2s).strip())
    if key is None:
        return []
    whole, start = [], []
    for i, doc in enumerate(index.docs):
        if doc[1] != kind or not doc[5]:
            continue
        full, char_of, initials = index.pinyin(i)
        ends = char_of._ends
        title = full[: ends[doc[5] - 1]].replace("|", ""), initials[: doc[5]].replace("|", "")
        if key in title:
            whole.append((doc[0], True))
        elif any(t.startswith(key) for t in title):
            start.append((doc[0], False))
    return whole + start


def names_read_as(index: Index, typed: str, vocabulary: str) -> list[str]:
    """The names of ``vocabulary`` (``section``, ``kind``, ``entity_type``) that ``typed`` reads as in
    pinyin or its initials (shushuochengxiao or sscx for 数说成效, qiye for 企业): those it reads
    as whole if any, else those it starts, else (four letters or more) those that hold it
    (kejichuangxin in 以科技创新带动转型). Empty when ``typed`` is not pinyin."""
    key = _latin_key(normalize_query(typed, index.t2s).strip())
    if key is None:
        return []
    table = index.names.get(vocabulary) or {}
    tiers: tuple[Any, ...] = (str.__eq__, str.startswith) + ((str.__contains__,) if len(key) >= 4 else ())
    for test in tiers:
        found = [name for name, readings in table.items() if any(test(x, key) for r in readings for x in r)]
        if found:
            return found
    return []


def _exact_spans(norm: str, mapping: list[int] | None, term: str) -> list[Span]:
    """Where ``term`` is in the normalised text; a term that starts with a Latin letter only
    at the start of a word (xp is not in expand, chip is in chips)."""
    spans = []
    latin = term[:1].isascii() and term[:1].isalpha()
    for pos in _find_all(norm, term):
        if latin and pos and norm[pos - 1].isascii() and norm[pos - 1].isalpha():
            continue
        end = pos + len(term)
        if mapping is None:
            spans.append((pos, end))
        else:
            spans.append((mapping[pos], mapping[end - 1] + 1))
    return spans


def _pinyin_spans(text: str, row: tuple[str, CharOf, str], key: str, title_len: int = -1) -> list[Span]:
    """Where ``key`` is the pinyin of the text, or its initials (two initials only in
    the title, ``title_len`` characters, -1 for anywhere: xp is too short to find
    anything but a name)."""
    full, char_of, initials = row
    spans: set[Span] = set()
    for pos in _find_all(full, key):
        span = char_of.span(pos, pos + len(key), text)
        if span is not None:
            spans.add(span)
    if len(key) >= 2:
        for pos in _find_all(initials, key):
            span = (pos, pos + len(key))
            if len(key) == 2 and title_len >= 0 and span[1] > title_len:
                continue
            if any(is_han(ch) for ch in text[span[0] : span[1]]):
                spans.add(span)
    return sorted(spans)


def _norm_slice(doc: tuple[Any, ...], span: Span) -> str:
    """The normalised text of ``span`` (a span of the original text) of a record."""
    mapping = doc[7]
    if mapping is None:
        return str(doc[6][span[0] : span[1]])
    from bisect import bisect_left, bisect_right

    return str(doc[6][bisect_left(mapping, span[0]) : bisect_right(mapping, span[1] - 1)])


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def snippet(text: str, spans: list[Span], context: int, skip: int = 0) -> tuple[str, list[Span]]:
    """The text around the first match (past the first ``skip`` characters, the
    title, when there is a match there), and the match spans inside it."""
    flat = text.replace("\n", " ").replace("\r", " ").replace("\t", " ")
    if not spans:
        end = whole_units(flat, 0, min(len(flat), 2 * context + 1))[1]
        return flat[:end] + ("…" if end < len(flat) else ""), []
    first = next((sp for sp in spans if sp[0] >= skip), spans[0])
    start, end = whole_units(flat, max(0, first[0] - context), min(len(flat), first[1] + context))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    shift = len(prefix) - start
    inner = []
    for s, e in spans:
        if e <= start or s >= end:
            continue
        inner.append((max(s, start) + shift, min(e, end) + shift))
    return prefix + flat[start:end] + suffix, inner


FOUND = "found"
RELATED = "related"
NOT_STATED = "not-stated"
ANSWERS = (FOUND, RELATED, NOT_STATED)


class Result:
    """Ranked hits, and a one-line note on the looser matching done to find them
    (None when every term matched exactly), for a person at a terminal.

    ``answer`` says what kind of answer the hits are: ``found`` when a hit holds every
    term as typed or by an exact reading of it (traditional characters, the pinyin of
    the whole term, a regional variant, an English word's stem or the report's Chinese
    for it), ``related`` when the hits only share parts of the terms (the looser tiers),
    ``not-stated`` when nothing matched.
    """

    __slots__ = ("hits", "note")

    def __init__(self, hits: list[dict[str, Any]], note: str | None = None) -> None:
        self.hits = hits
        self.note = note

    @property
    def answer(self) -> str:
        return answer_of(self.hits)


def answer_of(hits: list[dict[str, Any]]) -> str:
    """found, related or not-stated, from the hits' ``match`` tiers."""
    if not hits:
        return NOT_STATED
    return FOUND if any(h.get("match") == EXACT for h in hits) else RELATED


def search(index: Index, words: list[str], **options: Any) -> list[dict[str, Any]]:
    """Ranked hits for ``words`` (every term must match unless ``any_term``): ``run``'s hits,
    with its keyword options."""
    return run(index, words, **options).hits


def run(
    index: Index,
    words: list[str],
    *,
    kinds: set[str] | None = None,
    any_term: bool = False,
    regex: bool = False,
    context: int = 20,
    pinyin: bool = True,
    exact: bool = False,
) -> Result:
    """Ranked hits for ``words`` and the note on how they were found.

    A term with no exact match is tried in looser tiers (see ``fallback``)
    unless ``exact``; each hit says which tier found it in ``match``.
    """
    if regex:
        return _run(index, [], [], _regex_matchers(words), kinds, any_term, context, pinyin, fallback=False)
    typed = [t for t in parse_terms(words) if normalize_query(t, index.t2s).strip()]
    terms = [normalize_query(t, index.t2s) for t in typed]
    if not terms:
        raise UsageError("the search query is empty; give a word to search for")
    if not any_term and len(terms) > 1 and any(t not in index.subject for t in terms):
        # the report's subject as a word of its own (北碚 高新技术企业) is implied: every record is about it
        kept = [(ty, t) for ty, t in zip(typed, terms, strict=True) if t not in index.subject]
        typed, terms = [ty for ty, _ in kept], [t for _, t in kept]
    if len(terms) > 1 and all(t.isascii() for t in terms) and any(english.is_english_word(t) for t in terms):
        typed, terms = _english_terms(index, typed, terms)
    if pinyin and not any_term and len(terms) > 1 and all(_latin_key(t) for t in terms):
        # "zhao shang": syllables typed apart are read first as one pinyin word; then
        # come the records holding every term as it is typed (English text), without
        # the noise of matching each syllable on its own by pinyin
        whole = "".join(terms)
        joined = _run(index, [whole], [" ".join(typed)], None, kinds, False, context, True, fallback=False)
        if joined.hits:
            seen = {h["id"] for h in joined.hits}
            literal = _run(index, terms, typed, None, kinds, False, context, False, fallback=False)
            return Result(joined.hits + [h for h in literal.hits if h["id"] not in seen])
        apart = _run(index, terms, typed, None, kinds, False, context, True, fallback=False)
        if apart.hits or exact:
            return apart
        fuzzy = _run(index, [whole], [" ".join(typed)], None, kinds, False, context, True, fallback=True)
        if fuzzy.hits:
            return fuzzy
    return _run(index, terms, typed, None, kinds, any_term, context, pinyin, fallback=not exact)


def _run(
    index: Index,
    terms: list[str],
    typed: list[str],
    matchers: list[Any] | None,
    kinds: set[str] | None,
    any_term: bool,
    context: int,
    pinyin: bool,
    *,
    fallback: bool,
) -> Result:
    docs = [(i, d) for i, d in enumerate(index.docs) if kinds is None or d[1] in kinds]
    if not docs:
        return Result([])
    avg_len = sum(len(d[4]) for _, d in docs) / len(docs) or 1.0
    n_terms = len(matchers) if matchers is not None else len(terms)
    # found[t]: the position in ``docs`` of each record term t matched -> its spans
    found: list[dict[int, list[tuple[Span, float]]]] = [{} for _ in range(n_terms)]
    if matchers is not None:
        for pos, (_, doc) in enumerate(docs):
            for t in range(n_terms):
                spans = [((m.start(), m.end()), 1.0) for m in matchers[t].finditer(doc[4]) if m.end() > m.start()]
                if spans:
                    found[t][pos] = spans
    else:
        pos_of = _positions(index, docs)
        for t, term in enumerate(terms):
            other, stemmed = _readings(index, term)
            held = index.holding(term)
            for reading in other:
                held |= index.holding(reading)
            if stemmed is not None:
                held |= index.holding(english.prefix(stemmed))
            for i in sorted(held):
                pos = pos_of(i)
                if pos is None:
                    continue
                doc = docs[pos][1]
                spans = [(s, 1.0) for s in _exact_spans(doc[6], doc[7], term)]
                for k, reading in enumerate(other):
                    # the first reading is the word itself (民营企业 for private enterprises); a later one
                    # a broader word (民营经济) that ranks below it
                    weight = 1.0 if k == 0 else BROADER_WEIGHT
                    spans += [(s, weight) for s in _exact_spans(doc[6], doc[7], reading)]
                if stemmed is not None:
                    spans += [(s, 1.0) for s in _map(doc[7], english.word_spans(doc[6], stemmed))]
                if spans:
                    found[t][pos] = sorted(set(spans))
            key = _latin_key(term) if pinyin else None
            if key is not None and stemmed is not None and found[t] and not _syllables(index, key):
                key = None  # an English word the report has (chip), not pinyin (xinpian)
            if key is None:
                continue
            held = index.holding(key, "pinyin")
            if len(key) >= 2:
                held |= index.holding(key, "initials")
            for i in sorted(held):
                pos = pos_of(i)
                if pos is None:
                    continue
                doc = docs[pos][1]
                spans = found[t].get(pos, [])
                exact = {s for s, _ in spans}
                titles = index.titles
                more = []
                named = doc[5] if doc[1] not in UNNAMED else 0
                for s in _pinyin_spans(doc[4], index.pinyin(i), key, named):
                    if s not in exact:
                        # a reading that is a word of the report (芯片) counts more than one across two (新篇|章)
                        word = _norm_slice(doc, s) in titles
                        more.append((s, PINYIN_WEIGHT if word else PINYIN_WEIGHT / 2))
                if spans or more:
                    found[t][pos] = spans + more
    tiers = [EXACT] * n_terms
    share: list[dict[int, tuple[int, int]]] = [{} for _ in range(n_terms)]
    parts: list[list[str]] = [[] for _ in range(n_terms)]
    if fallback and matchers is None:
        for t, term in enumerate(terms):
            if not found[t]:
                tiers[t], found[t], share[t], parts[t] = _fallback(index, docs, term, pinyin)
    if any_term:
        keys = sorted(set().union(*found))
    else:
        keys = sorted(set(found[0]).intersection(*found[1:])) if found else []
    total = len(docs)
    hits = []
    for pos in keys:
        i, doc = docs[pos]
        rid, kind, pillar, title, text, title_len = doc[:6]
        per_term = [f.get(pos, []) for f in found]
        score = 0.0
        for t, spans in enumerate(per_term):
            if not spans:
                continue
            df = len(found[t])
            idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
            tf = sum(w * (TITLE_WEIGHT if s[0] < title_len else 1.0) for s, w in spans)
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(text) / avg_len))
        merged = _merge([s for term_spans in per_term for s, _ in term_spans])
        snip, snip_spans = snippet(text, merged, context, skip=title_len)
        # all terms: the loosest tier any of them needed; any term: the strictest that found it
        pick = min if any_term else max
        tier = pick((TIERS.index(tiers[t]) for t, spans in enumerate(per_term) if spans), default=0)
        shared = [share[t].get(pos, (0, 0)) for t in range(n_terms)]
        hits.append(
            {
                "id": rid,
                "kind": kind,
                "pillar": pillar,
                "title": title,
                "snippet": snip,
                "score": round(score, 4),
                "text": text,
                "matches": [list(s) for s in merged],
                "match": TIERS[tier],
                "snippet_matches": [list(s) for s in snip_spans],
                "_order": (
                    tier,
                    _reading_rank(per_term),
                    -sum(n for n, _ in shared),
                    -sum(c for _, c in shared),
                    _title_rank(doc, per_term),
                    KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER),
                    i,
                ),
            }
        )
    # among records whose title holds what was asked, a case (the report's account) comes first
    hits.sort(
        key=lambda h: (*h["_order"][:5], h["_order"][5] if h["_order"][4] == 1 else 0, -h["score"], h["_order"][5:])
    )
    note = None
    if hits and any(t != EXACT for t in tiers):
        pos_of = _positions(index, docs)
        note = _note(index, docs, [(h, pos_of(h["_order"][-1])) for h in hits], found, tiers, parts, typed)
    for h in hits:
        del h["_order"]
    return Result(hits, note)


def _reading_rank(per_term: list[list[tuple[Span, float]]]) -> int:
    """0: every term as typed (or its exact reading); 1: some by the pinyin of a word of the
    report; 2: some only by a pinyin reading across words (新篇|章 for xinpian)."""
    best = [max(w for _, w in spans) for spans in per_term if spans]
    if all(w >= 1.0 for w in best):
        return 0
    return 1 if all(w >= PINYIN_WEIGHT for w in best) else 2


def _title_rank(doc: tuple[Any, ...], per_term: list[list[tuple[Span, float]]]) -> int:
    """0: the record's name is what was asked (缙云山); 1: its title or name holds every
    term; 2: it only mentions them (a paragraph has no title)."""
    title_len = doc[5]
    used = [spans for spans in per_term if spans]
    if not title_len or not used or not all(any(s[1] <= title_len for s, _ in spans) for spans in used):
        return 2
    whole = [s for spans in used for s, _ in spans if s == (0, title_len)]
    return 0 if whole and len(used) == 1 else 1


def _english_terms(index: Index, typed: list[str], terms: list[str]) -> tuple[list[str], list[str]]:
    """An English question's terms: its words grouped into the phrases the report names
    (rural revitalization, private enterprises), stop words (how, much, the) left out."""
    groups = english.group(terms, index.english)
    kept = [(pos, k) for pos, k in groups if k] or groups
    return [" ".join(typed[p] for p in pos) for pos, _ in kept], [" ".join(terms[p] for p in pos) for pos, _ in kept]


def _readings(index: Index, term: str) -> tuple[list[str], str | None]:
    """The other exact readings of a normalised term: the Chinese the report gives an English
    word or phrase, or the mainland word for a regional one (晶片 -> 芯片); and an English
    word's stem (None for anything else)."""
    if term.isascii():
        if not all(english.is_english_word(w) for w in term.split()):
            return [], None
        zh = index.english.get(english.key(term), [])
        return list(zh), (english.stem(term) or None) if " " not in term else None
    if index.variants and not index.holding(term):
        for regional, mainland in index.variants.items():
            if regional in term:
                return [term.replace(regional, mainland)], None
    return [], None


def _syllables(index: Index, key: str) -> bool:
    """Whether ``key`` reads as whole syllables of the report's pinyin (xinpian, not chip)."""
    known = index.syllables
    if not known:
        return True
    ok = [True] + [False] * len(key)
    for end in range(1, len(key) + 1):
        ok[end] = any(ok[start] and key[start:end] in known for start in range(max(0, end - 6), end))
    return ok[-1]


def _map(mapping: list[int] | None, spans: list[Span]) -> list[Span]:
    if mapping is None:
        return spans
    return [(mapping[a], mapping[b - 1] + 1) for a, b in spans]


def _positions(index: Index, docs: list[tuple[int, tuple[Any, ...]]]) -> Any:
    """Record number -> its position among ``docs`` (None when out of scope)."""
    if len(docs) == len(index.docs):
        return lambda i: i
    where = {i: pos for pos, (i, _) in enumerate(docs)}
    return where.get


def _fallback(
    index: Index, docs: list[tuple[int, tuple[Any, ...]]], term: str, pinyin: bool
) -> tuple[str, dict[int, list[tuple[Span, float]]], dict[int, tuple[int, int]], list[str]]:
    """The loosest-but-one tier that finds ``term``: its name, the spans by record,
    how much of the term each record holds (partial only) and the term's parts."""
    key = _latin_key(term) if pinyin else None
    if key is not None:
        return FUZZY, _fuzzy(index, docs, key), {}, []
    vocab = index.vocab
    pieces = split_term(term, vocab, index.longest_word)
    if len(pieces) < 2:
        return EXACT, {}, {}, pieces
    # a part naming the report's subject (北碚招商) is implied: every record is about it
    required = [p for p in pieces if p not in index.subject] or pieces
    # One scan of the joined text for the longest part (likely the rarest); the
    # other parts are looked for only in the records that scan found.
    pos_of = _positions(index, docs)
    scan = sorted(required, key=len, reverse=True)

    def scanned(part: str) -> set[int]:
        return {pos for pos in map(pos_of, index.holding(part)) if pos is not None}

    def has(doc: tuple[Any, ...], part: str) -> bool:
        # a Latin part counts only at the start of a word, as an exact term does (ga is not in "organ")
        return part in doc[6] and (not part[:1].isascii() or bool(_exact_spans(doc[6], None, part)))

    def holds(candidates: set[int]) -> dict[int, list[str]]:
        return {pos: [p for p in required if has(docs[pos][1], p)] for pos in sorted(candidates)}

    first = scanned(scan[0])
    whole = {pos: present for pos, present in holds(first).items() if len(present) == len(required)}
    tier = PARTS if whole else PARTIAL
    if whole and len(required) == 1 and len(required) < len(pieces):
        # the term is the report's subject and one word (北碚森林覆盖率): 全区森林覆盖率 says it as asked
        tier = EXACT
    if not whole and len(required) >= 2:
        # a record holding k of the n parts holds one of any n - k + 1 of them
        k = needed(len(required))
        candidates = first.union(*(scanned(p) for p in scan[1 : len(required) - k + 1]))
        whole = {pos: present for pos, present in holds(candidates).items() if len(present) >= k}
    implied = [p for p in pieces if p not in required]
    chars = set(term)
    spans_by_doc: dict[int, list[tuple[Span, float]]] = {}
    shares: dict[int, tuple[int, int]] = {}
    for pos, present in whole.items():
        doc = docs[pos][1]
        spans_by_doc[pos] = [(s, 1.0) for p in [*present, *implied] for s in _exact_spans(doc[6], doc[7], p)]
        if tier == PARTIAL:
            shares[pos] = (len(present), sum(ch in doc[6] for ch in chars))
    return tier, spans_by_doc, shares, [*required, *(f"({p})" for p in implied)]


def _fuzzy(index: Index, docs: list[tuple[int, tuple[Any, ...]]], key: str) -> dict[int, list[tuple[Span, float]]]:
    import re

    full = fuzzy_pattern(key)
    initials = fuzzy_initials_pattern(key)
    if full is None and initials is None:
        return {}
    full_re = re.compile(full if full is not None else re.escape(key))
    initials_re = re.compile(initials) if initials is not None else None
    held = index.matching(full_re, "pinyin")
    if initials_re is not None:
        held |= index.matching(initials_re, "initials")
    pos_of = _positions(index, docs)
    out: dict[int, list[tuple[Span, float]]] = {}
    for i in sorted(held):
        pos = pos_of(i)
        if pos is None:
            continue
        spans = fuzzy_spans(docs[pos][1][4], index.pinyin(i), full_re, initials_re)
        if spans:
            out[pos] = [(s, FUZZY_WEIGHT) for s in spans]
    return out


def _note(
    index: Index,
    docs: list[tuple[int, tuple[Any, ...]]],
    hits: list[tuple[dict[str, Any], int]],
    found: list[dict[int, list[tuple[Span, float]]]],
    tiers: list[str],
    parts: list[list[str]],
    typed: list[str],
) -> str | None:
    """One line: what was done for each term that had no exact match (in English; ``Note.say`` for Chinese)."""
    clauses: list[tuple[str, str, list[str], str | None]] = []
    for t, tier in enumerate(tiers):
        first = next((pos for _, pos in hits if pos in found[t]), None)
        if tier == EXACT or first is None:
            continue
        example = None
        if tier == FUZZY:
            i, doc = docs[first]
            start, end = found[t][first][0][0]
            reading, char_of, _ = index.pinyin(i)
            ends = char_of._ends  # the letters of characters start..end-1, without a scan of the record
            sound = reading[ends[start - 1] if start else 0 : ends[end - 1]]
            example = f"{doc[4][start:end]} ({sound})"
        clauses.append((typed[t] if t < len(typed) else "", tier, parts[t], example))
    return Note(clauses) if clauses else None


# What RE2 leaves out (it guarantees linear time by having no backtracking), by the
# start of its error message, and the name a user knows the feature by.
RE2_MISSING = (
    ("invalid escape sequence: \\1", "backreferences (\\1 ... \\9)"),
    ("invalid perl operator: (?=", "lookahead (?=...)"),
    ("invalid perl operator: (?!", "negative lookahead (?!...)"),
    ("invalid perl operator: (?<=", "lookbehind (?<=...)"),
    ("invalid perl operator: (?<!", "negative lookbehind (?<!...)"),
    ("invalid perl operator: (?P", "named backreferences (?P=name)"),
    ("invalid perl operator: (?>", "atomic groups (?>...)"),
    ("invalid perl operator: (?#", "comments (?#...)"),
    ("bad repetition operator: ++", "possessive quantifiers (++, *+, ?+)"),
    ("bad repetition operator: *+", "possessive quantifiers (++, *+, ?+)"),
    ("bad repetition operator: ?+", "possessive quantifiers (++, *+, ?+)"),
    ("invalid escape sequence: \\Z", "\\Z (write \\z)"),
    ("invalid escape sequence: \\u", "\\uXXXX escapes (write \\x{XXXX})"),
    ("invalid repetition size", "repetition counts over 1000"),
)


def _regex_matchers(words: list[str]) -> list[Any]:
    """The pattern compiled by RE2 (google-re2): matching takes time linear in the
    text whatever the pattern, so no pattern can hang a search."""
    pattern = " ".join(words)
    if not pattern.strip():
        raise UsageError("the search pattern is empty")
    import re2

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # RE2 would log every bad pattern on stderr
    try:
        return [re2.compile(pattern, options)]
    except re2.error as exc:
        raise UsageError(regex_error(pattern, exc)) from None


def regex_error(pattern: str, exc: Exception) -> str:
    """One line naming what is wrong with ``pattern`` (RE2's own words when it is not a missing feature)."""
    raw = exc.args[0] if exc.args else exc
    reason = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    if reason.startswith("invalid escape sequence: \\") and reason[-1:].isdigit():
        reason = "invalid escape sequence: \\1"
    for prefix, feature in RE2_MISSING:
        if reason.startswith(prefix):
            shown = f"'{pattern}'" if pattern.isprintable() else repr(pattern)
            return f"--regex {shown}: {feature} not supported (RE2 syntax, which keeps every search linear in time)"
    return f"invalid regular expression {pattern!r}: {reason}"
