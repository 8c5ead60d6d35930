"""Building the search index (at cache-build time).

This is where the expensive text libraries are imported: pypinyin for the
reading of every character of the report (phrase-aware, so 重庆 is chongqing)
and OpenCC's character table for traditional to simplified. Their results are
stored in the index so that a query never imports them.
"""

from __future__ import annotations

import marshal
import os

from beibei_cli.search.normalize import is_han, normalize

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _join(*parts: Any) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, list):
            out.extend(str(p) for p in part if p)
        elif part:
            out.append(str(part))
    return "\n".join(out)


def documents(data: dict[str, Any]) -> list[tuple[str, str, str | None, str, str, int]]:
    """(id, kind, pillar, title, text, title length) for every searchable record."""
    recs = data["records"]
    docs: list[tuple[str, str, str | None, str, str, int]] = []

    def add(rid: str, kind: str, pillar: str | None, title: str, text: str, in_text: bool = True) -> None:
        docs.append((rid, kind, pillar, title, text, len(title) if in_text else 0))

    for r in recs["case"]:
        add(
            r["id"],
            "case",
            r["pillar"],
            r["title"],
            _join(r["title"], r["summary"], r["quote"], r["title_en"], r["summary_en"], r["note"]),
        )
    for r in recs["pillar"]:
        add(
            r["id"],
            "pillar",
            r["id"],
            r["name"],
            _join(
                r["name"],
                r["heading"],
                r["summary"],
                r["quote"],
                r["name_en"],
                r["heading_en"],
                r["summary_en"],
                r["note"],
            ),
        )
    for kind in ("goal", "plan"):
        for r in recs[kind]:
            add(r["id"], kind, r["pillar"], r["text"], _join(r["text"], r["quote"], r["text_en"], r["note"]))
    for r in recs["metric"]:
        title = f"{r['name']} {r['text']}"
        add(r["id"], "metric", r["pillar"], title, _join(title, r["quote"], r["name_en"], r["note"]))
    for r in recs["honour"]:
        add(r["id"], "honour", r["pillar"], r["title"], _join(r["title"], r["quote"], r["title_en"], r["note"]))
    for r in recs["event"]:
        add(
            r["id"],
            "event",
            r["pillar"],
            r["title"],
            _join(r["title"], r["date"]["iso"], r["quote"], r["title_en"], r["note"]),
        )
    for r in recs["entity"]:
        add(r["id"], "entity", None, r["name"], _join(r["name"], r["aliases"], r["quote"], r["name_en"], r["note"]))
    for r in recs["caption"]:
        add(r["id"], "caption", None, r["quote"], _join(r["quote"], r["title_en"], r["note"]))
    pillar_of_section = {s["id"]: s.get("pillar") for s in recs["section"]}
    for p in data["paragraphs"]:
        add(p["id"], "paragraph", pillar_of_section.get(p["section"]), f"¶{p['n']}", p["text"], in_text=False)
    return docs


def t2s_table(chars: set[str] | None) -> dict[str, str]:
    """Traditional -> simplified, for the traditional forms of ``chars`` (None: every one).

    Read from OpenCC's character table (shipped with opencc-python-reimplemented).
    """
    table: dict[str, str] = {}
    for trad, target in _opencc_pairs("TSCharacters.txt"):
        if len(trad) == 1 and len(target) == 1 and trad != target:
            table[trad] = target
    if chars is None:
        return table
    return {t: s for t, s in table.items() if s in chars or t in chars}


def _opencc_pairs(name: str) -> list[tuple[str, str]]:
    """(from, first target) of one of OpenCC's dictionaries."""
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", name)
    pairs = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            source, _, targets = line.rstrip("\n").partition("\t")
            target = targets.split(" ")[0] if targets else ""
            if source and target:
                pairs.append((source, target))
    return pairs


def regional_variants(texts: list[str]) -> dict[str, str]:
    """The words of Taiwan and Hong Kong usage (晶片) -> the mainland word the report uses (芯片),
    from OpenCC's phrase tables, for the mainland words that are in ``texts`` (normalised)."""
    full = t2s_table(None)

    def simplified(text: str) -> str:
        return "".join(full.get(ch, ch) for ch in text)

    joined = "\x00".join(texts)
    out: dict[str, str] = {}
    for name in ("TWPhrasesRev.txt", "TWVariantsRevPhrases.txt", "HKVariantsRevPhrases.txt"):
        for source, target in _opencc_pairs(name):
            left, right = simplified(source), simplified(target)
            if left != right and len(left) >= 2 and right in joined:
                out.setdefault(left, right)
    return out


def english_pairs(data: dict[str, Any], t2s: dict[str, str]) -> list[tuple[str, str]]:
    """(English, Chinese) names of the report's records: an English question names a record as it is called."""
    recs = data["records"]
    pairs = []
    for kind, zh, en in (
        ("entity", "name", "name_en"),
        ("pillar", "name", "name_en"),
        ("metric", "name", "name_en"),
        ("case", "title", "title_en"),
        ("honour", "title", "title_en"),
        ("event", "title", "title_en"),
    ):
        for r in recs.get(kind) or []:
            if r.get(zh) and r.get(en):
                pairs.append((str(r[en]), normalize(str(r[zh]), t2s)[0]))
    return pairs


def readings(text: str) -> list[str]:
    """The toneless pinyin of each character ('' where it has none)."""
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin import Style, pinyin

    split: Any = list  # pypinyin accepts a callable returning a list; its stubs say str
    result = pinyin(text, style=Style.NORMAL, errors=split, strict=False)
    flat = [item[0] if item else "" for item in result]
    if len(flat) != len(text):  # pragma: no cover - pypinyin keeps one item per character here
        flat = [pinyin(ch, style=Style.NORMAL, errors=split)[0][0] for ch in text]
    return flat


def pinyin_row(text: str) -> tuple[str, bytes, str]:
    """(full pinyin string, how many of its letters each character gave, initials string).

    Han characters contribute their syllable (ü written as u) and their initial;
    ASCII letters and digits contribute themselves; anything else a '|', so a
    pinyin match never runs across punctuation.
    """
    full: list[str] = []
    sizes = bytearray()
    initials: list[str] = []
    for ch, syl in zip(text, readings(text), strict=True):
        if is_han(ch) and syl and syl.isascii() and syl.isalpha():
            piece = syl.lower().replace("v", "u").replace("ü", "u")
            initials.append(piece[0])
        elif ch.isascii() and ch.isalnum():
            piece = ch.lower()
            initials.append(piece)
        else:
            piece = "|"
            initials.append("|")
        full.append(piece)
        sizes.append(len(piece))
    return "".join(full), bytes(sizes), "".join(initials)


def _syllables_of(text: str, row: tuple[str, bytes, str]) -> set[str]:
    """The syllables the Chinese characters of ``text`` gave its pinyin row."""
    out = set()
    at = 0
    for ch, size in zip(text, row[1], strict=True):
        if is_han(ch) and size > 1 or (is_han(ch) and row[0][at] != "|"):
            out.add(row[0][at : at + size])
        at += size
    return out


def _word_pieces(text: str) -> list[str]:
    """The runs of letters, digits and Han characters in ``text`` (quotes, brackets
    and other punctuation split it), those of two characters or more that hold Han."""
    pieces: list[str] = []
    run: list[str] = []
    chars = [*text, " "]
    for i, ch in enumerate(chars):
        if is_han(ch) or ch.isalnum():
            run.append(ch)
            continue
        if ch in ".%" and run and run[-1].isdigit() and (ch == "%" or chars[i + 1].isdigit()):
            run.append(ch)  # a figure: 93.9, 53.16%
            continue
        piece = "".join(run)
        if len(piece) >= 2 and any(is_han(c) for c in piece):
            pieces.append(piece)
        run = []
    return pieces


def vocabulary(data: dict[str, Any], t2s: dict[str, str]) -> list[str]:
    """The report's own words, normalised: names and aliases of entities, titles of
    cases, honours and events, names of pillars and metrics.

    A compound query with no exact match is split with these first (the longest
    wins), so 斯太宝芯片 is read as 斯太宝 + 芯片, not as 斯太 + 宝芯 + 芯片.
    """
    recs = data["records"]
    names: list[str] = []
    for r in recs["entity"]:
        names.append(r["name"])
        names.extend(r["aliases"] or [])
    for kind in ("case", "honour", "event"):
        names.extend(r["title"] for r in recs[kind])
    names.extend(r["name"] for r in recs["pillar"])
    names.extend(r["name"] for r in recs["metric"])
    words = {normalize(piece, t2s)[0] for name in names if name for piece in _word_pieces(str(name))}
    return sorted(words)


def _reading(text: str) -> list[str]:
    """The pinyin of a name and its initials, without the separators (数说成效>>> -> shushuochengxiao, sscx)."""
    full, _, initials = pinyin_row(text)
    return [full.replace("|", ""), initials.replace("|", "")]


def name_readings(data: dict[str, Any]) -> dict[str, dict[str, list[list[str]]]]:
    """How the names an option takes read in pinyin, by vocabulary: the report's sections
    (their titles and headings), the record kinds (数据 shuju) and the entity types (企业 qiye).
    A query reads them from the index and never imports pypinyin (``query.names_read_as``)."""
    from beibei_cli.models import ENTITY_TYPE_ZH, GENERAL_ZH, KIND_ZH

    sections = {
        s["id"]: [_reading(n) for n in (s.get("title"), s.get("heading")) if n] for s in data["records"]["section"]
    }
    return {
        "section": sections,
        "kind": {kind: [_reading(zh)] for kind, zh in KIND_ZH.items()},
        "entity_type": {t: [_reading(zh)] for t, zh in ENTITY_TYPE_ZH.items()},
        "general": {"general": [_reading(GENERAL_ZH)]},
    }


def figure_documents(data: dict[str, Any]) -> list[tuple[str, str, str | None, str, str, int]]:
    """(id, kind, pillar, title, text, title length) of each figure's names alone: its Chinese
    name, then its English one. ``series`` matches figures by these (the name, not the quote)."""
    return [
        (r["id"], "metric", r["pillar"], r["name"], _join(r["name"], r.get("name_en")), len(r["name"]))
        for r in data["records"]["metric"]
    ]


def build_index(data: dict[str, Any], *, figures: bool = False) -> bytes:
    """The report's search index; with ``figures``, that of its figures' names alone (the same
    tables: traditional characters, the report's English, pinyin), which ``series`` searches."""
    docs = figure_documents(data) if figures else documents(data)
    chars = {ch for doc in docs for ch in doc[4]}
    # and the names options take, typed in traditional characters too (總體, 數據, 企業, 數說成效)
    from beibei_cli.models import ENTITY_TYPE_ZH, GENERAL_ZH, KIND_ZH

    sections = [s.get(f) or "" for s in data["records"]["section"] for f in ("title", "heading")]
    chars |= set("".join([*KIND_ZH.values(), *ENTITY_TYPE_ZH.values(), GENERAL_ZH, *sections]))
    t2s = t2s_table(chars)
    rows = []
    for rid, kind, pillar, title, text, title_len in docs:
        norm, mapping = normalize(text, t2s)
        rows.append((rid, kind, pillar, title, text, title_len, norm, mapping))
    pinyin_rows = [pinyin_row(doc[4]) for doc in docs]
    pinyin = pinyin_table(pinyin_rows)
    vocab = vocabulary(data, t2s)
    region = normalize(str((data.get("meta") or {}).get("region") or ""), t2s)[0]
    # The report's own subject (重庆市北碚区: 北碚, 北碚区, 重庆…) is implied in every record.
    subject = [w for w in vocab if region and w in region]
    from beibei_cli.search import english
    from beibei_cli.search.glossary import GLOSSARY

    glossary = [{"en": e["en"], "zh": [normalize(z, t2s)[0] for z in e["zh"]]} for e in GLOSSARY]
    return marshal.dumps(
        {
            "t2s": t2s,
            "docs": rows,
            "pinyin": marshal.dumps(pinyin),
            "vocab": vocab,
            "subject": subject,
            "english": english.table(english_pairs(data, t2s), glossary),
            "variants": regional_variants([row[6] for row in rows]),
            "names": name_readings(data),
            "syllables": sorted(set().union(*(_syllables_of(d[4], r) for d, r in zip(docs, pinyin_rows, strict=True)))),
        }
    )


def pinyin_table(rows: list[tuple[str, bytes, str]]) -> tuple[str, str, list[int], list[int], bytes]:
    """Every record's pinyin row, stored as a query reads it: the full pinyin of
    every record joined by NULs, the initials joined likewise, where each record
    starts in those two, and the letter counts of every record end to end (one
    byte a character).

    A query scans the joined strings as they are; a record's position -> character
    map is rebuilt from its letter counts only when that record is looked at.
    Stored, the maps took four bytes a pinyin letter, read and copied by every
    search whatever it looked at (31 of the 62 MB of the 100x index).
    """
    full_starts: list[int] = []
    initial_starts: list[int] = []
    at_full = at_initials = 0
    for full, _, initials in rows:
        full_starts.append(at_full)
        initial_starts.append(at_initials)
        at_full += len(full) + 1
        at_initials += len(initials) + 1
    return (
        "\x00".join(row[0] for row in rows),
        "\x00".join(row[2] for row in rows),
        full_starts,
        initial_starts,
        b"".join(row[1] for row in rows),
    )
