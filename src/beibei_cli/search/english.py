"""English query words: stems, and their Chinese through the report's own words.

An English word matches the words of the curated English that share its stem
(companies, company; firms, firm), never a word that merely starts with it
(firm is not firmly). An English word or phrase also stands for the Chinese the
report pairs it with: the bilingual names of its records (``name``/``name_en``,
``title``/``title_en``) and the glossary of key terms (``search.glossary``),
both put in the index when it is built (``table``), so a query needs neither.

Only the standard library: this runs on every English query.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

# words a stem may not be cut to (is, us, ss, news...): they are their own stems
_KEEP = frozenset({"is", "as", "us", "was", "has", "this", "its", "gas", "news", "series", "less", "bus"})
# words so common that a query's phrase may skip them (rural revitalization, the revitalization of ...)
STOPWORDS = frozenset(
    {"a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "by", "with", "at", "from", "how", "what"}
    | {"is", "are", "was", "were", "be", "been", "much", "many", "does", "did", "do", "which", "who", "when"}
    | {"where", "any", "about", "there", "report", "say", "says", "said", "its", "it", "this", "that"}
)


def stem(word: str) -> str:
    """A light stem of a lower-case English word: plurals, -ing, -ed and -'s removed,
    a final -e and -y made alike (company, companies -> compani; enterprise -> enterpris)."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    if len(w) <= 3 or w in _KEEP or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "i"
    elif w.endswith(("sses", "shes", "ches", "xes", "zes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    if w.endswith("y") and len(w) > 3:
        w = w[:-1] + "i"
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "ls":  # planned -> plann -> plan
        w = w[:-1]
    return w


def words(text: str) -> list[str]:
    """The runs of ASCII letters and digits of ``text``, lower case (R&D is r, d; high-speed is high, speed)."""
    out: list[str] = []
    cur: list[str] = []
    for ch in text.lower():
        if ch.isascii() and (ch.isalnum() or ch == "'"):
            cur.append(ch)
        elif cur:
            out.append("".join(cur).strip("'"))
            cur = []
    if cur:
        out.append("".join(cur).strip("'"))
    return [w for w in out if w]


def key(text: str) -> str:
    """The words of an English phrase by stem, stop words left out: how a phrase is looked up."""
    return " ".join(stem(w) for w in words(text) if w not in STOPWORDS)


def is_english_word(term: str) -> bool:
    """A term of ASCII letters (an apostrophe or hyphen inside): a word, not a figure or a code."""
    bare = term.replace("'", "").replace("-", "").replace("’", "")
    return bool(bare) and bare.isascii() and bare.isalpha()


def prefix(stemmed: str) -> str:
    """What every word with this stem starts with (the stem less a final i: compani -> compan)."""
    return stemmed[:-1] if len(stemmed) > 3 and stemmed.endswith("i") else stemmed


def word_spans(norm: str, stemmed: str) -> list[tuple[int, int]]:
    """Where whole words with stem ``stemmed`` are in the normalised (lower-case) text."""
    head = prefix(stemmed)
    if not head:  # 's, a bare apostrophe: no word
        return []
    spans = []
    at = norm.find(head)
    while at >= 0:
        if at == 0 or not _letter(norm[at - 1]):
            end = at + len(head)
            while end < len(norm) and (
                _letter(norm[end]) or (norm[end] == "'" and end + 1 < len(norm) and norm[end + 1] == "s")
            ):
                end += 1
            if stem(norm[at:end]) == stemmed:
                spans.append((at, end))
        at = norm.find(head, at + 1)
    return spans


def _letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def table(pairs: Iterable[tuple[str, str]], glossary: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """English phrase key -> the Chinese it stands for, from (English, Chinese) pairs of the
    report's records and the glossary's entries (``en``: English forms, ``zh``: Chinese)."""
    out: dict[str, list[str]] = {}

    def add(english: str, chinese: str) -> None:
        k = key(english)
        if k and chinese and chinese not in out.setdefault(k, []):
            out[k].append(chinese)

    for english, chinese in pairs:
        add(english, chinese)
    for entry in glossary:
        for english in entry["en"]:
            for chinese in entry["zh"]:
                add(english, chinese)
    return out


def group(terms: list[str], phrases: dict[str, list[str]], longest: int = 6) -> list[tuple[list[int], str]]:
    """The query's English words grouped into the longest runs the table knows (a run's
    stop words inside it included): (positions of the words, the run's key), in order.
    A word in no known run is a group of its own, its key its stem ('' for a stop word)."""
    out: list[tuple[list[int], str]] = []
    i = 0
    n = len(terms)
    while i < n:
        for size in range(min(longest, n - i), 1, -1):
            k = key(" ".join(terms[i : i + size]))
            if k and k in phrases and terms[i].lower() not in STOPWORDS:
                out.append((list(range(i, i + size)), k))
                i += size
                break
        else:
            word = terms[i].lower()
            out.append(([i], "" if word in STOPWORDS else stem(word)))
            i += 1
    return out
