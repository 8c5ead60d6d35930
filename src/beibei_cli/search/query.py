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
from beibei_cli.search.normalize import is_han, normalize_query

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Span = tuple[int, int]

TITLE_WEIGHT = 3.0
PINYIN_WEIGHT = 0.4  # a pinyin match counts less than the characters themselves
K1 = 1.2
B = 0.75


class Index:
    def __init__(self, blob: bytes) -> None:
        raw = marshal.loads(blob)
        self.t2s: dict[str, str] = raw["t2s"]
        self.docs: list[tuple[Any, ...]] = raw["docs"]
        self._pinyin_blob: bytes = raw["pinyin"]
        self._pinyin: list[tuple[str, Any, str]] | None = None

    def pinyin(self, i: int) -> tuple[str, Any, str]:
        if self._pinyin is None:
            from array import array

            rows = []
            for full, index_bytes, initials in marshal.loads(self._pinyin_blob):
                index = array("I")
                index.frombytes(index_bytes)
                rows.append((full, index, initials))
            self._pinyin = rows
        return self._pinyin[i]


def parse_terms(args: list[str]) -> list[str]:
    """Split the query words into terms: whitespace separates, "double quotes" group."""
    terms: list[str] = []
    for arg in args:
        rest = arg
        while rest:
            start = rest.find('"')
            end = rest.find('"', start + 1) if start >= 0 else -1
            if start < 0 or end < 0:
                terms.extend(rest.split())
                break
            terms.extend(rest[:start].split())
            phrase = _close_cjk_gaps(rest[start + 1 : end].strip())
            if phrase:
                terms.append(phrase)
            rest = rest[end + 1 :]
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


def _latin_key(term: str) -> str | None:
    """The pinyin form of a term typed in Latin letters, else None."""
    key = "".join(term.split()).replace("'", "").replace("v", "u").replace("ü", "u")
    if key and key.isascii() and key.isalpha():
        return key
    return None


def _exact_spans(norm: str, mapping: list[int] | None, term: str) -> list[Span]:
    spans = []
    for pos in _find_all(norm, term):
        end = pos + len(term)
        if mapping is None:
            spans.append((pos, end))
        else:
            spans.append((mapping[pos], mapping[end - 1] + 1))
    return spans


def _pinyin_spans(text: str, row: tuple[str, Any, str], key: str) -> list[Span]:
    full, index, initials = row
    spans: set[Span] = set()
    n = len(index)
    for pos in _find_all(full, key):
        start_char = index[pos]
        if pos > 0 and index[pos - 1] == start_char:
            continue  # starts inside a syllable
        end = pos + len(key)
        last_char = index[end - 1]
        if end < n and index[end] == last_char and not is_han(text[last_char]):
            continue  # ends inside a run that is not a syllable
        span = (start_char, last_char + 1)
        if any(is_han(ch) for ch in text[span[0] : span[1]]):
            spans.add(span)
    if len(key) >= 2:
        for pos in _find_all(initials, key):
            span = (pos, pos + len(key))
            if any(is_han(ch) for ch in text[span[0] : span[1]]):
                spans.add(span)
    return sorted(spans)


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
        end = min(len(flat), 2 * context + 1)
        return flat[:end] + ("…" if end < len(flat) else ""), []
    first = next((sp for sp in spans if sp[0] >= skip), spans[0])
    start = max(0, first[0] - context)
    end = min(len(flat), first[1] + context)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    shift = len(prefix) - start
    inner = []
    for s, e in spans:
        if e <= start or s >= end:
            continue
        inner.append((max(s, start) + shift, min(e, end) + shift))
    return prefix + flat[start:end] + suffix, inner


def search(
    index: Index,
    words: list[str],
    *,
    kinds: set[str] | None = None,
    any_term: bool = False,
    regex: bool = False,
    context: int = 20,
    pinyin: bool = True,
) -> list[dict[str, Any]]:
    """Ranked hits for ``words`` (every term must match unless ``any_term``)."""
    if regex:
        matchers = _regex_matchers(words)
        terms: list[str] = []
    else:
        terms = [normalize_query(t, index.t2s) for t in parse_terms(words)]
        terms = [t for t in terms if t.strip()]
        if not terms:
            raise UsageError("the search query is empty; give a word to search for")
    if pinyin and not regex and not any_term and len(terms) > 1 and all(_latin_key(t) for t in terms):
        # "zhao shang": syllables typed apart are read first as one pinyin word; then
        # come the records holding every term as it is typed (English text), without
        # the noise of matching each syllable on its own by pinyin
        joined = search(index, ['"' + "".join(terms) + '"'], kinds=kinds, context=context)
        if joined:
            seen = {h["id"] for h in joined}
            literal = search(index, words, kinds=kinds, context=context, pinyin=False)
            return joined + [h for h in literal if h["id"] not in seen]
    docs = [(i, d) for i, d in enumerate(index.docs) if kinds is None or d[1] in kinds]
    if not docs:
        return []
    avg_len = sum(len(d[4]) for _, d in docs) / len(docs) or 1.0
    n_terms = len(matchers) if regex else len(terms)
    found: list[tuple[int, tuple[Any, ...], list[list[tuple[Span, float]]]]] = []
    # A record whose every term matched on the characters themselves (not only by
    # pinyin) ranks above any record that needed pinyin: tier 0 before tier 1.
    df = [0] * n_terms
    for i, doc in docs:
        per_term: list[list[tuple[Span, float]]] = []
        for t in range(n_terms):
            if regex:
                spans = [((m.start(), m.end()), 1.0) for m in matchers[t].finditer(doc[4]) if m.end() > m.start()]
            else:
                term = terms[t]
                spans = [(s, 1.0) for s in _exact_spans(doc[6], doc[7], term)]
                key = _latin_key(term) if pinyin else None
                if key is not None:
                    exact = {s for s, _ in spans}
                    spans += [(s, PINYIN_WEIGHT) for s in _pinyin_spans(doc[4], index.pinyin(i), key) if s not in exact]
            per_term.append(spans)
            if spans:
                df[t] += 1
        hit = any(per_term) if any_term else all(per_term)
        if hit:
            found.append((i, doc, per_term))
    total = len(docs)
    hits = []
    for i, doc, per_term in found:
        rid, kind, pillar, title, text, title_len = doc[:6]
        score = 0.0
        for t, spans in enumerate(per_term):
            if not spans:
                continue
            idf = math.log(1 + (total - df[t] + 0.5) / (df[t] + 0.5))
            tf = sum(w * (TITLE_WEIGHT if s[0] < title_len else 1.0) for s, w in spans)
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(text) / avg_len))
        merged = _merge([s for term_spans in per_term for s, _ in term_spans])
        snip, snip_spans = snippet(text, merged, context, skip=title_len)
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
                "snippet_matches": [list(s) for s in snip_spans],
                "_order": (
                    0 if all(any(w == 1.0 for _, w in spans) for spans in per_term if spans) else 1,
                    KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER),
                    i,
                ),
            }
        )
    hits.sort(key=lambda h: (h["_order"][0], -h["score"], h["_order"][1:]))
    for h in hits:
        del h["_order"]
    return hits


def _regex_matchers(words: list[str]) -> list[Any]:
    import re

    pattern = " ".join(words)
    if not pattern.strip():
        raise UsageError("the search pattern is empty")
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. FutureWarning on "[[": a user's pattern, not our bug
            return [re.compile(pattern, re.IGNORECASE)]
    except re.error as exc:
        raise UsageError(f"invalid regular expression {pattern!r}: {exc}") from None
